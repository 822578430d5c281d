"""The consolidated report of a period: what blocks it, and making its draft."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..access import get_or_404
from ..models import ReportingPeriod
from . import bp, consolidation


@bp.get("/periods/<int:period_id>/consolidated")
@login_required
def consolidated(period_id):
    consolidation.require_follow_up(current_user)
    period = get_or_404(ReportingPeriod, period_id)
    report = consolidation.for_period(period)
    return render_template("items/consolidated_period.html", period=period, report=report,
                           blockers=consolidation.blockers(period),
                           out_of_date=report is not None and consolidation.is_out_of_date(report))


@bp.post("/periods/<int:period_id>/consolidated")
@login_required
def make_consolidated(period_id):
    period = get_or_404(ReportingPeriod, period_id)
    report = consolidation.prefill(current_user, period, request.form.get("version"))
    flash("Đã tạo dự thảo báo cáo tổng hợp từ các hồ sơ đã tiếp nhận.", "success")
    return redirect(url_for("items.item", kind=report.KIND, item_id=report.id), 303)
