"""The consolidated report of a period: what still blocks it, and making its draft."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..access import get_or_404, may_draft, require_follow_up
from ..models import ConsolidatedReport, ReportingPeriod
from ..models.org import utcnow
from . import services

bp = Blueprint("consolidated", __name__)


@bp.get("/periods/<int:period_id>/consolidated")
@login_required
def period(period_id):
    require_follow_up(current_user)
    period = get_or_404(ReportingPeriod, period_id)
    report = services.for_period(period)
    return render_template("consolidated/period.html", period=period, report=report,
                           summary=services.status_summary(period, utcnow()),
                           may_make=may_draft(current_user, ConsolidatedReport.KIND),
                           out_of_date=report is not None and services.is_out_of_date(report))


@bp.post("/periods/<int:period_id>/consolidated")
@login_required
def make(period_id):
    period = get_or_404(ReportingPeriod, period_id)
    report = services.prefill(current_user, period, request.form.get("version"))
    flash("Đã tạo dự thảo báo cáo tổng hợp từ các hồ sơ đã tiếp nhận.", "success")
    return redirect(url_for("items.item", kind=report.KIND, item_id=report.id), 303)
