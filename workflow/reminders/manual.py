""""Nhắc nhở" by hand: VHXH, the VP office and the leaders remind a unit about one item it still holds.
The reminder is written to the item's history, the unit's notifications and the outbox, in one
transaction."""
from sqlalchemy import select
from werkzeug.exceptions import Conflict

from ..access import require_role
from ..extensions import db
from ..mail import compose, outbox
from ..models import ItemHistory, Notification, Role, User, UserRole
from ..models.state import State

REMINDERS = (Role.REVIEWER, Role.ACCEPTOR, Role.CHAIRMAN)
NOT_HELD = "Hồ sơ này không còn ở đơn vị (đã gửi hoặc đã tiếp nhận), không cần nhắc nhở."
MAX_TEXT = 1000


def may_remind(user, item):
    return user.has_role(*REMINDERS) and item.state == State.DRAFT


def require_reminder(user):
    require_role(user, *REMINDERS)


def _default_text(item):
    return f"Đề nghị {item.unit.name} hoàn thành và gửi “{item.title}” (hạn {item.period.due_date:%d/%m/%Y})."


def _members(unit_id):
    return db.session.scalars(select(User).join(UserRole).where(User.active, User.unit_id == unit_id,
                                                                 UserRole.role == Role.MEMBER.value)).all()


def remind(actor, item, text=""):
    """Write the reminder (history, notifications, e-mail) and commit; returns the history row."""
    require_reminder(actor)
    if item.state != State.DRAFT:
        raise Conflict(NOT_HELD)
    text = (text or "").strip()[:MAX_TEXT] or _default_text(item)
    role = next(r for r in REMINDERS if actor.has_role(r))
    entry = ItemHistory(item_kind=item.KIND, item_id=item.id, action="remind", from_state=item.state,
                        to_state=item.state, actor_id=actor.id, actor_role=role.value, reason=text)
    db.session.add(entry)
    db.session.flush()  # its id names the e-mails, so a second reminder is a second message
    people = _members(item.unit_id)
    notice = f"{actor.full_name} nhắc nhở về “{item.title}”: {text}"[:400]
    db.session.add_all(Notification(user_id=p.id, item_kind=item.KIND, item_id=item.id, text=notice) for p in people)
    outbox.enqueue_many(compose.message(
        "reminder_manual", key=f"manual:{p.id}:{item.KIND}:{item.id}:{entry.id}", category="manual", user=p,
        subject=f"Nhắc nhở: {item.title}"[:300], link=f"/items/{item.KIND}/{item.id}", item_kind=item.KIND,
        item_id=item.id, item=item, actor=actor, text=text) for p in people)
    db.session.commit()
    return entry
