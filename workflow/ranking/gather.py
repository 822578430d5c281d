"""gather_facts: every unit's scoring facts in a fixed number of queries (10 for a period, 8 for the plan, and one
more, the holiday calendar, when some report was sent again late after a return), whatever the data size.

Scope. A period: its task results, its report, the targets' figures of its accepted reports.
The whole plan (period=None): every period of the plan; per task the result of the latest period
(by due date) in which it was accepted, else the latest result at all (to say why it scores 0); per
target the figure of the latest accepted report that gives one; one report line per period.

Which tasks count: those due by the end of the scope (period end, or plan end) whose due day is
over at `now` (Asia/Ho_Chi_Minh midnight, as in items/deadlines.py), and any task whose scored
result was accepted with a final status: done (finishing early is rewarded, not ignored) or
cannot-do (the unit has said it will not be done, so it scores 0 now rather than later).
Which reports count: those whose due day is over at `now`, and any report already sent.
A sent report's history: its first submission, the last time it was sent back (returned or reopened) and
its current submission, read in the reports' own query (correlated subqueries on item_history's
(kind, item, id) index); for a report sent late after a return, the working days between the last two,
counted with the holiday calendar (read once, only then): the reports rule decides with them whether
the fix counts on time.
Overdue (penalty): a unit's task result or report still a draft after the period's due day — the
`deadlines.is_overdue` rule, with `now` as a parameter.
"""
from collections import defaultdict

from sqlalchemy import func, select

from ..extensions import db
from ..formats import vn_sort_key
from ..items.deadlines import due_deadline, local_date
from ..models import (AssessmentLine, Area, Evidence, Holiday, Initiative, ItemHistory, ReportingPeriod,
                      SelfAssessment, Target, TargetActual, Task, TaskResult, Unit, UnitReport)
from ..models.assessment import BONUS, INITIATIVE_KINDS
from ..models.state import APPRAISED, State
from ..models.org import utcnow
from ..models.plan import target_units
from ..workdays import working_days
from .facts import AssessmentFact, EvidenceFact, Facts, ReportFact, TargetFact, TaskFact, UnitRef

ACCEPTED, DRAFT = State.ACCEPTED, State.DRAFT
FINAL = ("done", "cannot_do")
WHOLE_PLAN = "Cả kế hoạch"


def gather_facts(plan, period=None, now=None):
    now = now or utcnow()
    facts = Facts(scope=period.name if period else WHOLE_PLAN)
    facts.units = [UnitRef(*row) for row in db.session.execute(
        select(Unit.id, Unit.code, Unit.name).where(Unit.active).order_by(Unit.code))]
    periods = {p.id: p for p in db.session.scalars(
        select(ReportingPeriod).where(ReportingPeriod.plan_id == plan.id).order_by(ReportingPeriod.due_date))
        if period is None or p.id == period.id}
    tasks = {t.id: t for t in db.session.execute(
        select(Task.id, Task.code, Task.title, Task.deadline, Task.lead_unit_id).join(Area)
        .where(Task.plan_id == plan.id).order_by(Area.number, Task.position, Task.code))}
    # Results in (period due date, task code) order, the order of the evidence and overdue lines: each
    # task's sort key computed once, not once per result (10,000 tasks × 4 periods at city size).
    code_key = {task_id: vn_sort_key(task.code) for task_id, task in tasks.items()}
    due = {p.id: p.due_date for p in periods.values()}
    results = sorted(db.session.execute(
        select(TaskResult.id, TaskResult.task_id, TaskResult.period_id, TaskResult.unit_id, TaskResult.state,
               TaskResult.work_status, TaskResult.completed_on, TaskResult.blocked_reason)
        .where(TaskResult.period_id.in_(list(periods)))).all(),
        key=lambda r: (due[r.period_id], code_key[r.task_id]))
    late = {p.id for p in periods.values() if now >= due_deadline(p.due_date)}
    cutoff = period.end_date if period else plan.end_date
    _add_tasks(facts, tasks, periods, results, cutoff, now)
    _add_reports(facts, periods, now)
    _add_targets(facts, plan, periods)
    _add_evidence(facts, tasks, periods, results)
    _add_overdue_results(facts, tasks, periods, results, late)
    if period is not None:
        _add_assessments(facts, period)
    return facts


