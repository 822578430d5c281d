"""The figures of the dashboard, each from one grouped query, so the page runs the same number of
statements for 5 units or 100 and for 36 tasks or 10,000. Every figure is a count of the items the list
page (listing.py) shows for the same filters: the two read the same conditions (`conditions`)."""
from dataclasses import dataclass, field

from sqlalchemy import case, func, select

from .. import kinds
from ..extensions import db
from ..items.deadlines import period_is_late
from ..models import Area, ReportingPeriod, State, Task, TaskResult, Unit

STATES = (State.DRAFT, State.SUBMITTED, State.REVIEWED, State.ACCEPTED)
# What a state means to someone looking at a unit's work (the list's heading too).
STATE_WORDS = {State.DRAFT: "Chưa gửi", State.SUBMITTED: "Chờ thẩm định", State.REVIEWED: "Chờ tiếp nhận",
               State.ACCEPTED: "Đã tiếp nhận"}


def unit_kinds():
    """The kinds every unit owes in a period (made when it opens): task results, report, self-assessment."""
    return [kind for kind in kinds.all_kinds() if kind.on_open is not None]


def opened_periods():
    return db.session.scalars(select(ReportingPeriod).where(ReportingPeriod.opened_at.is_not(None))
                              .order_by(ReportingPeriod.due_date, ReportingPeriod.id)).all()


def default_period(periods):
    """The period being worked on: the earliest due with items not yet accepted, else the last one."""
    unsettled = set()
    for kind in unit_kinds():
        model = kind.model
        unsettled.update(db.session.scalars(select(model.period_id).where(model.state != State.ACCEPTED).distinct()))
    return next((p for p in periods if p.id in unsettled), periods[-1] if periods else None)


@dataclass
class Cell:
    """One unit's items of one kind in the period: how many in each state, and the drafts that are late."""
    counts: dict = field(default_factory=lambda: dict.fromkeys(STATES, 0))
    late: int = 0

    @property
    def total(self):
        return sum(self.counts.values())

    def not_late(self, state):
        """The items in `state` besides the late ones (shown apart, in red)."""
        return self.counts[state] - (self.late if state == State.DRAFT else 0)

    def parts(self):
        """(key, count, words) of each non-empty group, late first: key "late" or a state's value."""
        found = [("late", self.late, "quá hạn")] if self.late else []
        return found + [(s.value, self.not_late(s), STATE_WORDS[s].lower()) for s in STATES if self.not_late(s)]


@dataclass
class Row:
    unit: Unit
    cells: dict   # kind key -> Cell

    @property
    def late(self):
        return sum(c.late for c in self.cells.values())


def matrix(period, now, unit_id=None):
    """[Row] per active unit with items in the period (or only `unit_id`'s), and the totals Row (unit None)."""
    late = period_is_late(period, now)
    units_query = select(Unit).order_by(Unit.code)  # an inactive unit's items still count
    if unit_id is not None:
        units_query = units_query.where(Unit.id == unit_id)
    units = {u.id: u for u in db.session.scalars(units_query)}
    rows = {uid: Row(unit, {k.key: Cell() for k in unit_kinds()}) for uid, unit in units.items()}
    total = Row(None, {k.key: Cell() for k in unit_kinds()})
    for kind in unit_kinds():
        model = kind.model
        query = (select(model.unit_id, model.state, func.count()).where(model.period_id == period.id)
                 .group_by(model.unit_id, model.state))
        for unit_id, state, n in db.session.execute(query):
            if unit_id not in rows:
                continue  # another unit's, on a unit's own dashboard
            for cell in (rows[unit_id].cells[kind.key], total.cells[kind.key]):
                cell.counts[State(state)] += n
                if late and state == State.DRAFT:
                    cell.late += n
    shown = [row for row in rows.values() if any(c.total for c in row.cells.values())]
    return shown, total


@dataclass
class Progress:
    key: str       # short: the unit's code, the area's number (chart labels)
    label: str
    done: int      # tasks whose result says "Hoàn thành" and was accepted: what the ward stands behind
    claimed: int   # reported "Hoàn thành", not yet accepted
    due: int       # tasks whose deadline has come (by `today`)
    total: int

    def share(self, part):
        return round(100 * part / self.total) if self.total else 0


def _progress(period, today, unit_id=None):
    """{(unit id, area id): (done, claimed, due, total)}: one grouped scan of the period's results gives
    both the per-unit and the per-area bars."""
    finished = TaskResult.work_status == "done"
    done = func.sum(case((finished & (TaskResult.state == State.ACCEPTED), 1), else_=0))
    claimed = func.sum(case((finished & (TaskResult.state != State.ACCEPTED), 1), else_=0))
    due = func.sum(case((Task.deadline <= today, 1), else_=0))
    query = (select(TaskResult.unit_id, Task.area_id, done, claimed, due, func.count())
             .join(Task, TaskResult.task_id == Task.id)
             .where(TaskResult.period_id == period.id).group_by(TaskResult.unit_id, Task.area_id))
    if unit_id is not None:
        query = query.where(TaskResult.unit_id == unit_id)
    return {(u, a): (int(d or 0), int(c or 0), int(w or 0), n) for u, a, d, c, w, n in db.session.execute(query)}


def _summed(cells, part):
    """The (done, claimed, due, total) of `cells` added up per key part (0: unit, 1: area)."""
    sums = {}
    for key, figures in cells.items():
        sums[key[part]] = tuple(a + b for a, b in zip(sums.get(key[part], (0, 0, 0, 0)), figures))
    return sums


def progress(period, today, unit_id=None):
    """(per lead unit, per plan area) progress of the period's tasks, from one query."""
    cells = _progress(period, today, unit_id)
    by_unit, by_area = _summed(cells, 0), _summed(cells, 1)
    units = db.session.scalars(select(Unit).where(Unit.id.in_(by_unit)).order_by(Unit.code)).all() if by_unit else []
    areas = db.session.scalars(select(Area).where(Area.id.in_(by_area)).order_by(Area.number)).all() if by_area else []
    return ([Progress(u.code, u.name, *by_unit[u.id]) for u in units],
            [Progress(f"Lĩnh vực {a.number}", a.label, *by_area[a.id]) for a in areas])


def late_units(rows):
    """Units with late drafts, the latest first: (unit, late count)."""
    return sorted(((r.unit, r.late) for r in rows if r.late), key=lambda pair: (-pair[1], pair[0].code))

