"""Lists of items for the inbox pages: a fixed number of queries whatever the number of items
(one per kind), and the kinds they cover come from the registry."""
from dataclasses import dataclass

from sqlalchemy import String, cast, func, literal, select, tuple_, union_all
from sqlalchemy.orm import joinedload

from .. import kinds
from ..access import QUEUES, may_open_queue, may_work
from ..extensions import db
from ..formats import vn_sort_key
from ..models import Notification, ReportingPeriod, Unit
from ..models.org import utcnow
from ..paging import PageNumbers
from .deadlines import due_deadline, is_overdue
from .states import DRAFT, stages_for


def _load(kind):
    model = kind.model
    return select(model).options(joinedload(model.period), joinedload(model.unit), joinedload(model.submitted_by),
                                 *kind.list_options())


SORTS = {"waiting": "Chờ lâu nhất trước", "due": "Hạn của kỳ", "unit": "Đơn vị"}
PER_PAGE = 50


@dataclass
class QueueFilters:
    unit_id: int | None = None
    period_id: int | None = None
    kind: str | None = None
    sort: str = "waiting"

    def kinds(self):
        return [self.kind] if self.kind else None

    def args(self, **changes):
        """The query string of these filters (with `changes`), for links."""
        values = {"unit": self.unit_id, "period": self.period_id, "kind": self.kind,
                  "sort": None if self.sort == "waiting" else self.sort, **changes}
        return {k: v for k, v in values.items() if v is not None}


def _sort_key(item):
    return (item.period.due_date, item.unit.code, vn_sort_key(item.sort_code))


def _waiting(role, filters, sort=None):
    """(kind, id, submitted_at[, due_date, unit_code]) of every item waiting for `role` under the filters:
    one SELECT per (kind, state) the role moves on, as one UNION ALL subquery (None: nothing can wait).
    The period and the unit are joined only for the sorts that need them: the default order and the
    count read the (state, submitted_at) index alone."""
    parts = []
    for key, state in stages_for(role, filters.kinds()):
        model = kinds.get(key).model
        stmt = (select(cast(literal(key), String(40)).label("kind"), model.id.label("id"),
                       model.submitted_at.label("submitted_at")).where(model.state == state))
        if sort == "due":
            stmt = stmt.join(ReportingPeriod, model.period_id == ReportingPeriod.id).add_columns(
                ReportingPeriod.due_date.label("due_date"))
        if sort == "unit":
            stmt = stmt.join(Unit, model.unit_id == Unit.id).add_columns(Unit.code.label("unit_code"))
        if filters.unit_id:
            stmt = stmt.where(model.unit_id == filters.unit_id)
        if filters.period_id:
            stmt = stmt.where(model.period_id == filters.period_id)
        parts.append(stmt)
    return union_all(*parts).subquery() if parts else None


def _order(waiting, sort):
    """The queue's order: the sort asked for, then the oldest sent first, then a stable (kind, id)."""
    first = {"due": [waiting.c.get("due_date")], "unit": [waiting.c.get("unit_code")]}.get(sort, [])
    return [*first, waiting.c.submitted_at, waiting.c.kind, waiting.c.id]


@dataclass
class QueuePage(PageNumbers):
    items: list
    total: int
    page: int
    per_page: int


def _load_keys(keys):
    """The items named by (kind, id) pairs, loaded with one query per kind, in the pairs' order."""
    ids = {}
    for key, item_id in keys:
        ids.setdefault(key, []).append(item_id)
    found = {}
    for key, wanted in ids.items():
        kind = kinds.get(key)
        for item in db.session.scalars(_load(kind).where(kind.model.id.in_(wanted))).unique():
            found[(key, item.id)] = item
    return [found[k] for k in keys if k in found]


def queue(role, filters, page=1):
    """One page of the items waiting for someone with `role` to move them on (per the transition
    tables), in the filters' order: a count, the page's keys, one load per kind on the page."""
    per_page = PER_PAGE
    waiting = _waiting(role, filters)
    if waiting is None:
        return QueuePage([], 0, 1, per_page)
    total = db.session.scalar(select(func.count()).select_from(waiting))
    page = min(max(page, 1), QueuePage([], total, 1, per_page).pages)
    ordered = _waiting(role, filters, filters.sort)
    keys = db.session.execute(select(ordered.c.kind, ordered.c.id).order_by(*_order(ordered, filters.sort))
                              .limit(per_page).offset((page - 1) * per_page)).all()
    return QueuePage(_load_keys([tuple(k) for k in keys]), total, page, per_page)


