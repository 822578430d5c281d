""""Nhắc nhở" by hand: VHXH, the VP office and the leaders remind a unit about one item it still holds,
or about all its overdue items of a period at once. The reminder is written to each item's history, the
unit's notifications and the outbox, in one transaction."""
from sqlalchemy import select
from werkzeug.exceptions import Conflict

from .. import kinds
from ..access import require_role
from ..extensions import db
from ..formats import vn_sort_key
from ..items import notices
from ..items.deadlines import period_is_late
from ..mail import compose, outbox
from ..models import ItemHistory, Notification, Role
from ..models.org import utcnow
from ..models.state import State

REMINDERS = (Role.REVIEWER, Role.ACCEPTOR, Role.CHAIRMAN)
NOT_HELD = "Hồ sơ này không còn ở đơn vị (đã gửi hoặc đã tiếp nhận), không cần nhắc nhở."
MAX_TEXT = 1000


def may_remind(user, item):
    return user.has_role(*REMINDERS) and item.state == State.DRAFT


def may_remind_units(user):
    return user.has_role(*REMINDERS)


def require_reminder(user):
    require_role(user, *REMINDERS)


def _default_text(item):
    return f"Đề nghị {item.unit.name} hoàn thành và gửi “{item.title}” (hạn {item.period.due_date:%d/%m/%Y})."


def _record(actor, items, text, notice):
    """A history row on each item and a notification to each of the unit's people (pointing at the
    first item); returns (the first history row, the people)."""
    role = next(r for r in REMINDERS if actor.has_role(r))
    entries = [ItemHistory(item_kind=i.KIND, item_id=i.id, action="remind", from_state=i.state, to_state=i.state,
                           actor_id=actor.id, actor_role=role.value, reason=text) for i in items]
    db.session.add_all(entries)
    db.session.flush()  # its id names the e-mails, so a second reminder is a second message
    people = notices.unit_members(items[0].unit_id)
    db.session.add_all(Notification(user_id=p.id, item_kind=items[0].KIND, item_id=items[0].id, text=notice[:400])
                       for p in people)
    return entries[0], people


def remind(actor, item, text=""):
    """Write the reminder (history, notifications, e-mail) and commit; returns the history row."""
    require_reminder(actor)
    if item.state != State.DRAFT:
        raise Conflict(NOT_HELD)
    text = (text or "").strip()[:MAX_TEXT] or _default_text(item)
    entry, people = _record(actor, [item], text, f"{actor.full_name} nhắc nhở về “{item.title}”: {text}")
    outbox.enqueue_many(compose.message(
        "reminder_manual", key=f"manual:{p.id}:{item.KIND}:{item.id}:{entry.id}", category="manual", user=p,
        subject=f"Nhắc nhở: {item.title}"[:300], link=f"/items/{item.KIND}/{item.id}", item_kind=item.KIND,
        item_id=item.id, item=item, actor=actor, text=text) for p in people)
    db.session.commit()
    return entry


NOTHING_LATE = "Đơn vị không còn hồ sơ quá hạn nào của kỳ này."


def overdue_items(unit, period, now):
    """The unit's drafts of the period once its due day has passed (one query per kind)."""
    if not period_is_late(period, now):
        return []
    found = []
    for kind in kinds.all_kinds():
        model = kind.model
        found += db.session.scalars(select(model).where(model.unit_id == unit.id, model.period_id == period.id,
                                                        model.state == State.DRAFT)).all()
    return sorted(found, key=lambda item: vn_sort_key(item.sort_code))


def remind_unit(actor, unit, period, text=""):
    """Remind `unit` of all its overdue items of `period` (history of each, one notification and one
    e-mail per person listing them) and commit; how many items."""
    require_reminder(actor)
    items = overdue_items(unit, period, utcnow())
    if not items:
        raise Conflict(NOTHING_LATE)
    text = (text or "").strip()[:MAX_TEXT] or (f"Đề nghị {unit.name} hoàn thành và gửi ngay {len(items)} hồ sơ "
                                               f"{period.name} đã quá hạn (hạn {period.due_date:%d/%m/%Y}).")
    entry, people = _record(actor, items, text, f"{actor.full_name} nhắc nhở {len(items)} hồ sơ {period.name} quá hạn: {text}")
    outbox.enqueue_many(compose.message(
        "reminder_manual_unit", key=f"manual-unit:{p.id}:{unit.id}:{period.id}:{entry.id}", category="manual",
        user=p, subject=f"Nhắc nhở: {len(items)} hồ sơ {period.name} quá hạn"[:300], link="/work",
        unit=unit, period=period, items=items, actor=actor, text=text) for p in people)
    db.session.commit()
    return len(items)
