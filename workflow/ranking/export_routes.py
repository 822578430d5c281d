"""Downloads of the ranking table: /ranking/export.pdf and /ranking/export.xlsx, ?period=…&scheme=… as on
the page. Same service and so the same permission as /ranking; the files are built in exports.py."""
from flask import Response, abort, request
from flask_login import current_user, login_required

from ..admin.forms import XLSX_MIMETYPE
from ..plan.queries import current_plan
from . import bp, exports, services


def _ranking():
    plan = current_plan() or abort(404)
    context = services.ranking(current_user, plan, request.args.get("period"), request.args.get("scheme"))
    if context["scheme"] is None:
        abort(404, "Chưa có bộ tiêu chí chấm điểm.")
    return context


def _filename(context, ext):
    period = context["period"]
    return f"xep-hang-cchc-{f'ky-{period.id}' if period else 'ca-ke-hoach'}-v{context['scheme'].version}.{ext}"


def _attachment(data, mimetype, filename):
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/ranking/export.pdf")
@login_required
def export_pdf():
    c = _ranking()
    data = exports.ranking_pdf(c["standings"], c["scope"], c["scheme"], plan=c["plan"])
    return _attachment(data, "application/pdf", _filename(c, "pdf"))


@bp.get("/ranking/export.xlsx")
@login_required
def export_xlsx():
    c = _ranking()
    data = exports.ranking_xlsx(c["standings"], c["scope"], c["scheme"], plan=c["plan"])
    return _attachment(data, XLSX_MIMETYPE, _filename(c, "xlsx"))