def waiting_batches(role, filters, size):
    """Every item waiting for `role` under the filters, `size` at a time, walked by (kind, id): acting on
    a batch takes its items out of the queue, so the walk goes on after the last key, not by offset."""
    waiting = _waiting(role, filters)
    last = None
    while waiting is not None:
        stmt = select(waiting.c.kind, waiting.c.id).order_by(waiting.c.kind, waiting.c.id).limit(size)
        if last is not None:
            stmt = stmt.where(tuple_(waiting.c.kind, waiting.c.id) > last)
        keys = [tuple(k) for k in db.session.execute(stmt)]
        if not keys:
            return
        yield _load_keys(keys)
        last = keys[-1]


def queue_kinds(role):
    """(key, label) of the kinds that ever wait in `role`'s queue: the queue's kind filter."""
    keys = dict.fromkeys(key for key, _ in stages_for(role))
    return [(key, kinds.get(key).label) for key in keys]


def unit_work(unit_id, now=None):
    """The unit's items grouped for "Việc của đơn vị": returned first, then open drafts, then the rest."""
    now = now or utcnow()
    items = []
    for kind in kinds.all_kinds():
        items += db.session.scalars(_load(kind).where(kind.model.unit_id == unit_id)).all()
    items.sort(key=_sort_key)
    return {
        "returned": [i for i in items if i.is_returned],
        "drafts": [i for i in items if i.is_draft and not i.is_returned],
        "in_review": [i for i in items if i.in_review],
        "settled": [i for i in items if i.is_accepted],
        "overdue": {(i.KIND, i.id) for i in items if is_overdue(i, now)},
    }


def filter_choices():
    units = db.session.scalars(select(Unit).order_by(Unit.code)).all()
    periods = db.session.scalars(select(ReportingPeriod).order_by(ReportingPeriod.due_date)).all()
    return units, periods


def unread_count(user_id):
    return db.session.scalar(select(func.count(Notification.id))
                             .where(Notification.user_id == user_id, Notification.read_at.is_(None)))


def notifications(user_id, limit=50):
    return db.session.scalars(select(Notification).where(Notification.user_id == user_id)
                              .order_by(Notification.id.desc()).limit(limit)).all()


def _count(model, *conditions):
    return db.session.scalar(select(func.count(model.id)).where(*conditions))


def todo(user, now=None):
    """What waits for this person, as (text, endpoint, arguments, count, urgent) lines for the home page."""
    now = now or utcnow()
    lines = []
    if may_work(user):
        drafts = returned = overdue = 0
        for kind in kinds.all_kinds():
            model = kind.model
            rows = db.session.execute(select(model.return_reason, ReportingPeriod.due_date)
                                      .join(ReportingPeriod, model.period_id == ReportingPeriod.id)
                                      .where(model.unit_id == user.unit_id, model.state == DRAFT)).all()
            drafts += len(rows)
            returned += sum(1 for reason, _ in rows if reason)
            overdue += sum(1 for _, due in rows if now >= due_deadline(due))
        if returned:
            lines.append(("hồ sơ bị trả lại cần sửa", "items.work", {}, returned, True))
        if overdue:
            lines.append(("hồ sơ quá hạn chưa gửi", "items.work", {}, overdue, True))
        if drafts:
            lines.append(("hồ sơ dự thảo của đơn vị", "items.work", {}, drafts, False))
    for stage, text in (("review", "hồ sơ chờ thẩm định"), ("accept", "hồ sơ chờ tiếp nhận, thẩm tra"),
                        ("sign", "văn bản chờ ký ban hành")):
        if may_open_queue(user, stage):
            waiting = sum(_count(kinds.get(key).model, kinds.get(key).model.state == state)
                          for key, state in stages_for(QUEUES[stage]))
            if waiting:
                lines.append((text, "items.queue", {"stage": stage}, waiting, False))
    return lines
