"""Nominations for commendation (đề nghị khen thưởng): after a period's ranking sheet is approved, each
unit proposes collectives and individuals with CCHC achievements. One nomination per unit and period,
an item of the workflow (the unit sends, VHXH appraises each entry, the chairman approves); the entries
the chairman approved with VHXH's agreement make the draft Quyết định khen thưởng and the public list."""
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .items import WorkflowItem
from .state import State

NOMINEE_KINDS = {"collective": "Tập thể", "individual": "Cá nhân"}


class Nomination(WorkflowItem, db.Model):
    __tablename__ = "nominations"
    __table_args__ = (UniqueConstraint("unit_id", "period_id"),)
    KIND = "nomination"
    STATE_LABELS = {State.SUBMITTED: "Chờ thẩm định", State.REVIEWED: "Chờ Chủ tịch phê duyệt",
                    State.ACCEPTED: "Đã phê duyệt"}

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

    def approve_problem(self):
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
