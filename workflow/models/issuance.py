"""Issuing documents: the outgoing register (sổ văn bản đi) that numbers them, and the delegations
(ủy quyền) that let one person take another's step for a while."""
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .org import User, utcnow

# Decree 30, Appendix III: the abbreviations of the document types the ward issues.
DOC_TYPES = {"BC": "Báo cáo", "QĐ": "Quyết định", "KH": "Kế hoạch", "CV": "Công văn", "TB": "Thông báo",
             "TTr": "Tờ trình", "GM": "Giấy mời", "HD": "Hướng dẫn", "BB": "Biên bản", "CTr": "Chương trình"}


class RegisterCounter(db.Model):
    """The last number given by an issuing body in a year. Taking a number is one conditional UPDATE of
    this row inside the signing transaction, so two signings at once queue on it: no gap, no duplicate."""
    __tablename__ = "register_counters"

    ward_id: Mapped[int] = mapped_column(ForeignKey("wards.id"), primary_key=True)
    issuer: Mapped[str] = mapped_column(String(30), primary_key=True)   # "UBND", or a unit's code
    year: Mapped[int] = mapped_column(primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


class RegisterEntry(db.Model):
    """One numbered document of the register: issued by the app, or reserved by hand for a paper one."""
    __tablename__ = "register_entries"
    __table_args__ = (UniqueConstraint("ward_id", "issuer", "year", "seq"),
                      Index("ix_register_item", "item_kind", "item_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("wards.id"))
    issuer: Mapped[str] = mapped_column(String(30))
    year: Mapped[int]
    seq: Mapped[int]
    symbol: Mapped[str] = mapped_column(String(40))          # ký hiệu: "BC-UBND", "BC-VHXH", "UBND-VHXH"
    doc_type: Mapped[str] = mapped_column(String(4))         # a DOC_TYPES key, or "CV"
    issued_on: Mapped[date]
    summary: Mapped[str] = mapped_column(String(500))        # trích yếu
    signer_name: Mapped[str] = mapped_column(String(120), default="")
    signer_title: Mapped[str] = mapped_column(String(120), default="")
    item_kind: Mapped[str | None] = mapped_column(String(20))  # the app's document it numbers, if any
    item_id: Mapped[int | None]
    by_hand: Mapped[bool] = mapped_column(default=False)     # reserved for a document made outside the app
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None]                    # the document was withdrawn (reopened); the number stays used
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)

    created_by: Mapped[User | None] = relationship()

    @property
    def number(self):
        """"245/BC-UBND"; numbers below 10 with a leading 0 (Decree 30)."""
        return f"{self.seq:02d}/{self.symbol}"

    @property
    def type_label(self):
        return DOC_TYPES.get(self.doc_type, self.doc_type)


class Delegation(db.Model):
    """The delegator lends one of their roles (for one kind of item, or every kind) to the delegate
    from one day to another, both included. It ends on its own; it may be revoked earlier."""
    __tablename__ = "delegations"
    __table_args__ = (Index("ix_delegations_delegate", "delegate_id", "starts_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    delegator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    delegate_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    role: Mapped[str] = mapped_column(String(20))
    kind_key: Mapped[str | None] = mapped_column(String(20))  # None: every kind of item
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    delegator: Mapped[User] = relationship(foreign_keys=[delegator_id])
    delegate: Mapped[User] = relationship(foreign_keys=[delegate_id])

    def covers(self, day):
        return self.revoked_at is None and self.starts_on <= day <= self.ends_on
