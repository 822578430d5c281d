"""Opening a period, loading an item for a person, and reading an item's history. No request objects
here, and no kind named: each kind's record (workflow/kinds.py) says what opening a period creates
and what the item page loads."""
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import NotFound

from .. import kinds
from ..access import may_see, require_admin, require_editable
from ..extensions import db
from ..models import ItemHistory, Notification, User, UserRole
from ..models.org import utcnow
from ..reminders import opening
from . import states
from .states import DRAFT, snapshot_of


OPEN_ATTEMPTS = 3


def open_period(actor, period):
    """Create every item the period needs (each kind's `on_open`) as an empty draft, at once.
    Returns {kind key: how many were created}; opening again creates only what is missing.

    Two admins opening the same period at the same moment both find nothing there and both create the
    drafts; the unique constraints ((task, period), (unit, period)) let the first commit and refuse the
    second. The refused one rolls back and looks again: it then creates only what is still missing
    (nothing, usually, and says so), never a second draft and never a 500."""
    require_admin(actor)
    for attempt in range(1, OPEN_ATTEMPTS + 1):
        try:
            created = {kind.key: kind.on_open(period) for kind in kinds.all_kinds() if kind.on_open}
            period.opened_at = period.opened_at or utcnow()
            if any(created.values()):
                opening.announce(period)  # each unit hears what it owes, in this transaction
            db.session.commit()
            return created
        except IntegrityError:
            db.session.rollback()  # someone else's drafts are in: look again for what is missing
            if attempt == OPEN_ATTEMPTS:
                raise


def describe_opened(period, created):
    """What opening `period` did, in a sentence for the admin's message and the CLI."""
    parts = [f"{n} {_lower_first(kinds.get(key).label)}" for key, n in created.items() if n]
    if not parts:
        return f"Kỳ {period.name} đã đủ hồ sơ; không tạo thêm hồ sơ nào."
    return f"Đã mở kỳ {period.name}: tạo {'; '.join(parts)} ở trạng thái dự thảo."  # a label may hold a comma


def _lower_first(text):
    return text[:1].lower() + text[1:]


def fill_draft(user, item, fill):
    """Apply a kinds.Fill to the draft as one saved version; returns how many places it filled."""
    require_editable(user, item)
    filled = []
    states.edit_draft(user, item, item.version, lambda: filled.append(fill.apply(item)))
    return filled[0]


def load_item(user, kind, item_id):
    """The item if this user may see it; 404 otherwise, so other units' drafts do not even show they exist.
    `kind` is the kind's key, as in the item's URL."""
    record = kinds.get(kind)
    item = db.session.get(record.model, item_id, options=list(record.page_options()))
    if item is None or not may_see(user, item):
        raise NotFound()
    return item


def holders(role):
    """The active people holding `role` (who is expected to act next, by name)."""
    return db.session.scalars(select(User).join(UserRole).where(UserRole.role == role.value, User.active.is_(True))
                              .order_by(User.full_name)).all()


def history(item):
    return db.session.scalars(select(ItemHistory).where(ItemHistory.item_kind == item.KIND,
                                                        ItemHistory.item_id == item.id)
                              .options(selectinload(ItemHistory.actor), selectinload(ItemHistory.on_behalf_of))
                              .order_by(ItemHistory.id)).all()


def timeline(item, rows, now=None):
    """History rows with how long the item stayed in the state each one left it in."""
    now = now or utcnow()
    stops = [row.at for row in rows[1:]] + [now]
    return [(row, stop - row.at) for row, stop in zip(rows, stops)]


def changes_since_return(item, rows):
    """Field by field, what the unit changed after the last return (shown to the reviewer)."""
    if item.state == DRAFT:
        return []
    returns = [r for r in rows if r.action in ("return", "reopen") and r.snapshot]
    if not returns:
        return []
    before, after = returns[-1].snapshot, snapshot_of(item)
    return [(label, before.get(label, ""), value) for label, value in after.items() if before.get(label, "") != value]


def refresh(item):
    """After a refused action: show the item as it is now, not as this request last saw it."""
    db.session.rollback()
    db.session.refresh(item)


def mark_all_read(user):
    db.session.execute(update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
                       .values(read_at=utcnow()))
    db.session.commit()
