"""Mail that cannot be lost: every message is written to the outbox in the transaction of the event
that causes it, and a sender (workflow/mail/sender.py) drains it; the reminder policy, versioned; the
kinds of message a person has stopped."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .org import User, utcnow

# The kinds of message (what a one-click stop names), with the words the stop page uses.
MAIL_CATEGORIES = {
    "due": "nhắc hạn trước và đúng ngày đến hạn",
    "overdue": "bản tin hằng ngày về việc quá hạn",
    "escalation": "báo cáo việc quá hạn gửi người thẩm định và lãnh đạo",
    "queue": "bản tin việc chờ thẩm định, tiếp nhận",
    "weekly": "bản tin tuần gửi lãnh đạo UBND",
    "manual": "nhắc nhở của người thẩm định, tiếp nhận và lãnh đạo",
    "period": "thông báo mở kỳ báo cáo",
    "account": "thư về tài khoản (đặt lại mật khẩu)",
}
UNSTOPPABLE = {"account"}  # a password reset is asked for by its reader


class OutboxMessage(db.Model):
    """One e-mail to send. `key` names it — (recipient, item or digest, rule, day) — and is unique, so
    deciding the same reminder twice, in a rerun or in two processes at once, writes it once."""
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_pending", "sent_at", "next_attempt_at"),
                      Index("ix_outbox_item", "item_kind", "item_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    category: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    to_addr: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    item_kind: Mapped[str | None] = mapped_column(String(20))
    item_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]   # a sender has taken it (a stale claim is taken again)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))


class MailOptOut(db.Model):
    """A kind of message a person stopped with the link at the foot of one of them."""
    __tablename__ = "mail_opt_outs"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    category: Mapped[str] = mapped_column(String(20), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReminderPolicy(db.Model):
    """The reminder rules as data (workflow/reminders/policy.py reads them); each save is a new
    version and the newest applies, so what was sent can be explained by the version in force."""
    __tablename__ = "reminder_policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(unique=True)
    rules: Mapped[dict] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    created_by: Mapped[User | None] = relationship()
