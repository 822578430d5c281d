"""The ward's consolidated report for a period, drafted by VHXH from the accepted unit results."""
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .items import NARRATIVE, WorkflowItem
from .plan import Area
from .state import State


class ConsolidatedReport(WorkflowItem, db.Model):
    __tablename__ = "consolidated_reports"
    __table_args__ = (UniqueConstraint("period_id"), UniqueConstraint("doc_number"))
    KIND = "consolidated"
    STATE_LABELS = {State.SUBMITTED: "Chờ thẩm tra", State.REVIEWED: "Chờ Chủ tịch ký", State.ACCEPTED: "Đã ban hành"}

    summary: Mapped[str] = mapped_column(String(300))        # trích yếu under "BÁO CÁO"
    intro: Mapped[str] = mapped_column(Text, default="")
    limitations: Mapped[str] = mapped_column(Text, default="")
    causes: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    proposals: Mapped[str] = mapped_column(Text, default="")
    # Tables copied from the accepted items when the draft is made (task annex, targets, Biểu II.06a).
    annex: Mapped[dict] = mapped_column(JSON, default=dict)
    prefilled_at: Mapped[datetime | None]
    doc_number: Mapped[str | None] = mapped_column(String(40))
    doc_date: Mapped[date | None]
    pdf_file: Mapped[str | None] = mapped_column(String(80))     # the final PDF, rendered once
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    # "Nơi nhận" as edited on the draft (None: the ward's list); "Lưu: VT, <drafter>." is always added.
    recipients: Mapped[list | None] = mapped_column(JSON)
    # Who signed and how (issuance.signature_block at signing: authority lines, title, name, delegation).
    signer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signed_as: Mapped[dict | None] = mapped_column(JSON)
    signed_at: Mapped[datetime | None]

    sections: Mapped[list["ConsolidatedSection"]] = relationship(
        cascade="all, delete-orphan", order_by="ConsolidatedSection.position")

    @property
    def title(self):
        return f"Báo cáo tổng hợp {self.period.name}"

    def snapshot(self):
        data = {"Trích yếu": self.summary, "Mở đầu": self.intro}
        data.update({f"Lĩnh vực {s.area.number}. {s.area.name}": s.body for s in self.sections})
        data.update({label: getattr(self, name) for name, label in NARRATIVE.items()})
        return data


class ConsolidatedSection(db.Model):
    __tablename__ = "consolidated_sections"
    __table_args__ = (UniqueConstraint("report_id", "area_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("consolidated_reports.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    position: Mapped[int] = mapped_column(default=0)
    body: Mapped[str] = mapped_column(Text, default="")

    area: Mapped[Area] = relationship()
