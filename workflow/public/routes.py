"""GET /cong-khai and the accepted consolidated reports' PDFs, open to everyone."""
from flask import Response, abort, render_template

from ..documents import final
from . import bp, queries


@bp.get("/cong-khai")
def index():
    return render_template("public/index.html", periods=queries.public_page(), **queries.emulation_page())


@bp.get("/cong-khai/bao-cao/<int:report_id>.pdf")
def report_pdf(report_id):
    report = queries.accepted_report(report_id) or abort(404)
    response = Response(final.final_bytes(report), mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''bao-cao-tong-hop-{report.period_id}.pdf")
    response.headers["Cache-Control"] = "no-cache"  # a reopened report stops being served
    return response
