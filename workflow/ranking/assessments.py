"""Self-assessments (tự đánh giá) and their appraisal (thẩm định): who writes what, and when.

The unit scores every criterion of its period's self-assessment while it is a draft, explaining any
score that differs from the computed one; VHXH appraises it once submitted, giving a reason for any
score that differs from the unit's. The bonus line is made of the initiatives: the unit proposes
points for each, VHXH awards them, and the line is their sum capped at the criterion's maximum.
Both saves take the item's version (409 when stale); the workflow steps are states.perform.

Bounds (issue 15): a criterion's score lies between 0 and the unit's maximum for it as shown beside it
(maxima.py: the scheme's maximum × the rescaling factor when another criterion does not apply, rounded
so the maxima add up), -maximum..0 for the penalty, and exactly 0 where the criterion does not apply.
The computed score offered to agree with is the one shown (apportioned to hundredths), so a unit that
enters every computed score has the computed total, and so does an appraisal that agrees with it.
"""
import math
from dataclasses import dataclass

from sqlalchemy import select

from ..access import require_appraiser, require_editable
from ..extensions import db
from ..items.states import SUBMITTED, claim, edit_draft
from ..models import AssessmentLine, Initiative, SelfAssessment, Unit
from ..models.assessment import BONUS, PENALTY
from ..validation import FieldError
from .criteria import num
from .gather import gather_facts
from .governance import pin
from .maxima import shown_parts
from .scoring import score_unit

def _lines(scheme):
    return [AssessmentLine(position=i, code=c.code, label=c.label, kind=c.kind, max_points=c.max_points)
            for i, c in enumerate(scheme.criteria)]


def create_missing(period):
    """A draft self-assessment for every active unit that has none for this period (with opening the
    period), under the period's version: the active one, recorded on the period as it opens
    (governance.pin); nothing without a scoring scheme. The caller commits."""
    scheme = pin(period)
    if scheme is None:
        return 0
    have = set(db.session.scalars(select(SelfAssessment.unit_id).where(SelfAssessment.period_id == period.id)))
    units = db.session.scalars(select(Unit).where(Unit.active, Unit.id.not_in(have))).all()
    for unit in units:
        db.session.add(SelfAssessment(unit=unit, period=period, scheme=scheme, lines=_lines(scheme)))
    return len(units)


@dataclass
class Live:
    """A criterion as the unit's live score shows it: points and the unit's maximum, in hundredths as shown."""
    points: float
    max_cents: int | None  # None: the criterion does not apply to the unit
    max_text: str
    rescaled: bool


def live_lines(item, now=None):
    """{criterion code: Live} of the item's unit and period, under the item's scheme."""
    facts = gather_facts(item.period.plan, item.period, now)
    _, shown = shown_parts(score_unit(item.scheme, item.unit, facts))
    return {s.part.code: Live(s.cents / 100, s.max_cents, s.max_text, s.part.factor != 1) for s in shown}


def computed_scores(item, now=None):
    """{criterion code: live computed points as shown} of the item's unit and period."""
    return {code: live.points for code, live in live_lines(item, now).items()}


def _check_points(field, value, line, live=None):
    """The line's bounds for this unit (see the module docstring); the scheme's when no live score names it."""
    if value is None:
        return
    if live is not None and live.max_cents is None:
        if abs(value) > 1e-9:
            raise FieldError(field, "Tiêu chí không áp dụng cho đơn vị: điểm 0.")
        return
    low, high = line.low, line.high
    if live is not None:
        top = live.max_cents / 100
        low, high = (-top, 0.0) if line.kind == PENALTY else (0.0, top)
    if not low - 1e-9 <= value <= high + 1e-9:
        why = f" ({live.max_text})" if live is not None and live.rescaled else ""
        raise FieldError(field, f"Điểm từ {num(low)} đến {num(high)}{why}.")


def _check_lines(item, lines, live):
    for i, (line, (points, _)) in enumerate(zip(item.lines, lines)):
        if line.kind != BONUS:
            _check_points(f"lines-{i}-points", points, line, live.get(line.code))


def _capped(line, values):
    return min(math.fsum(values), line.max_points)


def save_self(user, item, data, version, now=None, then=None):
    """The unit's draft: data = {"lines": [(points, explanation)] in line order,
    "initiatives": [{kind, title, description, points}]}; with `then` ("submit") sent in the same step."""
    require_editable(user, item)
    live = live_lines(item, now)
    _check_lines(item, data["lines"], live)
    for i, entry in enumerate(data["initiatives"]):
        if not entry["title"]:
            raise FieldError(f"initiatives-{i}-title", "Vui lòng nhập tên sáng kiến, mô hình.")
    computed = {code: one.points for code, one in live.items()}

    def write():
        for line, (points, explanation) in zip(item.lines, data["lines"]):
            line.computed_points = computed.get(line.code)
            if line.kind != BONUS:
                line.self_points, line.explanation = points, explanation
        _keep_initiatives(item, data["initiatives"])
        for line in item.lines:
            if line.kind == BONUS:
                line.self_points = _capped(line, [i.proposed_points for i in item.initiatives])
                line.explanation = f"{len(item.initiatives)} sáng kiến, mô hình đề xuất" if item.initiatives else ""
    return edit_draft(user, item, version, write, then)


def _keep_initiatives(item, entries):
    """Update the rows in place (an appraisal already made of a kept row stays), add or drop the rest."""
    rows = list(item.initiatives)
    for row, entry in zip(rows, entries):
        row.kind, row.title, row.description = entry["kind"], entry["title"], entry["description"]
        row.proposed_points = entry["points"] or 0.0
    for entry in entries[len(rows):]:
        item.initiatives.append(Initiative(kind=entry["kind"], title=entry["title"], description=entry["description"],
                                           proposed_points=entry["points"] or 0.0))
    for row in rows[len(entries):]:
        item.initiatives.remove(row)


def save_appraisal(user, item, data, version, now=None):
    """VHXH's scores: data = {"lines": [(points, reason)] in line order, "awards": [(points, note)]
    in initiative order}. Completeness is checked by the review step, not here: a partial appraisal
    can be saved and finished later. Bounds are the unit's maxima at the time of the appraisal."""
    require_appraiser(user, item)
    _check_lines(item, data["lines"], live_lines(item, now))
    bonus = next((line for line in item.lines if line.kind == BONUS), None)
    for i, (points, _) in enumerate(data["awards"]):
        if points is not None and bonus is not None:
            _check_points(f"awards-{i}-points", points, bonus)
    claim(item, version, SUBMITTED)
    for line, (points, reason) in zip(item.lines, data["lines"]):
        if line.kind != BONUS:
            line.appraised_points, line.appraisal_reason = points, reason
    for initiative, (points, note) in zip(item.initiatives, data["awards"]):
        initiative.awarded_points, initiative.appraisal_note = points, note
    if bonus is not None:
        awarded = [i.awarded_points or 0.0 for i in item.initiatives]
        bonus.appraised_points = _capped(bonus, awarded)
        bonus.appraisal_reason = "" if bonus.appraised_points == bonus.self_points else "Theo điểm chấm từng sáng kiến, mô hình"
    db.session.commit()
    return item
