"""The list behind every figure of the dashboard: one kind's items of a period, filtered by unit, state
and lateness, a page at a time. Who may see what is part of the query: a unit's people get their own
unit's items whatever the address asks for."""
from dataclasses import dataclass

from sqlalchemy import false, func, select
from sqlalchemy.orm import contains_eager, joinedload

from ..access import may_follow_up, require_signed_in
from ..extensions import db
from ..models import ReportingPeriod, State, Unit
from ..validation import parse_id
from ..items.deadlines import period_is_late
from .figures import unit_kinds

PER_PAGE = 50


@dataclass(frozen=True)
class Filters:
    period: ReportingPeriod
    kind: object            # a Kind of unit_kinds()
    unit_id: int | None
    state: State | None
    late: bool              # drafts after the period's due day

    def args(self, **changes):
        """The query string of these filters (with `changes`), for links."""
        values = {"period": self.period.id, "kind": self.kind.key, "unit": self.unit_id,
                  "state": self.state.value if self.state else None, "late": 1 if self.late else None}
        values.update(changes)
        return {k: v for k, v in values.items() if v is not None}


def read_filters(args, periods):
    """Filters from the query string; anything unknown is dropped (never an error). None: no period."""
    by_id = {p.id: p for p in periods}
    period = by_id.get(parse_id(args.get("period")))
    if period is None:
        return None
    keys = {k.key: k for k in unit_kinds()}
    kind = keys.get(args.get("kind")) or unit_kinds()[0]
    state = args.get("state")
    return Filters(period, kind, parse_id(args.get("unit")), State(state) if state in set(State) else None,
                   args.get("late") == "1")


def _conditions(user, filters, model, now):
    conditions = [model.period_id == filters.period.id]
    unit_id = filters.unit_id if may_follow_up(user) else user.unit_id
    if unit_id is not None:
        conditions.append(model.unit_id == unit_id)
    if filters.state is not None:
        conditions.append(model.state == filters.state)
    if filters.late:
        conditions.append(model.state == State.DRAFT)
        if not period_is_late(filters.period, now):
            conditions.append(false())
    return conditions


def page_of(user, filters, page, now):
    """One page of the filtered items (their kind's list options: no query per row)."""
    require_signed_in(user)
    model = filters.kind.model
    stmt = (select(model).join(Unit, model.unit_id == Unit.id).where(*_conditions(user, filters, model, now))
            .options(contains_eager(model.unit), joinedload(model.period), *filters.kind.list_options())
            .order_by(Unit.code, model.id))
    return db.paginate(stmt, page=page, per_page=PER_PAGE, error_out=False, count=True)


def counts_by_kind(user, filters, now):
    """{kind key: how many} for the same filters in each unit kind (the tabs of the list)."""
    counts = {}
    for kind in unit_kinds():
        model = kind.model
        counts[kind.key] = db.session.scalar(select(func.count()).select_from(model)
                                             .where(*_conditions(user, filters, model, now)))
    return counts


def allowed_units(user):
    """The units a person may filter by: every active unit for those who follow up, else their own."""
    query = select(Unit).where(Unit.active).order_by(Unit.code)
    if not may_follow_up(user):
        query = query.where(Unit.id == user.unit_id)
    return db.session.scalars(query).all()

