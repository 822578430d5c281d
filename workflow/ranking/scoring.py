"""A unit's CCHC score under a scheme, explained point by point, and the ranking. Pure functions.

score_unit(scheme, unit, facts) runs each criterion's rule (criteria.py) and then:
- Rescaling: a criterion that does not apply to the unit (no counted task, no target to report,
  nothing to check for evidence) is excluded, and the unit's other computed/entered criteria are
  multiplied by full/kept (with the default scheme 90/50 when the 40 task points are excluded), so
  every unit can still reach the same maximum. Every line of a rescaled part is multiplied too, and
  the part says so. Bonus and penalty are never rescaled.
- Never below 0: if the penalty takes the total below 0, the penalty part gets a line giving the
  difference back, so the parts still add up to the total shown.
- total = the sum of the parts (each the sum of its lines). Nothing is rounded here; display.py
  rounds to 0.01 only for showing, keeping the shown parts adding up to the shown total.
- band: the first band of the scheme (highest first) whose min_score the total reaches, judged on
  the total as shown (to 0.01), so 89.996 shown as 90,00 is in the ≥ 90 band — except that the top band
  needs a basis: a unit whose score rests on fewer counted tasks than the scheme's `min_top_tasks` gets the
  next band down, and `band_note` says why. `tasks_due` and `reports_due` are that basis (counted items),
  shown on every row; `head` is the band's assessment of the unit head's responsibility.
- Effective maxima: after rescaling each part's `max_points` is the unit's maximum for it (`scheme_max`
  × `factor`); maxima.py words it and rounds it for showing.

Self-assessment and appraisal (per period): once the unit has sent its self-assessment its total is
shown beside the computed one; once VHXH has appraised it, the appraised total — the sum of VHXH's
score per criterion, never below 0 — is the unit's score ("final"), and the band and rank follow it.
Until then the final score is the computed total, and `basis` says which one it is.

rank(): final scores descending; equal totals as shown (to 0.01) share a rank ("đồng hạng") and the next
rank skips (1, 1, 3); tied units are listed by unit code.
"""
import math
from dataclasses import dataclass

from ..models.scoring import BASE_KINDS
from .criteria import RULES, Line, num
from .display import cents


COMPUTED, APPRAISED = "computed", "appraised"
BASIS_LABELS = {COMPUTED: "Tính tự động", APPRAISED: "Thẩm định"}


@dataclass
class UnitScore:
    unit: object
    parts: list
    scheme_version: int
    scale: float = 1.0
    band: str = ""
    assessment: object = None  # facts.AssessmentFact of the period, if any
    tasks_due: int = 0         # counted tasks: the basis of the score, with the reports
    reports_due: int = 0       # counted reports
    band_note: str = ""        # why the unit is below the band its score reaches, if it is
    head: str = ""             # the band's assessment of the unit head's responsibility

    @property
    def total(self):
        """The computed total (live, from the data)."""
        return math.fsum(part.points for part in self.parts)

    @property
    def self_total(self):
        """The unit's own total once its self-assessment is sent, else None."""
        a = self.assessment
        if a is None or not a.sent:
            return None
        return math.fsum(a.self_points.get(p.code) or 0.0 for p in self.parts)

    def appraised_points(self):
        """VHXH's points per criterion (scheme order) once appraised, else None. A criterion the
        appraisal lacks (none today: codes never change) keeps its computed points."""
        a = self.assessment
        if a is None or not a.appraised:
            return None
        points = [a.appraised_points.get(p.code) for p in self.parts]
        return [p.points if v is None else v for p, v in zip(self.parts, points)]

    @property
    def appraised_total(self):
        points = self.appraised_points()
        return None if points is None else max(0.0, math.fsum(points))

    @property
    def basis(self):
        return APPRAISED if self.appraised_total is not None else COMPUTED

    @property
    def basis_label(self):
        return BASIS_LABELS[self.basis]

    @property
    def final(self):
        """The score the unit is ranked and banded by."""
        appraised = self.appraised_total
        return self.total if appraised is None else appraised

    def final_points(self):
        """Per criterion, the points behind `final`."""
        return self.appraised_points() or [p.points for p in self.parts]


@dataclass
class Standing:
    rank: int
    score: UnitScore
    tied: bool = False


def score_unit(scheme, unit, facts):
    unit_facts = facts.of(unit.id)
    parts = [RULES[criterion.code](criterion, unit_facts) for criterion in scheme.criteria]
    score = UnitScore(unit, parts, scheme.version, scale=_rescale(parts), assessment=unit_facts.assessment,
                      tasks_due=sum(t.counted for t in unit_facts.tasks),
                      reports_due=sum(r.counted for r in unit_facts.reports))
    _not_below_zero(score)
    band, score.band_note = band_with_basis(scheme, score.final, score.tasks_due)
    score.band, score.head = (band.label, band.head_assessment) if band else ("", "")
    return score


def _rescale(parts):
    base = [p for p in parts if p.kind in BASE_KINDS]
    full = math.fsum(p.max_points for p in base)
    kept = math.fsum(p.max_points for p in base if not p.excluded)
    if kept <= 0 or math.isclose(kept, full):
        return 1.0
    factor = full / kept
    left_out = ", ".join(f"“{p.label}”" for p in base if p.excluded)
    for part in base:
        if part.excluded:
            continue
        part.lines = [Line(line.text, line.points * factor) for line in part.lines]
        part.max_points *= factor
        part.factor, part.left_out = factor, left_out
        part.note = (f"{part.note} " if part.note else "") + (
            f"Quy đổi ×{num(factor, 4)} (= {num(full)}/{num(kept)}) vì không tính {left_out}.")
    return factor


def _not_below_zero(score):
    total = score.total
    penalty = next((p for p in score.parts if p.kind == "penalty"), None)
    if total < 0 and penalty is not None:
        penalty.lines.append(Line("Tổng điểm không âm: không trừ quá số điểm đạt được", -total))


def _reached(scheme, total):
    """The bands highest first, and the index of the first the total (as shown) reaches (len: none)."""
    bands, shown = sorted(scheme.bands, key=lambda b: -b.min_score), cents(total)
    return bands, next((i for i, b in enumerate(bands) if shown >= cents(b.min_score)), len(bands))


def band_for(scheme, total):
    bands, i = _reached(scheme, total)
    return bands[i].label if i < len(bands) else ""


def band_with_basis(scheme, total, tasks_due):
    """(band or None, note): the band the total reaches, one lower when it is the top band and the score
    rests on fewer counted tasks than the scheme's minimum basis (a one-band scheme has no lower one)."""
    bands, i = _reached(scheme, total)
    if i >= len(bands):
        return None, ""
    needed = scheme.min_top_tasks or 0
    if i == 0 and tasks_due < needed and len(bands) > 1:
        return bands[1], f"Chưa đủ cơ sở xếp loại cao nhất: {tasks_due}/{needed} nhiệm vụ đến hạn"
    return bands[i], ""


def rank(scores):
    ordered = sorted(scores, key=lambda s: (-cents(s.final), s.unit.code))
    standings, previous = [], None
    for position, score in enumerate(ordered, 1):
        if previous is not None and cents(score.final) == cents(previous.score.final):
            standing = Standing(previous.rank, score, tied=True)
            previous.tied = True
        else:
            standing = Standing(position, score)
        standings.append(standing)
        previous = standing
    return standings


def score_all(scheme, facts):
    return rank([score_unit(scheme, unit, facts) for unit in facts.units])
