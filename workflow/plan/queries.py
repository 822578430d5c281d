"""Read-side queries of the plan. A fixed number of SQL statements per page, whatever the size."""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..models import Area, Plan, Target, Task, TaskResult, Unit


def current_plan():
    """The plan the ward is running: the latest issued one."""
    return db.session.scalar(
        select(Plan).options(selectinload(Plan.targets).selectinload(Target.responsible_units),
                             selectinload(Plan.areas), selectinload(Plan.periods))
        .order_by(Plan.issued_on.desc()).limit(1)
    )


def task_counts_by_area(plan):
    rows = db.session.execute(
        select(Task.area_id, func.count()).where(Task.plan_id == plan.id).group_by(Task.area_id))
    return dict(rows.all())


@dataclass
class TaskFilters:
    area_id: int | None = None
    unit_id: int | None = None
    before: date | None = None
    q: str = ""

    def apply(self, stmt):
        if self.area_id:
            stmt = stmt.where(Task.area_id == self.area_id)
        if self.unit_id:
            stmt = stmt.where(Task.lead_unit_id == self.unit_id)
        if self.before:
            stmt = stmt.where(Task.deadline <= self.before)
        if self.q:
            like = f"%{self.q.strip()}%"
            stmt = stmt.where(or_(Task.code.ilike(like), Task.title.ilike(like), Task.content.ilike(like)))
        return stmt


def task_page(plan, filters, page, per_page):
    stmt = filters.apply(
        select(Task).where(Task.plan_id == plan.id)
        .join(Task.area).options(joinedload(Task.area), joinedload(Task.lead_unit))
        .order_by(Area.number, Task.position, Task.code)
    )
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def result_states(tasks, period_id):
    """{task id: its result's state in the period} for a page of tasks: one statement, not one per row."""
    if not period_id or not tasks:
        return {}
    return dict(db.session.execute(select(TaskResult.task_id, TaskResult.state).where(
        TaskResult.period_id == period_id, TaskResult.task_id.in_([t.id for t in tasks]))).all())


def opened_periods(plan):
    return [p for p in plan.periods if p.opened_at is not None]


def task_detail(task_id):
    return db.session.scalar(
        select(Task).where(Task.id == task_id)
        .options(joinedload(Task.area), joinedload(Task.lead_unit), selectinload(Task.cooperating_units))
    )


def active_units():
    return db.session.scalars(select(Unit).where(Unit.active).order_by(Unit.code)).all()
