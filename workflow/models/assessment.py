"""Emulation items: each unit's self-assessment (tự đánh giá, chấm điểm) and the period's ranking sheet.

A self-assessment has one line per criterion of the scheme: the unit's own score with its explanation,
then VHXH's appraised score (thẩm định) with a reason wherever it differs. Initiatives (sáng kiến,
mô hình) are listed on it with the points the unit proposes and the points VHXH awards; they make the
bonus line. The ranking sheet freezes the whole ranking of a period with the scheme version it used.
"""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..formats import vn_number
from .items import WorkflowItem
from .scoring import ScoringScheme
from .state import State

INITIATIVE_KINDS = {"initiative": "Sáng kiến", "model": "Mô hình"}
BONUS = "bonus"      # the criterion kind made of the initiatives' points
PENALTY = "penalty"
EPSILON = 0.005      # scores are shown to 0.01: closer than this is "the same score"


def differs(a, b):
    return a is not None and b is not None and abs(a - b) >= EPSILON


class SelfAssessment(WorkflowItem, db.Model):
    __tablename__ = "self_assessments"
    __table_args__ = (UniqueConstraint("unit_id", "period_id"),)
    KIND = "self-assessment"

    scheme_id: Mapped[int] = mapped_column(ForeignKey("scoring_schemes.id"))  # whose criteria the lines follow

    scheme: Mapped[ScoringScheme] = relationship()
    lines: Mapped[list["AssessmentLine"]] = relationship(
        cascade="all, delete-orphan", order_by="AssessmentLine.position")
    initiatives: Mapped[list["Initiative"]] = relationship(
        cascade="all, delete-orphan", order_by="Initiative.id", back_populates="assessment")

    @property
    def title(self):
        return f"Tự đánh giá, chấm điểm CCHC {self.period.name}"

    def line(self, code):
        return next((line for line in self.lines if line.code == code), None)

    def snapshot(self):
        data = {}
        for line in self.lines:
            data[f"{line.label}: điểm tự chấm"] = vn_number(line.self_points)
            data[f"{line.label}: giải trình"] = line.explanation
        for i in self.initiatives:
            data[f"{i.kind_label} “{i.title}”"] = f"{i.description} (đề xuất {vn_number(i.proposed_points)} điểm)"
        return data

    def submit_problem(self):
        """Why the unit cannot send it yet: (field, message), or None. Checked by states.perform."""
        return _first_gap(self.lines, "self_points", "computed_points", "explanation", ("self", "explanation"),
                          ("Chưa tự chấm điểm tiêu chí “{}”.",
                           "Điểm tự chấm tiêu chí “{}” khác điểm tính tự động: vui lòng giải trình."))

    def review_problem(self):
        """Why VHXH cannot mark it appraised yet: every score given, a reason wherever it differs."""
        gap = _first_gap(self.lines, "appraised_points", "self_points", "appraisal_reason", ("appraised", "reason"),
                         ("Chưa chấm điểm thẩm định tiêu chí “{}”.",
                          "Điểm thẩm định tiêu chí “{}” khác điểm tự chấm: vui lòng nêu lý do."))
        for i in self.initiatives:
            if gap:
                break
            what = f"{i.kind_label.lower()} “{i.title}”"
            if i.awarded_points is None:
                gap = f"awarded-{i.id}", f"Chưa chấm điểm {what}."
            elif differs(i.awarded_points, i.proposed_points) and not i.appraisal_note.strip():
                gap = f"note-{i.id}", f"Điểm chấm {what} khác điểm đề xuất: vui lòng nêu lý do."
        return gap


def _first_gap(lines, score, compare, why, fields, messages):
    """The first line (the bonus aside: it is made of the initiatives) with no `score`, or whose `score`
    differs from `compare` with no `why` written: (field, message), else None."""
    for line in lines:
        if line.kind == BONUS:
            continue
        if getattr(line, score) is None:
            return f"{fields[0]}-{line.code}", messages[0].format(line.label)
        if differs(getattr(line, score), getattr(line, compare)) and not getattr(line, why).strip():
            return f"{fields[1]}-{line.code}", messages[1].format(line.label)
    return None


class AssessmentLine(db.Model):
    """One criterion of a self-assessment. `computed_points` is the live score the unit saw when it
    last saved, kept so the reviewer reads what the explanation answered."""
    __tablename__ = "assessment_lines"
    __table_args__ = (UniqueConstraint("assessment_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("self_assessments.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    code: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))
    max_points: Mapped[float]
    computed_points: Mapped[float | None]
    self_points: Mapped[float | None]
    explanation: Mapped[str] = mapped_column(Text, default="")
    appraised_points: Mapped[float | None]
    appraisal_reason: Mapped[str] = mapped_column(Text, default="")

    # The scheme's bounds. The services bound a score by the unit's own maximum instead (ranking/assessments.py:
    # rescaled when another criterion does not apply); these remain for a line the live score does not name.
    @property
    def low(self):
        return -self.max_points if self.kind == PENALTY else 0.0

    @property
    def high(self):
        return 0.0 if self.kind == PENALTY else self.max_points


class Initiative(db.Model):
    """A sáng kiến or mô hình the unit puts forward in its self-assessment."""
    __tablename__ = "initiatives"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("self_assessments.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12), default="initiative")
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    proposed_points: Mapped[float] = mapped_column(default=0.0)
    awarded_points: Mapped[float | None]
    appraisal_note: Mapped[str] = mapped_column(Text, default="")

    assessment: Mapped[SelfAssessment] = relationship(back_populates="initiatives")

    @property
    def kind_label(self):
        return INITIATIVE_KINDS.get(self.kind, self.kind)


class RankingSheet(WorkflowItem, db.Model):
    """The ranking of a period as VHXH submits it, the VP office checks it and the chairman approves it:
    frozen rows (figures in hundredths) and the scheme version they were computed with."""
    __tablename__ = "ranking_sheets"
    __table_args__ = (UniqueConstraint("period_id"),)
    KIND = "ranking"
    STATE_LABELS = {State.SUBMITTED: "Chờ thẩm tra", State.REVIEWED: "Chờ Chủ tịch phê duyệt",
                    State.ACCEPTED: "Đã phê duyệt"}

    scheme_id: Mapped[int] = mapped_column(ForeignKey("scoring_schemes.id"))
    rows: Mapped[list] = mapped_column(JSON, default=list)
    columns: Mapped[list] = mapped_column(JSON, default=list)  # [label, max in hundredths, kind] per criterion
    made_at: Mapped[datetime | None]

    scheme: Mapped[ScoringScheme] = relationship()

    @property
    def title(self):
        return f"Bảng xếp hạng CCHC {self.period.name}"

    def snapshot(self):
        return {row["code"]: f"{row['final'] / 100:.2f}".replace(".", ",") + f" – {row['band']}" for row in self.rows}
