"""The due dates a person answers for or oversees, as calendar entries, and the secret of their feed.

- A unit's people see their own unit's: every task the unit leads or cooperates on, on the task's
  deadline, with the task result that reports it; every other item of the unit (its report, its
  self-assessment, and for the consolidating unit the ward's own documents) on its period's due date.
- Overseers (access.OVERSEERS) see every unit's, grouped so 36 tasks × 5 units do not flood a day:
  tasks per deadline and lead unit, the other kinds per due date and kind. A group of one is the item.

An accepted item is done, never due; a draft past its day is overdue (items/deadlines.py's rule: the
day itself is still in time). Whatever the data size: one query for the tasks, one for their
results, one per other kind.
"""
import calendar as stdcalendar
import re
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import contains_eager, joinedload
from werkzeug.exceptions import BadRequest

from .. import kinds
from ..access import OVERSEERS
from ..extensions import db
from ..formats import vn_sort_key
from ..models import ReportingPeriod, State, Task, TaskResult, User
from ..models.plan import task_cooperators

TOKEN_BYTES = 32
FIRST_YEAR, LAST_YEAR = 2000, 2100  # months outside are refused: nothing is due there, and prev/next stay dates
BAD_MONTH = (f"Tháng không hợp lệ. Vui lòng chọn tháng theo dạng NĂM-THÁNG, ví dụ ?thang=2025-09 "
             f"(năm từ {FIRST_YEAR} đến {LAST_YEAR}).")
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
WEEKDAYS_SHORT = ("T2", "T3", "T4", "T5", "T6", "T7", "CN")
TASK = "Nhiệm vụ"
NO_RESULT = "Chưa mở kỳ báo cáo"
# Where a group of one kind's items leads an overseer: the page following all units of that period.
GROUP_PAGES = {"self-assessment": ("ranking.index", "period")}
DEFAULT_GROUP_PAGE = ("consolidated.period", "period_id")


@dataclass
class Entry:
    """One line of the calendar: an item (or a task) on its due day, or a group of them."""
    day: date
    uid: str                  # "task-12": stable across downloads, so calendars update the event, not add one
    kind_label: str           # "Nhiệm vụ", "Báo cáo đơn vị"
    short: str                # what fits a grid cell: "NV 3.b", "Báo cáo đơn vị"
    title: str                # the whole name
    unit: str                 # unit code, or "5 đơn vị"
    state: str                # "Dự thảo", "Đã tiếp nhận", "2/5 đã tiếp nhận"
    endpoint: str
    values: dict = field(default_factory=dict)
    done: bool = False        # accepted (all of a group's)
    overdue: int = 0          # how many of its items are overdue
    count: int = 1
    returned: bool = False
    role: str = ""            # "Chủ trì" / "Phối hợp": the unit's part in a task

    @property
    def is_group(self):
        return self.count > 1


@dataclass
class _Due:
    """One item (or task) on its day, before grouping."""
    day: date
    uid: str
    kind_key: str
    kind_label: str
    short: str
    title: str
    unit: object
    item: object              # the workflow item, or None for a task no period reports yet
    overdue: bool
    group_key: tuple
    task: Task | None = None
    period: ReportingPeriod | None = None

    @property
    def done(self):
        return self.item is not None and self.item.state == State.ACCEPTED


def is_overseer(user):
    return user.has_role(*OVERSEERS)


def _late(state, day, today):
    """Unsent past its day: the last day itself is still in time."""
    return state in (None, State.DRAFT) and today > day


# Due dates

def entries(user, today, start=None, end=None):
    """The person's calendar entries (between `start` and `end` when given), in day order."""
    window = (start, end) if start and end else None
    overseer = is_overseer(user)
    unit_id = None if overseer else user.unit_id
    dues = _task_dues(unit_id, window, today) + _item_dues(unit_id, window, today)
    found = _grouped(dues) if overseer else [_single(d, user.unit_id) for d in dues]
    return sorted(found, key=lambda e: (e.day, e.done, e.kind_label != TASK, e.unit, vn_sort_key(e.short)))


def _task_scope(unit_id):
    """Tasks the unit leads or cooperates on; every task for an overseer (unit_id None)."""
    if unit_id is None:
        return []
    cooperating = select(task_cooperators.c.task_id).where(task_cooperators.c.unit_id == unit_id)
    return [or_(Task.lead_unit_id == unit_id, Task.id.in_(cooperating))]


def _task_dues(unit_id, window, today):
    where = _task_scope(unit_id) + ([Task.deadline.between(*window)] if window else [])
    tasks = db.session.scalars(select(Task).options(joinedload(Task.lead_unit)).where(*where)).all()
    results = defaultdict(list)
    for result in db.session.scalars(select(TaskResult).join(Task, TaskResult.task_id == Task.id)
                                     .options(joinedload(TaskResult.period)).where(*where)):
        results[result.task_id].append(result)
    return [_task_due(task, _reporting_result(task, results[task.id]), today) for task in tasks]


def _reporting_result(task, results):
    """The result that should report the task done: that of the first period ending on or after its
    deadline, else the latest (the period that covers it is not opened yet)."""
    def ends(r):
        return r.period.end_date, r.period.due_date
    covering = [r for r in results if r.period.end_date >= task.deadline]
    return min(covering, key=ends) if covering else max(results, key=ends, default=None)


def _task_due(task, result, today):
    return _Due(day=task.deadline, uid=f"task-{task.id}", kind_key="task", kind_label=TASK,
                short=f"NV {task.code}", title=f"{task.code}. {task.title}", unit=task.lead_unit, item=result,
                overdue=_late(result.state if result else None, task.deadline, today),
                group_key=("task", task.deadline, task.lead_unit_id), task=task)


