"""Append-only history of transitions, notifications, and evidence files of items."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .org import User, utcnow
from .state import State, StateType


class ItemHistory(db.Model):
    """One row per transition. Never updated or deleted (see the guard below)."""
    __tablename__ = "item_history"
    __table_args__ = (Index("ix_item_history_item", "item_kind", "item_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_kind: Mapped[str] = mapped_column(String(20))
    item_id: Mapped[int]
    action: Mapped[str] = mapped_column(String(12))
    from_state: Mapped[State] = mapped_column(StateType)
    to_state: Mapped[State] = mapped_column(StateType)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    actor_role: Mapped[str] = mapped_column(String(20))
    # The person whose role the actor held by delegation for this step (models.issuance.Delegation).
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    snapshot: Mapped[dict | None] = mapped_column(JSON)  # the content at submit and return, for the change view
    at: Mapped[datetime] = mapped_column(default=utcnow)

    actor: Mapped[User] = relationship(foreign_keys=[actor_id])
    on_behalf_of: Mapped[User | None] = relationship(foreign_keys=[on_behalf_of_id])


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


# What an evidence file may be, by the extension it is stored and served with (evidence.py judges the
# type from the bytes, never from the name).
EVIDENCE_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_EXTENSION = {content_type: ext for ext, content_type in EVIDENCE_TYPES.items()}
_SAME_EXTENSION = {"jpg": ("jpg", "jpeg")}


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
    # What the file proves, in the uploader's words; shown beside its name. "" when none was given
    # (the server default fills the rows that existed before captions).
    caption: Mapped[str] = mapped_column(String(300), default="", server_default="")
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    uploaded_by: Mapped[User] = relationship()

    @property
    def download_name(self):
        """The original name, with the extension of the type the content really is appended when it differs."""
        ext = _EXTENSION.get(self.content_type)
        name = self.original_name
        current = name.rsplit(".", 1)[1].lower() if "." in name else ""
        if ext is None or current in _SAME_EXTENSION.get(ext, (ext,)):
            return name
        return f"{name}.{ext}"
