"""What the "Văn bản" page lists: per period, the consolidated report and the accepted unit reports."""
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..access import OVERSEERS, may_see
from ..extensions import db
from ..models import ConsolidatedReport, ReportingPeriod, UnitReport


def by_period(user):
    periods = db.session.scalars(select(ReportingPeriod).order_by(ReportingPeriod.due_date)).all()
    consolidated = {r.period_id: r for r in db.session.scalars(select(ConsolidatedReport)) if may_see(user, r)}
    reports = select(UnitReport).options(joinedload(UnitReport.unit)).order_by(UnitReport.unit_id)
    if not user.has_role(*OVERSEERS):
        reports = reports.where(UnitReport.unit_id == user.unit_id)
    by_period_id = {}
    for report in db.session.scalars(reports):
        by_period_id.setdefault(report.period_id, []).append(report)
    return [(p, consolidated.get(p.id), by_period_id.get(p.id, [])) for p in periods]
