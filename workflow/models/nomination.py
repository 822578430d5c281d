"""Nominations for commendation (đề nghị khen thưởng) and the decision on commendation (Quyết định khen
thưởng). After a period's ranking sheet is approved, each unit proposes collectives and individuals with
CCHC achievements: one nomination per unit and period, an item of the workflow (the unit sends, VHXH
appraises each entry, the VP office takes it into the consolidated list). The entries VHXH agreed to in the
nominations the VP office took make the period's decision, a ward document (VHXH drafts it, the VP office
checks it, the chairman approves it by signing; the register numbers it): its frozen list is the annex and,
once signed, the public list."""
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .items import WorkflowItem
from .state import State

NOMINEE_KINDS = {"collective": "Tập thể", "individual": "Cá nhân"}


class Nomination(WorkflowItem, db.Model):
    __tablename__ = "nominations"
    __table_args__ = (UniqueConstraint("unit_id", "period_id"),)
    KIND = "nomination"
    STATE_LABELS = {State.SUBMITTED: "Chờ thẩm định", State.REVIEWED: "Chờ Văn phòng tổng hợp",
                    State.ACCEPTED: "Đã tổng hợp"}

    entries: Mapped[list["NominationEntry"]] = relationship(
        cascade="all, delete-orphan", order_by="NominationEntry.position", back_populates="nomination")

    @property
    def title(self):
        return f"Đề nghị khen thưởng CCHC {self.period.name}"

    def snapshot(self):
        return {f"{i}. {e.kind_label} {e.name}": f"{e.achievement} (Minh chứng: {e.evidence or '—'})"
                for i, e in enumerate(self.entries, 1)}

    def submit_problem(self):
        """Why the unit cannot send it yet: (field, message), or None."""
        if not self.entries:
            return "entries", "Chưa có tập thể, cá nhân nào được đề nghị."
        for e in self.entries:
            if e.kind == "individual" and not e.title.strip():
                return f"entries-{e.position}-title", f"Chưa ghi chức vụ của “{e.name}”."
            if not e.achievement.strip():
                return f"entries-{e.position}-achievement", f"Chưa ghi thành tích của “{e.name}”."
        return None

    def review_problem(self):
        """VHXH appraises every entry; a reason wherever it does not agree."""
        for e in self.entries:
            if e.agreed is None:
                return f"verdict-{e.id}", f"Chưa thẩm định đề nghị “{e.name}”."
            if not e.agreed and not e.appraisal_note.strip():
                return f"note-{e.id}", f"Không đồng ý đề nghị “{e.name}”: vui lòng nêu lý do."
        return None

    def accept_problem(self):
        if not any(e.agreed for e in self.entries):
            return "entries", "Không có đề nghị nào được thẩm định đồng ý: hãy trả lại đơn vị."
        return None


class NominationEntry(db.Model):
    """One collective or individual proposed, with VHXH's verdict (agreed) and note."""
    __tablename__ = "nomination_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(12), default="individual")
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200), default="")  # a person's position (chức vụ)
    achievement: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    agreed: Mapped[bool | None]
    appraisal_note: Mapped[str] = mapped_column(Text, default="")

    nomination: Mapped[Nomination] = relationship(back_populates="entries")

    @property
    def kind_label(self):
        return NOMINEE_KINDS.get(self.kind, self.kind)


class CommendationDecision(WorkflowItem, db.Model):
    """The period's Quyết định khen thưởng: the list frozen from the consolidated nominations when VHXH
    makes (or, while a draft, remakes) it, then checked, signed and numbered like the consolidated report.
    `rows`: [{kind, name, title, achievement, unit_name}] in the decision's order."""
    __tablename__ = "commendation_decisions"
    __table_args__ = (UniqueConstraint("period_id"), UniqueConstraint("doc_number"))
    KIND = "commendation"
    STATE_LABELS = {State.SUBMITTED: "Chờ thẩm tra", State.REVIEWED: "Chờ Chủ tịch ký", State.ACCEPTED: "Đã ban hành"}

    rows: Mapped[list] = mapped_column(JSON, default=list)
    made_at: Mapped[datetime | None]
    doc_number: Mapped[str | None] = mapped_column(String(40))
    doc_date: Mapped[date | None]
    signer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signed_as: Mapped[dict | None] = mapped_column(JSON)
    signed_at: Mapped[datetime | None]

    @property
    def title(self):
        return f"Quyết định khen thưởng CCHC {self.period.name}"

    @property
    def summary(self):
        return f"Về việc khen thưởng tập thể, cá nhân có thành tích trong công tác cải cách hành chính {self.period.name}"

    def snapshot(self):
        return {f"{i}. {NOMINEE_KINDS.get(r['kind'], r['kind'])} {r['name']}": f"{r['unit_name']}: {r['achievement']}"
                for i, r in enumerate(self.rows, 1)}

    def submit_problem(self):
        if not self.rows:
            return "rows", "Chưa có tập thể, cá nhân nào trong danh sách: cập nhật theo các đề nghị đã tổng hợp."
        return None
