"""The clock on the homes: what is due within a week and what is late, per unit and period (one grouped
query per kind, shared with the scheduler)."""
from dataclasses import dataclass, replace

from sqlalchemy import func, select

from .. import kinds
from ..access import OVERSEERS
from ..extensions import db
from ..items.states import DRAFT
from ..models import ReportingPeriod, Unit
from . import manual

SOON_DAYS = 7
SHOWN = 10  # lines of each list on a home page; a city has 100 units × every opened period


def draft_counts(period_ids, unit_id=None):
    """(unit id, period id) -> {kind label: drafts} for the given periods (and one unit, if given)."""
    counts = {}
    for kind in kinds.dated_kinds():
        model = kind.model
        query = (select(model.unit_id, model.period_id, func.count()).where(model.state == DRAFT, model.period_id.in_(period_ids))
                 .group_by(model.unit_id, model.period_id))
        if unit_id is not None:
            query = query.where(model.unit_id == unit_id)
        for unit, period, n in db.session.execute(query):
            per_kind = counts.setdefault((unit, period), {})
            per_kind[kind.label] = per_kind.get(kind.label, 0) + n
    return counts


@dataclass(frozen=True)
class Line:
    unit: Unit
    period: ReportingPeriod
    counts: dict   # kind label -> drafts
    days: int      # left before the due day (soon), or late after it
    reminded: object = None  # manual.Reminded: the unit's last reminder of the period (late lines shown)

    @property
    def total(self):
        return sum(self.counts.values())


@dataclass
class Clock:
    soon: list        # Line, the SHOWN nearest
    late: list        # Line, the SHOWN latest
    more_soon: int    # lines left out of each list
    more_late: int
    late_periods: list  # the periods of every late line: where the full picture is (the status pages)


def clock(user, day):
    """The person's unit's lines, or every unit's for an overseer: what falls due within SOON_DAYS and
    what is late, each list cut to SHOWN lines."""
    periods = {p.id: p for p in db.session.scalars(select(ReportingPeriod).where(ReportingPeriod.opened_at.is_not(None)))}
    if not periods:
        return Clock([], [], 0, 0, [])
    mine = None if user.has_role(*OVERSEERS) else user.unit_id
    counts = draft_counts(list(periods), mine)
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_({u for u, _ in counts})))} if counts else {}
    soon, late = [], []
    for (unit_id, period_id), per_kind in counts.items():
        left = (periods[period_id].due_date - day).days
        if 0 <= left <= SOON_DAYS:
            soon.append(Line(units[unit_id], periods[period_id], per_kind, left))
        elif left < 0:
            late.append(Line(units[unit_id], periods[period_id], per_kind, -left))
    soon.sort(key=lambda line: (line.days, line.unit.code))
    late.sort(key=lambda line: (-line.days, line.unit.code))
    late_periods = sorted({line.period for line in late}, key=lambda p: (p.due_date, p.id))
    return Clock(soon[:SHOWN], _with_reminders(late[:SHOWN]), max(0, len(soon) - SHOWN), max(0, len(late) - SHOWN),
                 late_periods)


def _with_reminders(lines):
    """The late lines with their unit's last reminder: one statement per period among them (at most
    SHOWN, in practice the few periods still open)."""
    found = {}
    for period in {line.period for line in lines}:
        units = [line.unit.id for line in lines if line.period == period]
        found.update({(unit_id, period.id): r for unit_id, r in manual.reminded(period, units).items()})
    return [replace(line, reminded=found.get((line.unit.id, line.period.id))) for line in lines]