def _item_dues(unit_id, window, today):
    dues = []
    for kind in kinds.dated_kinds():
        if kind.model is TaskResult:  # tasks come on their own deadline (_task_dues)
            continue
        model = kind.model
        stmt = (select(model).join(ReportingPeriod, model.period_id == ReportingPeriod.id)
                .options(contains_eager(model.period), joinedload(model.unit)))
        if unit_id is not None:
            stmt = stmt.where(model.unit_id == unit_id)
        if window:
            stmt = stmt.where(ReportingPeriod.due_date.between(*window))
        dues += [_item_due(kind, item, today) for item in db.session.scalars(stmt)]
    return dues


def _item_due(kind, item, today):
    due = item.period.due_date
    return _Due(day=due, uid=f"{item.KIND}-{item.id}", kind_key=kind.key, kind_label=kind.label,
                short=kind.label, title=item.title, unit=item.unit, item=item,
                overdue=_late(item.state, due, today), group_key=(kind.key, due, item.period_id), period=item.period)


def _single(due, unit_id=None):
    item = due.item
    if item is not None:
        endpoint, values = "items.item", {"kind": item.KIND, "item_id": item.id}
    else:
        endpoint, values = "plan.task", {"task_id": due.task.id}
    role = ""
    if due.task is not None and unit_id is not None:
        role = "Chủ trì" if due.task.lead_unit_id == unit_id else "Phối hợp"
    return Entry(day=due.day, uid=due.uid, kind_label=due.kind_label, short=due.short, title=due.title,
                 unit=due.unit.code, state=item.state_label if item else NO_RESULT, endpoint=endpoint,
                 values=values, done=due.done, overdue=int(due.overdue),
                 returned=bool(item and item.is_returned), role=role)


def _grouped(dues):
    groups = defaultdict(list)
    for due in dues:
        groups[due.group_key].append(due)
    return [_group(members) if len(members) > 1 else _single(members[0]) for members in groups.values()]


def _group(members):
    first, n = members[0], len(members)
    done = sum(1 for d in members if d.done)
    common = dict(day=first.day, kind_label=first.kind_label, state=f"{done}/{n} đã tiếp nhận", done=done == n,
                  overdue=sum(1 for d in members if d.overdue), count=n)
    if first.task is not None:
        unit = first.unit
        return Entry(uid=f"tasks-unit{unit.id}-{first.day:%Y%m%d}", short=f"{n} nhiệm vụ",
                     title=f"{n} nhiệm vụ do {unit.name} chủ trì", unit=unit.code, endpoint="plan.tasks",
                     values={"unit": unit.id, "before": f"{first.day:%d/%m/%Y}"}, **common)
    endpoint, argument = GROUP_PAGES.get(first.kind_key, DEFAULT_GROUP_PAGE)
    return Entry(uid=f"{first.kind_key}-period{first.period.id}", short=f"{first.kind_label} ({n})",
                 title=f"{first.kind_label} {first.period.name}", unit=f"{n} đơn vị", endpoint=endpoint,
                 values={argument: first.period.id}, **common)


# The month page

@dataclass
class Day:
    day: date
    in_month: bool
    is_today: bool
    entries: list

    @property
    def weekday(self):
        return WEEKDAYS[self.day.weekday()]


@dataclass
class Month:
    first: date
    today: date
    weeks: list
    overseer: bool

    @property
    def label(self):
        return f"tháng {self.first.month}/{self.first.year}"

    @property
    def days(self):
        """The month's days holding something, for the list under the grid."""
        return [d for week in self.weeks for d in week if d.in_month and d.entries]

    @property
    def overdue(self):
        return sum(e.overdue for d in self.days for e in d.entries)

    @property
    def is_current(self):
        return (self.first.year, self.first.month) == (self.today.year, self.today.month)

    @property
    def previous(self):
        return _shift(self.first, -1)

    @property
    def next(self):
        return _shift(self.first, 1)


def parse_month(text, today):
    """"2025-09" → 1 September 2025; nothing → today's month; anything else → 400 with BAD_MONTH."""
    if not text:
        return today.replace(day=1)
    found = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
    if not found:
        raise BadRequest(BAD_MONTH)
    year, month = int(found[1]), int(found[2])
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        raise BadRequest(BAD_MONTH)
    return date(year, month, 1)


def _shift(first, months):
    """"YYYY-MM" of the month `months` away, or None past the range the page accepts."""
    index = first.year * 12 + first.month - 1 + months
    year, month = divmod(index, 12)
    return f"{year:04d}-{month + 1:02d}" if FIRST_YEAR <= year <= LAST_YEAR else None


def month(user, text, today):
    """The month grid (weeks from Monday) of the person's due dates, for ?thang=`text`."""
    first = parse_month(text, today)
    last = first.replace(day=stdcalendar.monthrange(first.year, first.month)[1])
    by_day = defaultdict(list)
    for entry in entries(user, today, first, last):
        by_day[entry.day].append(entry)
    grid = stdcalendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)  # Monday first
    weeks = [[Day(d, d.month == first.month, d == today, by_day[d] if d.month == first.month else []) for d in week]
             for week in grid]
    return Month(first=first, today=today, weeks=weeks, overseer=is_overseer(user))


# The feed's secret

def issue_token(user):
    """A new feed secret for the person: the previous URL, if any, stops working."""
    user.calendar_token = secrets.token_urlsafe(TOKEN_BYTES)
    db.session.commit()
    return user.calendar_token


def revoke_token(user):
    user.calendar_token = None
    db.session.commit()


def owner_of(token):
    """The active person whose feed secret this is, else None."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(User).where(User.calendar_token == token, User.active.is_(True)))

