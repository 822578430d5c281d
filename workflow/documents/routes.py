"""The chairman's "Văn bản" page and the PDF downloads."""
from flask import Blueprint, abort, current_app, render_template
from flask_login import current_user, login_required

from ..downloads import PDF, attachment
from ..items.services import load_item
from ..models import ConsolidatedReport, UnitReport
from ..plan.queries import current_plan
from . import builders, final, listing
from .pdf import FontMissing

bp = Blueprint("documents", __name__)


@bp.get("/documents")
@login_required
def index():
    return render_template("documents/index.html", plan=current_plan(), periods=listing.by_period(current_user))


@bp.get("/documents/plan.pdf")
@login_required
def plan_pdf():
    plan = current_plan() or abort(404)
    return attachment(builders.plan_document(plan), PDF, f"{builders.plan_name(plan)}.pdf")


@bp.get("/documents/unit-report/<int:report_id>.pdf")
@login_required
def unit_report_pdf(report_id):
    report = load_item(current_user, UnitReport.KIND, report_id)
    return attachment(builders.unit_report(report), PDF, f"{builders.unit_report_name(report)}.pdf")


@bp.get("/documents/consolidated/<int:report_id>.pdf")
@login_required
def consolidated_pdf(report_id):
    report = load_item(current_user, ConsolidatedReport.KIND, report_id)
    data = final.final_bytes(report) if report.is_accepted else builders.consolidated(report)
    return attachment(data, PDF, f"{builders.consolidated_name(report)}.pdf")


@bp.app_errorhandler(FontMissing)
def font_missing(err):
    current_app.logger.error("PDF font missing: %s", err)
    return render_template("errors/error.html", status=503, message=str(err)), 503
