"""Lists of items for the inbox pages: a fixed number of queries whatever the number of items."""
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import ITEM_MODELS, Notification, ReportingPeriod, Task, TaskResult, Unit, UnitReport
from ..models.org import utcnow
from .deadlines import due_deadline, is_overdue
from .states import DRAFT, stages_for

KIND_LABELS = {TaskResult.KIND: "Kết quả nhiệm vụ", UnitReport.KIND: "Báo cáo đơn vị",
               "consolidated": "Báo cáo tổng hợp của phường", "self-assessment": "Tự đánh giá, chấm điểm CCHC",
               "ranking": "Bảng xếp hạng CCHC"}


def _load(model):
    options = [joinedload(model.period), joinedload(model.unit), joinedload(model.submitted_by)]
    if model is TaskResult:
        options.append(joinedload(TaskResult.task).joinedload(Task.area))
    return select(model).options(*options)


@dataclass
class QueueFilters:
    unit_id: int | None = None
    period_id: int | None = None
    kind: str | None = None

    def kinds(self):
        return [self.kind] if self.kind in ITEM_MODELS else list(ITEM_MODELS)


def _sort_key(item):
    return (item.period.due_date, item.unit.code, getattr(getattr(item, "task", None), "code", ""))


def queue(role, filters):
    """Items waiting for someone with `role` to move them on (per the transition tables), oldest first."""
    items = []
    for kind, state in stages_for(role, filters.kinds()):
        model = ITEM_MODELS[kind]
        stmt = _load(model).where(model.state == state)
        if filters.unit_id:
            stmt = stmt.where(model.unit_id == filters.unit_id)
        if filters.period_id:
            stmt = stmt.where(model.period_id == filters.period_id)
        items += db.session.scalars(stmt).all()
    return sorted(items, key=lambda i: (i.submitted_at or utcnow(), _sort_key(i)))


def unit_work(unit_id, now=None):
    """The unit's items grouped for "Việc của đơn vị": returned first, then open drafts, then the rest."""
    now = now or utcnow()
    items = []
    for model in ITEM_MODELS.values():
        items += db.session.scalars(_load(model).where(model.unit_id == unit_id)).all()
    items.sort(key=_sort_key)
    return {
        "returned": [i for i in items if i.is_returned],
        "drafts": [i for i in items if i.state == DRAFT and not i.is_returned],
        "in_review": [i for i in items if i.state in ("submitted", "reviewed")],
        "accepted": [i for i in items if i.state == "accepted"],
        "overdue": {(i.KIND, i.id) for i in items if is_overdue(i, now)},
    }


def queue_counts():
    """How many items wait at each stage, for the home page."""
    counts = {}
    for model in ITEM_MODELS.values():
        for state, n in db.session.execute(select(model.state, func.count()).group_by(model.state)):
            counts[state] = counts.get(state, 0) + n
    return counts


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
    if user.has_role("member"):
        drafts = returned = overdue = 0
        for model in ITEM_MODELS.values():
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
    for role, text, stage in (("reviewer", "hồ sơ chờ thẩm định", "review"),
                              ("acceptor", "hồ sơ chờ tiếp nhận", "accept")):
        if user.has_role(role):
            waiting = sum(_count(ITEM_MODELS[kind], ITEM_MODELS[kind].state == state)
                          for kind, state in stages_for(role, ITEM_MODELS))
            if waiting:
                lines.append((text, "items.queue", {"stage": stage}, waiting, False))
    return lines
