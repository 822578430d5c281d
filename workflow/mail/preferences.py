"""Which kinds of message a person receives: the page where they see them, and take back a stop they
made with the link at the foot of a message (or stop a kind without waiting for one)."""
from sqlalchemy import delete, select

from ..access import require_signed_in
from ..extensions import db
from ..models import MAIL_CATEGORIES, UNSTOPPABLE, MailOptOut

CHOICES = [(key, words) for key, words in MAIL_CATEGORIES.items() if key not in UNSTOPPABLE]


def stopped(user):
    """The kinds the person has stopped."""
    return set(db.session.scalars(select(MailOptOut.category).where(MailOptOut.user_id == user.id)))


def receiving(user):
    """The kinds the person receives (the ticked boxes)."""
    stops = stopped(user)
    return [key for key, _ in CHOICES if key not in stops]


def save(user, receive):
    """Stop every kind not in `receive`, take back the stop of every kind in it, and commit."""
    require_signed_in(user)
    wanted = {key for key in receive if key in dict(CHOICES)}
    now_stopped = stopped(user)
    db.session.execute(delete(MailOptOut).where(MailOptOut.user_id == user.id, MailOptOut.category.in_(wanted)))
    for key, _ in CHOICES:
        if key not in wanted and key not in now_stopped:
            db.session.add(MailOptOut(user_id=user.id, category=key))
    db.session.commit()
