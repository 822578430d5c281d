"""In-app notifications of workflow actions: a hook after every action, in the action's transaction.

Who hears of an action: the people who take the next step (read from the item's transition table),
or the owning unit's people. Never the person who acted."""
from sqlalchemy import select

from .. import kinds
from ..extensions import db
from ..models import Notification, Role, User, UserRole
from .states import FORWARD, OWNER, labels, table

NOTICES = {
    "submit": ("review", "{unit} đã gửi “{title}”, chờ thẩm định."),
    "review": ("accept", "“{title}” đã được thẩm định, chờ tiếp nhận."),
    "return": (OWNER, "“{title}” bị trả lại: {reason}"),
    "accept": (OWNER, "“{title}” đã được tiếp nhận."),
    "reopen": (OWNER, "“{title}” được mở lại: {reason}"),
}


def unit_members(unit_id):
    """The unit's people (its active members), who hear of what happens to its items."""
    return db.session.scalars(_holders(Role.MEMBER).where(User.unit_id == unit_id)).all()


def _holders(role):
    return select(User).join(UserRole).where(User.active, UserRole.role == role.value)


def _recipients(item, audience):
    """Members of the owning unit, or everyone holding the role: not everyone with a role."""
    return unit_members(item.unit_id) if audience == OWNER else db.session.scalars(_holders(audience)).all()


@kinds.after_every_action
def notify(done):
    if done.action not in NOTICES:
        return
    item = done.item
    audience, template = NOTICES[done.action]
    if audience != OWNER:  # the people of the step that moves the item on from where this one left it
        step = next(r for r in table(item) if r.source == done.rule.target and r.action in FORWARD)
        audience = step.role
        if step.action != NOTICES[done.action][0]:  # a kind whose next step is another ("Phê duyệt")
            template = template.rsplit(",", 1)[0] + f", chờ {labels(item)[step.action].lower()}."
    text = template.format(unit=item.unit.name, title=item.title, reason=done.reason)[:400]
    for user in _recipients(item, audience):
        if user.id != done.actor.id:
            db.session.add(Notification(user_id=user.id, item_kind=item.KIND, item_id=item.id, text=text))
