"""The rest of the leadership view: the plan's targets against what the units reported, the trend of
sending on time across periods, and the ranking with its change since the previous period. Each is a
fixed number of queries (the ranking is the ranking module's own computation, once per period)."""
from dataclasses import dataclass
from types import SimpleNamespace

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import State, Target, TargetActual, TaskResult, UnitReport
from ..access import may_view_ranking
from ..ranking import criteria, revision, services as ranking_services

MET_WORDS = {True: "Đạt", False: "Chưa đạt", None: "Chưa báo cáo"}


@dataclass
class TargetLine:
    target: Target
    figures: list   # (unit, shown value, met True/False, accepted?)

    @property
    def met(self):
        """Đạt when every responsible unit's figure meets it, Chưa đạt when one does not, else not reported."""
        marks = [met for _, _, met, _ in self.figures]
        if not marks or len(marks) < len(self.target.responsible_units):
            return False if False in marks else None
        return all(marks)


def targets(plan, period):
    """Each target of the plan with the figures the responsible units sent for the period (accepted or
    still being checked; a draft's figure is not shown)."""
    plan_targets = plan.targets  # loaded first: each figure's target is then found without a query
    rows = db.session.execute(
        select(TargetActual, UnitReport).join(UnitReport, TargetActual.report_id == UnitReport.id)
        .options(joinedload(UnitReport.unit))
        .where(UnitReport.period_id == period.id, UnitReport.state != State.DRAFT)).all()
    by_target = {}
    for actual, report in rows:
        if actual.reported:
            # the ranking's own rule (a target without a figure to reach is met once reported)
            judged = criteria.target_met(SimpleNamespace(actual=actual.value, goal=actual.target.value,
                                                         comparator=actual.target.comparator))
            by_target.setdefault(actual.target_id, []).append(
                (report.unit, actual.shown, judged, report.state == State.ACCEPTED))
    return [TargetLine(t, sorted(by_target.get(t.id, []), key=lambda f: f[0].code)) for t in plan_targets]


@dataclass
class PeriodTrend:
    period: object
    tasks_on_time: int    # task results sent by the due day
    tasks: int
    reports_on_time: int
    reports: int

    @staticmethod
    def share(part, whole):
        return round(100 * part / whole) if whole else 0


def _on_time(model, period_ids):
    on_time = func.sum(case(((model.submitted_at.is_not(None)) & (model.late_days == 0), 1), else_=0))
    query = (select(model.period_id, on_time, func.count()).where(model.period_id.in_(period_ids))
             .group_by(model.period_id))
    return {pid: (int(n or 0), total) for pid, n, total in db.session.execute(query)}


def trend(periods):
    """Per opened period: how many task results and unit reports were sent on time, of all. Its figures
    move only when an item is created or sent (a state change), which moves the ranking's revision too:
    kept with the standings (ranking/revision.py), two scans of every result fewer per home page."""
    ids = tuple(p.id for p in periods)
    tasks, reports = revision.kept().get_or_compute(
        ("trend", ids), lambda: (_on_time(TaskResult, ids), _on_time(UnitReport, ids)))
    return [PeriodTrend(p, *tasks.get(p.id, (0, 0)), *reports.get(p.id, (0, 0))) for p in periods]


@dataclass
class RankLine:
    standing: object
    change: int | None   # places gained since the previous period (None: not ranked then)


def ranking(user, plan, periods, period):
    """The period's standings with each unit's move since the period before it, for those who see the
    ranking; None for others or without a scheme."""
    if not may_view_ranking(user):
        return None
    standings = ranking_services.ranking(user, plan, str(period.id))["standings"]
    if not standings:
        return None  # no scoring scheme yet
    earlier = [p for p in periods if p.due_date < period.due_date]
    before = {s.score.unit.id: s.rank
              for s in ranking_services.ranking(user, plan, str(earlier[-1].id))["standings"]} if earlier else {}
    return [RankLine(s, before[s.score.unit.id] - s.rank if s.score.unit.id in before else None) for s in standings]
