"""The clock on the homes: what is due within a week and what is late, per unit and period (one grouped
query per kind, shared with the scheduler)."""
from dataclasses import dataclass

from sqlalchemy import func, select

from .. import kinds
from ..access import OVERSEERS
from ..extensions import db
from ..items.states import DRAFT
from ..models import ReportingPeriod, Unit

SOON_DAYS = 7


def draft_counts(period_ids, unit_id=None):
    """(unit id, period id) -> {kind label: drafts} for the given periods (and one unit, if given)."""
    counts = {}
    for kind in kinds.all_kinds():
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

    @property
    def total(self):
        return sum(self.counts.values())


def clock(user, day):
    """{"soon": [Line], "late": [Line]}: the person's unit's, or every unit's for an overseer."""
    periods = {p.id: p for p in db.session.scalars(select(ReportingPeriod).where(ReportingPeriod.opened_at.is_not(None)))}
    if not periods:
        return {"soon": [], "late": []}
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
    return {"soon": soon, "late": late}
