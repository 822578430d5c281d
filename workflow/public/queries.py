"""Read-side queries of the public page: accepted data only, a fixed number of SQL statements
whatever the number of periods, units or tasks. No personal data is selected."""
from dataclasses import dataclass, field

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import ConsolidatedReport, ReportingPeriod, Task, TaskResult, Unit

ACCEPTED = "accepted"


@dataclass
class UnitResults:
    unit: Unit
    total: int = 0
    accepted: list = field(default_factory=list)  # TaskResult, accepted only


@dataclass
class PublicPeriod:
    period: ReportingPeriod
    consolidated: ConsolidatedReport | None = None  # only when accepted
    units: list = field(default_factory=list)       # UnitResults, in unit code order


def opened_periods():
    return db.session.scalars(select(ReportingPeriod).where(ReportingPeriod.opened_at.is_not(None))
                              .order_by(ReportingPeriod.start_date, ReportingPeriod.due_date)).all()


def accepted_consolidated(period_ids):
    return db.session.scalars(select(ConsolidatedReport).where(
        ConsolidatedReport.period_id.in_(period_ids), ConsolidatedReport.state == ACCEPTED)).all()


def result_counts(period_ids):
    """{(period_id, unit_id): (task results, accepted ones)}"""
    rows = db.session.execute(
        select(TaskResult.period_id, TaskResult.unit_id, func.count(),
               func.sum(case((TaskResult.state == ACCEPTED, 1), else_=0)))
        .where(TaskResult.period_id.in_(period_ids)).group_by(TaskResult.period_id, TaskResult.unit_id))
    return {(p, u): (total, int(accepted or 0)) for p, u, total, accepted in rows}


def accepted_results(period_ids):
    return db.session.scalars(
        select(TaskResult).join(TaskResult.task).options(joinedload(TaskResult.task))
        .where(TaskResult.period_id.in_(period_ids), TaskResult.state == ACCEPTED)
        .order_by(Task.position, Task.code)).all()


def units(unit_ids):
    return db.session.scalars(select(Unit).where(Unit.id.in_(unit_ids)).order_by(Unit.code)).all()


def public_page():
    """Every opened period with its accepted consolidated report and each unit's accepted task
    results: five statements, however many periods are open."""
    periods = opened_periods()
    ids = [p.id for p in periods]
    consolidated = {r.period_id: r for r in accepted_consolidated(ids)}
    counts = result_counts(ids)
    by_key = {}
    for result in accepted_results(ids):
        by_key.setdefault((result.period_id, result.unit_id), []).append(result)
    unit_by_id = {u.id: u for u in units(sorted({u for _, u in counts}))}
    pages = []
    for period in periods:
        rows = [UnitResults(unit=unit, total=counts[(period.id, unit.id)][0],
                            accepted=by_key.get((period.id, unit.id), []))
                for unit in unit_by_id.values() if (period.id, unit.id) in counts]
        pages.append(PublicPeriod(period=period, consolidated=consolidated.get(period.id), units=rows))
    return pages


def accepted_report(report_id):
    return db.session.scalar(select(ConsolidatedReport).where(
        ConsolidatedReport.id == report_id, ConsolidatedReport.state == ACCEPTED))
