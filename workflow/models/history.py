"""Append-only history of transitions, notifications, and evidence files of items."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .org import User, utcnow


class ItemHistory(db.Model):
    """One row per transition. Never updated or deleted (see the guard below)."""
    __tablename__ = "item_history"
    __table_args__ = (Index("ix_item_history_item", "item_kind", "item_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_kind: Mapped[str] = mapped_column(String(20))
    item_id: Mapped[int]
    action: Mapped[str] = mapped_column(String(12))
    from_state: Mapped[str] = mapped_column(String(12))
    to_state: Mapped[str] = mapped_column(String(12))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    actor_role: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    snapshot: Mapped[dict | None] = mapped_column(JSON)  # the content at submit and return, for the change view
    at: Mapped[datetime] = mapped_column(default=utcnow)

    actor: Mapped[User] = relationship()


@event.listens_for(ItemHistory, "before_update")
@event.listens_for(ItemHistory, "before_delete")
def _history_is_append_only(_mapper, _connection, _target):
    raise RuntimeError("item_history is append-only")


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    item_kind: Mapped[str] = mapped_column(String(20))
    item_id: Mapped[int]
    text: Mapped[str] = mapped_column(String(400))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]


class Evidence(db.Model):
    """A file attached to an item. Stored under a random name; the original name is only shown."""
    __tablename__ = "evidence"
    __table_args__ = (Index("ix_evidence_item", "item_kind", "item_id"),
                      UniqueConstraint("item_kind", "item_id", "sha256"))  # the same file twice on one item

    id: Mapped[int] = mapped_column(primary_key=True)
    item_kind: Mapped[str] = mapped_column(String(20))
    item_id: Mapped[int]
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    uploaded_by: Mapped[User] = relationship()
