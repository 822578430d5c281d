"""Lists of items for the inbox pages: a fixed number of queries whatever the number of items
(one per kind), and the kinds they cover come from the registry."""
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from .. import kinds
from ..access import QUEUES, may_open_queue, may_work
from ..extensions import db
from ..formats import vn_sort_key
from ..models import Notification, ReportingPeriod, Unit
from ..models.org import utcnow
from .deadlines import due_deadline, is_overdue
from .states import DRAFT, stages_for


def _load(kind):
    model = kind.model
    return select(model).options(joinedload(model.period), joinedload(model.unit), joinedload(model.submitted_by),
                                 *kind.list_options())


@dataclass
class QueueFilters:
    unit_id: int | None = None
    period_id: int | None = None
    kind: str | None = None

    def kinds(self):
        return [self.kind] if self.kind else None


def _sort_key(item):
    return (item.period.due_date, item.unit.code, vn_sort_key(item.sort_code))


def queue(role, filters):
    """Items waiting for someone with `role` to move them on (per the transition tables), oldest first."""
    items = []
    for key, state in stages_for(role, filters.kinds()):
        kind = kinds.get(key)
        model = kind.model
        stmt = _load(kind).where(model.state == state)
        if filters.unit_id:
            stmt = stmt.where(model.unit_id == filters.unit_id)
        if filters.period_id:
            stmt = stmt.where(model.period_id == filters.period_id)
        items += db.session.scalars(stmt).all()
    return sorted(items, key=lambda i: (i.submitted_at or utcnow(), _sort_key(i)))


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
