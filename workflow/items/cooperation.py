"""Việc phối hợp: the task results of the tasks a unit cooperates on (Task.cooperating_units), so its
people see where their note is awaited. One query whatever the number of results: the task, the period,
the lead unit and the unit's own note come joined in."""
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

from sqlalchemy import and_, select
from sqlalchemy.orm import contains_eager, joinedload

from ..access import require_worker
from ..extensions import db
from ..formats import vn_sort_key
from ..models import Task, TaskContribution, TaskResult, Unit
from ..models.org import utcnow
from .deadlines import is_overdue
from .task_result import OPEN_FOR_NOTES


@dataclass(frozen=True)
class Row:
    result: TaskResult
    noted_at: datetime | None  # when the unit last wrote its note on this result; None: no note yet
    overdue: bool

    @property
    def open(self):
        """Notes may still be written (the result is a draft or sent, not yet reviewed)."""
        return self.result.state in OPEN_FOR_NOTES

    @property
    def awaiting(self):
        return self.open and self.noted_at is None


def _rows(unit_id, now):
    note = and_(TaskContribution.result_id == TaskResult.id, TaskContribution.unit_id == unit_id)
    stmt = (select(TaskResult, TaskContribution.updated_at)
            .join(TaskResult.task).join(TaskResult.period).outerjoin(TaskContribution, note)
            .where(Task.cooperating_units.any(Unit.id == unit_id))
            .options(contains_eager(TaskResult.task), contains_eager(TaskResult.period), joinedload(TaskResult.unit)))
    return [Row(result, noted_at, is_overdue(result, now)) for result, noted_at in db.session.execute(stmt)]


def for_unit(user, now=None):
    """[(period, [Row])] for the person's unit, newest period first; in each period the results still open
    for notes come first, then the settled ones, each by task code in Vietnamese order (6.d, 6.đ, 6.e).
    403 for anyone who is not one of a unit's people (require_worker)."""
    require_worker(user)
    rows = _rows(user.unit_id, now or utcnow())
    rows.sort(key=lambda r: (not r.open, vn_sort_key(r.result.task.code)))
    # Stable, also reversed: the order above holds within each period.
    rows.sort(key=lambda r: (r.result.period.due_date, r.result.period.id), reverse=True)
    return [(period, list(group)) for period, group in groupby(rows, key=lambda r: r.result.period)]
