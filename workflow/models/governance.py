"""A proposal to apply a newer scoring scheme version to a running period (Đề nghị áp dụng cho kỳ đang
chạy): VHXH proposes it with a reason, the chairman approves it or returns it with a reason. A workflow
item (ranking/governance.py registers its kind); on approval the period takes `scheme`."""
from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .items import WorkflowItem
from .scoring import ScoringScheme
from .state import State


class SchemeProposal(WorkflowItem, db.Model):
    __tablename__ = "scheme_proposals"
    KIND = "scheme-proposal"
    STATE_LABELS = {State.DRAFT: "Dự thảo đề nghị", State.SUBMITTED: "Chờ Chủ tịch phê duyệt",
                    State.ACCEPTED: "Đã phê duyệt, đang áp dụng"}

    scheme_id: Mapped[int] = mapped_column(ForeignKey("scoring_schemes.id"))       # the version proposed
    from_scheme_id: Mapped[int] = mapped_column(ForeignKey("scoring_schemes.id"))  # the period's when proposed
    reason: Mapped[str] = mapped_column(Text, default="")

    scheme: Mapped[ScoringScheme] = relationship(foreign_keys=[scheme_id])
    from_scheme: Mapped[ScoringScheme] = relationship(foreign_keys=[from_scheme_id])

    @property
    def title(self):
        return f"Đề nghị áp dụng bộ tiêu chí phiên bản {self.scheme.version} cho kỳ {self.period.name}"

    def snapshot(self):
        return {"Phiên bản đề nghị": str(self.scheme.version), "Lý do đề nghị": self.reason}
