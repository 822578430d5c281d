"""Less typing: a draft filled from what the ward already has, on request and never over typed text.
A task result or a unit report copies the previous period's; a unit report gathers the unit's own
task results of the period, area by area; an annual period's task results start from the latest
quarter's. Each fill writes only into empty places and returns how many it filled (no commit)."""
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..formats import vn_number
from ..models import DOSSIER_COUNTS, NARRATIVE, TASK_STATUSES, DossierRow, ReportingPeriod, Task, TaskResult, UnitReport

RESULT_TEXTS = ("done_text", "output_text", "blocked_reason")
RESULT_STATE = ("work_status", "progress", "completed_on")
UNTOUCHED = {"work_status": "not_started", "progress": 0, "completed_on": None}


def previous_period(period):
    """The period before `period` in the plan: the latest that ends before it, or ends with it but
    starts later (so the year's is Quý IV, and Quý IV's is Quý III, not the year)."""
    earlier = or_(ReportingPeriod.end_date < period.end_date,
                  and_(ReportingPeriod.end_date == period.end_date, ReportingPeriod.start_date > period.start_date))
    return db.session.scalar(select(ReportingPeriod).where(
        ReportingPeriod.plan_id == period.plan_id, ReportingPeriod.id != period.id, earlier)
        .order_by(ReportingPeriod.end_date.desc(), ReportingPeriod.start_date.desc()).limit(1))


def _fill_text(item, source, names):
    filled = 0
    for name in names:
        if not (getattr(item, name) or "").strip() and (getattr(source, name) or "").strip():
            setattr(item, name, getattr(source, name))
            filled += 1
    return filled


def copy_result(result, source):
    """A task result from another period's: its texts where empty, and its status, progress and
    completion date while the draft still holds the defaults."""
    filled = _fill_text(result, source, RESULT_TEXTS)
    if all(getattr(result, name) == value for name, value in UNTOUCHED.items()):
        for name in RESULT_STATE:
            setattr(result, name, getattr(source, name))
        filled += 1
    return filled


def previous_result(result):
    period = previous_period(result.period)
    return period and db.session.scalar(select(TaskResult).where(
        TaskResult.task_id == result.task_id, TaskResult.period_id == period.id))


def result_from_previous(result):
    source = previous_result(result)
    return copy_result(result, source) if source is not None else 0


def start_from_latest_quarter(period, results):
    """New task results of an annual period start from the latest quarter's (what was done by then)."""
    source_period = previous_period(period) if period.kind == "year" else None
    if source_period is None:
        return
    sources = {r.task_id: r for r in db.session.scalars(select(TaskResult).where(
        TaskResult.period_id == source_period.id, TaskResult.task_id.in_([r.task_id for r in results])))}
    for result in results:
        if result.task_id in sources:
            copy_result(result, sources[result.task_id])


def report_from_previous(report):
    """A unit report from the previous period's: sections by area, the closing texts, target notes,
    and Biểu II.06a's fields with what was pending then carried over ("Kỳ trước chuyển qua")."""
    period = previous_period(report.period)
    source = period and db.session.scalar(select(UnitReport).where(
        UnitReport.unit_id == report.unit_id, UnitReport.period_id == period.id).options(
        selectinload(UnitReport.sections), selectinload(UnitReport.target_actuals),
        selectinload(UnitReport.dossier_rows)))
    if source is None:
        return 0
    bodies = {s.area_id: s for s in source.sections}
    filled = sum(_fill_text(s, bodies[s.area_id], ("body",)) for s in report.sections if s.area_id in bodies)
    filled += _fill_text(report, source, NARRATIVE)
    notes = {a.target_id: a for a in source.target_actuals}
    filled += sum(_fill_text(a, notes[a.target_id], ("note",)) for a in report.target_actuals if a.target_id in notes)
    return filled + _carry_dossiers(report, source)


def _carry_dossiers(report, source):
    """The previous fields, each carrying over what was still pending; only into an untouched table."""
    if not source.dossier_rows or any(getattr(r, n) for r in report.dossier_rows for n in DOSSIER_COUNTS):
        return 0
    report.dossier_rows = [
        DossierRow(position=i, field_name=row.field_name, received_carried=row.pending_total,
                   received_total=row.pending_total, pending_total=row.pending_total,
                   pending_within=row.pending_total)
        for i, row in enumerate(source.dossier_rows)]
    return len(report.dossier_rows)


def report_from_tasks(report):
    """Each empty area section gathers the unit's own task results of the period in that area."""
    results = db.session.scalars(select(TaskResult).join(Task).where(
        TaskResult.period_id == report.period_id, Task.lead_unit_id == report.unit_id)
        .options(selectinload(TaskResult.task))).all()
    by_area = {}
    for result in sorted(results, key=lambda r: r.task.position):
        by_area.setdefault(result.task.area_id, []).append(_result_line(result))
    filled = 0
    for section in report.sections:
        if not section.body.strip() and by_area.get(section.area_id):
            section.body = "\n".join(by_area[section.area_id])
            filled += 1
    return filled


def _result_line(result):
    task = result.task
    line = f"- {task.code} {task.title}: {TASK_STATUSES[result.work_status].lower()}, {vn_number(result.progress)}%."
    text = (result.blocked_reason if result.work_status == "cannot_do" else result.done_text).strip()
    return f"{line} {text}".rstrip()
