"""Emulation scoring schemes (thi đua): criteria with their maximum points, and the classification bands.

A scheme belongs to a plan and is versioned. A version is never changed once saved: editing creates
version N+1 and deactivates N, so anything that recorded "scored with version N" keeps its meaning.
The guards below refuse any UPDATE of a criterion or band and any change of a scheme besides `active`.
"""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, event, inspect
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .org import User, utcnow

CRITERION_KINDS = {
    "computed": "Tính từ dữ liệu",
    "entered": "Chấm điểm",
    "bonus": "Điểm thưởng",
    "penalty": "Điểm trừ",
}
# The proposal is "100 points": 40 + 15 + 15 + 10 + 10 plus 10 of bonus. So the maxima of every
# criterion but the penalty make the 100-point scale; the bonus is capped at its maximum and earned
# only by some units. Rescaling (workflow/ranking/scoring.py) touches only the base kinds.
BASE_KINDS = ("computed", "entered")
SCALE_KINDS = BASE_KINDS + ("bonus",)
# The minimum basis for the top band: a unit whose score rests on fewer counted (due) tasks than this
# gets the next band down (workflow/ranking/scoring.py). 3 by default: with 40 points shared by 3 tasks
# one task is 13,33 points, so the top band then says the unit delivered on time across several pieces
# of work, not on one report sent on time (issue 15: TTSNC ranked "xuất sắc" with no task due). The seed
# plan gives TTSNC one lead task only: under the default it cannot reach the top band unless it is given
# more — deliberate; the scheme editor lowers the figure (0 switches the rule off).
MIN_TOP_TASKS = 3


class ScoringScheme(db.Model):
    __tablename__ = "scoring_schemes"
    __table_args__ = (UniqueConstraint("plan_id", "version"),)  # two simultaneous saves cannot both be N+1

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: loaded by init-db
    active: Mapped[bool] = mapped_column(default=True)
    note: Mapped[str] = mapped_column(Text, default="")
    min_top_tasks: Mapped[int] = mapped_column(default=MIN_TOP_TASKS, server_default=str(MIN_TOP_TASKS))

    created_by: Mapped[User | None] = relationship()
    criteria: Mapped[list["ScoringCriterion"]] = relationship(
        order_by="ScoringCriterion.position", cascade="all, delete-orphan")
    bands: Mapped[list["ScoringBand"]] = relationship(
        order_by="ScoringBand.position", cascade="all, delete-orphan")


class ScoringCriterion(db.Model):
    """One criterion. `code` names the rule that computes it (workflow/ranking/criteria.py).
    For bonus and penalty criteria `max_points` is the cap of what they add or take away."""
    __tablename__ = "scoring_criteria"
    __table_args__ = (UniqueConstraint("scheme_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("scoring_schemes.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    code: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(200))
    max_points: Mapped[float]
    kind: Mapped[str] = mapped_column(String(10))  # computed | entered | bonus | penalty
    params: Mapped[dict] = mapped_column(JSON, default=dict)  # e.g. {"late_factor": 0.5}, {"per_item": 2}

    @property
    def kind_label(self):
        return CRITERION_KINDS.get(self.kind, self.kind)


class ScoringBand(db.Model):
    """A classification: totals (as shown, to 0.01) from `min_score` up, below the band above it.
    `head_assessment` is what the band means for the unit head (đánh giá trách nhiệm người đứng đầu)."""
    __tablename__ = "scoring_bands"

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("scoring_schemes.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    min_score: Mapped[float]
    label: Mapped[str] = mapped_column(String(100))
    head_assessment: Mapped[str] = mapped_column(String(300), default="", server_default="")


def default_head_assessment(label):
    """The head's assessment that follows from a band's label: "Hoàn thành tốt nhiệm vụ" → "Người đứng đầu
    hoàn thành tốt trách nhiệm về CCHC" (the wording of the thi đua plan); migration 0019 uses a copy."""
    label, words = label.strip(), "nhiệm vụ"
    if label.lower().endswith(words):
        what = label[:-len(words)].strip()
        return f"Người đứng đầu {what[:1].lower()}{what[1:]} trách nhiệm về CCHC"
    return f"Người đứng đầu: {label}"


@event.listens_for(ScoringCriterion, "before_update")
@event.listens_for(ScoringBand, "before_update")
@event.listens_for(ScoringCriterion, "before_delete")
@event.listens_for(ScoringBand, "before_delete")
@event.listens_for(ScoringScheme, "before_delete")
def _versions_are_immutable(_mapper, _connection, _target):
    raise RuntimeError("a saved scoring scheme version is immutable; save a new version instead")


@event.listens_for(ScoringScheme, "before_update")
def _only_active_changes(_mapper, _connection, target):
    # Criteria or bands added to or removed from a saved version count as changes too.
    changed = {a.key for a in inspect(target).attrs if a.history.has_changes()}
    if changed - {"active"}:
        raise RuntimeError("a saved scoring scheme version is immutable; only `active` may change")