def _pick(rows):
    """The result a task is scored on (rows in period order): the latest accepted, else the latest."""
    accepted = [r for r in rows if r.state == ACCEPTED]
    return (accepted or rows or [None])[-1]


def _add_tasks(facts, tasks, periods, results, cutoff, now):
    by_task = defaultdict(list)
    for row in results:
        by_task[row.task_id].append(row)
    due_over = {}  # deadline -> its day is over at `now`; a plan has few distinct deadlines
    for task in tasks.values():
        row = _pick(by_task[task.id])
        settled = row is not None and row.state == ACCEPTED and row.work_status in FINAL
        if task.deadline not in due_over:
            due_over[task.deadline] = now >= due_deadline(task.deadline)
        due = task.deadline <= cutoff and due_over[task.deadline]
        fact = TaskFact(task.code, task.title, task.deadline, counted=due or settled)
        if row is not None:
            fact.state, fact.work_status, fact.completed_on = row.state, row.work_status, row.completed_on
            fact.blocked_reason, fact.period_name = row.blocked_reason, periods[row.period_id].name
        facts.of(task.lead_unit_id).tasks.append(fact)


SENT_BACK = ("return", "reopen")  # the steps that give a sent report back to its unit with a reason


def _history_at(aggregate, actions):
    """A report's first or last time of `actions`, as a column of the reports' query."""
    return (select(aggregate(ItemHistory.at))
            .where(ItemHistory.item_kind == UnitReport.KIND, ItemHistory.item_id == UnitReport.id,
                   ItemHistory.action.in_(actions)).scalar_subquery())


def _add_reports(facts, periods, now):
    rows = {(r.unit_id, r.period_id): r for r in db.session.execute(
        select(UnitReport.unit_id, UnitReport.period_id, UnitReport.state, UnitReport.late_days,
               UnitReport.return_reason, UnitReport.quality_grade, UnitReport.submitted_at,
               _history_at(func.min, ("submit",)).label("first_sent_at"),
               _history_at(func.max, SENT_BACK).label("sent_back_at"))
        .where(UnitReport.period_id.in_(list(periods))))}
    fixed_late = any(r.state != DRAFT and r.late_days and r.sent_back_at is not None for r in rows.values())
    calendar = dict(db.session.execute(select(Holiday.day, Holiday.working_day)).all()) if fixed_late else {}
    for unit in facts.units:
        for period in periods.values():
            row = rows.get((unit.id, period.id))
            overdue_now = now >= due_deadline(period.due_date)
            fact = ReportFact(period.name, period.due_date, counted=overdue_now)
            if row is not None:
                fact.state, fact.late_days, fact.returned = row.state, row.late_days, bool(row.return_reason)
                fact.grade = row.quality_grade
                if row.state != DRAFT:
                    _add_history(fact, row, calendar)
                fact.counted = overdue_now or row.state != DRAFT
                if row.state == DRAFT and overdue_now:
                    facts.of(unit.id).overdue.append(f"Báo cáo {period.name} (hạn {period.due_date:%d/%m/%Y})")
            facts.of(unit.id).reports.append(fact)


def _add_history(fact, row, calendar):
    """The days of a sent report's submissions and return (see the module's docstring)."""
    fact.sent_on = local_date(row.submitted_at) if row.submitted_at else None
    fact.first_sent_on = local_date(row.first_sent_at) if row.first_sent_at else None
    if row.late_days and row.sent_back_at is not None and fact.sent_on is not None:
        fact.sent_back_on = local_date(row.sent_back_at)
        fact.fix_working_days = working_days(fact.sent_back_on, fact.sent_on, calendar)


