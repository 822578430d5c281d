"""GET /cong-khai and the accepted consolidated reports' PDFs, open to everyone."""
from flask import Blueprint, abort, render_template

from ..documents import final
from ..downloads import PDF, PUBLIC, attachment
from . import queries

bp = Blueprint("public", __name__)


@bp.get("/cong-khai")
def index():
    return render_template("public/index.html", periods=queries.public_page(), **queries.emulation_page())


@bp.get("/cong-khai/bao-cao/<int:report_id>.pdf")
def report_pdf(report_id):
    report = queries.accepted_report(report_id) or abort(404)
    # Revalidated, not stored: a reopened report stops being served.
    return attachment(final.final_bytes(report), PDF, f"bao-cao-tong-hop-{report.period_id}.pdf", cache=PUBLIC)
