"""Downloads of the ranking table: /ranking/export.pdf and /ranking/export.xlsx.

?period=…&scheme=… as on the page export the live ranking, through the same service and so the same
permission as /ranking. ?period=…&sheet=<id> exports that period's frozen ranking sheet instead, for
whoever may see the sheet (the ranking's viewers and the consolidating unit that makes it). The files
are built in exports.py."""
from flask import abort, request
from flask_login import current_user, login_required

from ..downloads import PDF, XLSX, attachment
from ..plan.queries import current_plan
from . import exports, services
from .routes import bp


def requested_table():
    """(exports.Table, file name without extension) for the request's arguments."""
    plan = current_plan() or abort(404)
    if request.args.get("sheet"):
        sheet = services.sheet_for_export(current_user, plan, request.args.get("period"), request.args["sheet"])
        return exports.sheet_table(sheet), f"bang-xep-hang-cchc-ky-{sheet.period_id}-v{sheet.scheme.version}"
    c = services.ranking(current_user, plan, request.args.get("period"), request.args.get("scheme"))
    if c["scheme"] is None:
        abort(404, "Chưa có bộ tiêu chí chấm điểm.")
    period = c["period"]
    stem = f"xep-hang-cchc-{f'ky-{period.id}' if period else 'ca-ke-hoach'}-v{c['scheme'].version}"
    return exports.live_table(c["standings"], c["scope"], c["scheme"], plan=plan), stem


@bp.get("/ranking/export.pdf")
@login_required
def export_pdf():
    table, stem = requested_table()
    return attachment(exports.table_pdf(table), PDF, f"{stem}.pdf")


@bp.get("/ranking/export.xlsx")
@login_required
def export_xlsx():
    table, stem = requested_table()
    return attachment(exports.table_xlsx(table), XLSX, f"{stem}.xlsx")