def _add_targets(facts, plan, periods):
    actuals = {}
    rows = db.session.execute(
        select(TargetActual.target_id, TargetActual.value, UnitReport.unit_id, UnitReport.period_id)
        .join(UnitReport, TargetActual.report_id == UnitReport.id)
        .where(UnitReport.period_id.in_(list(periods)), UnitReport.state == ACCEPTED,
               TargetActual.value.is_not(None))).all()
    for row in sorted(rows, key=lambda r: periods[r.period_id].due_date):  # the latest period wins
        actuals[(row.target_id, row.unit_id)] = (row.value, periods[row.period_id].name)
    for target, unit_id in db.session.execute(
            select(Target, target_units.c.unit_id).join(target_units, target_units.c.target_id == Target.id)
            .where(Target.plan_id == plan.id).order_by(Target.position)):
        value, source = actuals.get((target.id, unit_id), (None, ""))
        facts.of(unit_id).targets.append(TargetFact(
            target.code, target.title, target.goal_text, target.comparator, target.value, value, source))


def _add_evidence(facts, tasks, periods, results):
    accepted = select(TaskResult.id).where(TaskResult.period_id.in_(list(periods)), TaskResult.state == ACCEPTED)
    files = dict(db.session.execute(
        select(Evidence.item_id, func.count(Evidence.id))
        .where(Evidence.item_kind == TaskResult.KIND, Evidence.item_id.in_(accepted))
        .group_by(Evidence.item_id)).all())
    for row in results:
        if row.state == ACCEPTED:
            label = f"{tasks[row.task_id].code} ({periods[row.period_id].name})"
            facts.of(row.unit_id).evidence.append(EvidenceFact(label, files.get(row.id, 0)))


def _add_overdue_results(facts, tasks, periods, results, late):
    """`late`: the ids of the periods whose due day is over."""
    for row in results:
        period = periods[row.period_id]
        if row.state == DRAFT and row.period_id in late:
            facts.of(row.unit_id).overdue.append(
                f"Kết quả nhiệm vụ {tasks[row.task_id].code} – {period.name} (hạn {period.due_date:%d/%m/%Y})")


def _add_assessments(facts, period):
    """Each unit's self-assessment of the period; the initiatives of appraised ones feed the bonus."""
    lines = db.session.execute(
        select(SelfAssessment.id, SelfAssessment.unit_id, SelfAssessment.state, AssessmentLine.code,
               AssessmentLine.kind, AssessmentLine.self_points, AssessmentLine.appraised_points,
               AssessmentLine.appraisal_reason)
        .join(AssessmentLine, AssessmentLine.assessment_id == SelfAssessment.id)
        .where(SelfAssessment.period_id == period.id).order_by(AssessmentLine.position)).all()
    bonus_codes = {}
    for row in lines:
        unit = facts.of(row.unit_id)
        if unit.assessment is None:
            unit.assessment = AssessmentFact(row.id, row.state)
        unit.assessment.self_points[row.code] = row.self_points
        unit.assessment.appraised_points[row.code] = row.appraised_points
        unit.assessment.reasons[row.code] = row.appraisal_reason
        if row.kind == BONUS:
            bonus_codes[row.id] = row.code
    awards = db.session.execute(
        select(SelfAssessment.unit_id, SelfAssessment.id, Initiative.kind, Initiative.title, Initiative.awarded_points)
        .join(Initiative, Initiative.assessment_id == SelfAssessment.id)
        .where(SelfAssessment.period_id == period.id, SelfAssessment.state.in_(APPRAISED),
               Initiative.awarded_points.is_not(None)).order_by(Initiative.id)).all()
    for row in awards:
        if row.id in bonus_codes:
            what = INITIATIVE_KINDS.get(row.kind, row.kind)
            facts.of(row.unit_id).entered.setdefault(bonus_codes[row.id], []).append(
                (f"{what} “{row.title}” (điểm thẩm định)", row.awarded_points))
