"""GET /cong-khai and the accepted consolidated reports' PDFs, open to everyone."""
from flask import Blueprint, abort, render_template, request

from ..documents import final
from ..downloads import PDF, PUBLIC, attachment
from ..extensions import db
from ..models import Unit
from ..validation import parse_id
from . import queries

bp = Blueprint("public", __name__)


@bp.get("/cong-khai")
def index():
    return render_template("public/index.html", periods=queries.public_page(), **queries.emulation_page())


@bp.get("/cong-khai/<int:period_id>/don-vi/<int:unit_id>")
def unit_results(period_id, unit_id):
    """A unit's accepted task results in an opened period, a page at a time."""
    period = queries.opened_period(period_id) or abort(404)
    unit = db.session.get(Unit, unit_id) or abort(404)
    page = queries.accepted_results(period.id, unit.id, parse_id(request.args.get("page")) or 1)
    return render_template("public/unit.html", period=period, unit=unit, page=page)


@bp.get("/cong-khai/bao-cao/<int:report_id>.pdf")
def report_pdf(report_id):
    report = queries.accepted_report(report_id) or abort(404)
    # Revalidated, not stored: a reopened report stops being served.
    return attachment(final.final_bytes(report), PDF, f"bao-cao-tong-hop-{report.period_id}.pdf", cache=PUBLIC)
