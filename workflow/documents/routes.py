"""The chairman's "Văn bản" page and the PDF downloads."""
from flask import Response, abort, current_app, render_template
from flask_login import current_user, login_required

from ..items import consolidation
from ..items import services as item_services
from ..models import ConsolidatedReport, UnitReport
from ..plan.queries import current_plan
from . import bp, builders, final, listing
from .pdf import FontMissing


def _pdf(data, filename):
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/documents")
@login_required
def index():
    return render_template("documents/index.html", plan=current_plan(), periods=listing.by_period(current_user),
                           follow_up=consolidation.may_follow_up(current_user))


@bp.get("/documents/plan.pdf")
@login_required
def plan_pdf():
    plan = current_plan() or abort(404)
    return _pdf(builders.plan_document(plan), "ke-hoach-cchc.pdf")


@bp.get("/documents/unit-report/<int:report_id>.pdf")
@login_required
def unit_report_pdf(report_id):
    report = item_services.load_item(current_user, UnitReport.KIND, report_id)
    return _pdf(builders.unit_report(report), f"bao-cao-{report.unit.code.lower()}-{report.period_id}.pdf")


@bp.get("/documents/consolidated/<int:report_id>.pdf")
@login_required
def consolidated_pdf(report_id):
    report = item_services.load_item(current_user, ConsolidatedReport.KIND, report_id)
    data = final.final_bytes(report) if report.state == "accepted" else builders.consolidated(report)
    return _pdf(data, f"bao-cao-tong-hop-{report.period_id}.pdf")


@bp.app_errorhandler(FontMissing)
def font_missing(err):
    current_app.logger.error("PDF font missing: %s", err)
    return render_template("errors/error.html", status=503, message=str(err)), 503
