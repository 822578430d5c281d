"""Writing mail: a message goes into the outbox table in the caller's transaction — it exists if and
only if the event that caused it committed — and the sender (sender.py) delivers it later."""
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import UNSTOPPABLE, MailOptOut, OutboxMessage


@dataclass(frozen=True)
class Message:
    key: str          # (recipient, item or digest, rule, day): the same message decided twice is written once
    category: str     # a MAIL_CATEGORIES key: what the stop link at its foot stops
    user: object      # the recipient (a User with an e-mail address), or None for an address without an account
    subject: str
    text: str
    html: str
    item_kind: str | None = None
    item_id: int | None = None
    to: str | None = None  # the address when there is no account (a unit head)

    @property
    def address(self):
        return self.to if self.user is None else self.user.email


def _insert():
    dialect = db.session.get_bind().dialect.name
    return postgresql.insert(OutboxMessage) if dialect == "postgresql" else sqlite.insert(OutboxMessage)


def stopped(user, category):
    return stopped_by(user.id, category)


def stopped_by(user_id, category):
    """The person (by id) has stopped this kind of message."""
    if category in UNSTOPPABLE:
        return False
    return db.session.scalar(select(MailOptOut.user_id).where(MailOptOut.user_id == user_id,
                                                               MailOptOut.category == category)) is not None


def enqueue(message):
    """Write `message` to the outbox (not committed: the caller's transaction decides). False when the
    person has no address, stopped that kind of message, or the same key was written before."""
    return enqueue_many([message]) == 1


BATCH = 400  # rows per INSERT: well under SQLite's bound-parameter limit


def enqueue_many(messages):
    """enqueue() for many messages in a fixed number of statements (one read of the opt-outs, one INSERT
    per BATCH rows); how many were new."""
    messages = [m for m in messages if m.address and (m.user is None or m.user.active)]
    people = {m.user.id for m in messages if m.user is not None}
    stops = set(db.session.execute(select(MailOptOut.user_id, MailOptOut.category)
                                   .where(MailOptOut.user_id.in_(people))).all()) if people else set()
    rows = [dict(key=m.key[:200], category=m.category, user_id=m.user.id if m.user else None, to_addr=m.address,
                 subject=m.subject[:300], body_text=m.text, body_html=m.html, item_kind=m.item_kind, item_id=m.item_id)
            for m in messages if m.user is None or m.category in UNSTOPPABLE or (m.user.id, m.category) not in stops]
    written = 0
    for start in range(0, len(rows), BATCH):
        # RETURNING counts what was new: a multi-row INSERT's rowcount is -1 on psycopg.
        written += len(db.session.execute(_insert().values(rows[start:start + BATCH])
                                          .on_conflict_do_nothing(index_elements=["key"])
                                          .returning(OutboxMessage.id)).all())
    return written
