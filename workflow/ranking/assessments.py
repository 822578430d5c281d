"""Self-assessments (tự đánh giá) and their appraisal (thẩm định): who writes what, and when.

The unit scores every criterion of its period's self-assessment while it is a draft, explaining any
score that differs from the computed one; VHXH appraises it once submitted, giving a reason for any
score that differs from the unit's. The bonus line is made of the initiatives: the unit proposes
points for each, VHXH awards them, and the line is their sum capped at the criterion's maximum.
Both saves take the item's version (409 when stale); the workflow steps are states.perform.
"""
import math

from sqlalchemy import select

from ..access import require_appraiser, require_editable
from ..extensions import db
from ..items.states import SUBMITTED, claim, edit_draft
from ..models import AssessmentLine, Initiative, SelfAssessment, Unit
from ..models.assessment import BONUS
from ..validation import FieldError
from .criteria import num
from .gather import gather_facts
from .governance import pin
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


def computed_scores(item, now=None):
    """{criterion code: live computed points} of the item's unit and period, under the item's scheme."""
    facts = gather_facts(item.period.plan, item.period, now)
    score = score_unit(item.scheme, item.unit, facts)
    return {part.code: part.points for part in score.parts}


def _check_points(field, value, line):
    if value is not None and not line.low - 1e-9 <= value <= line.high + 1e-9:
        raise FieldError(field, f"Điểm từ {num(line.low)} đến {num(line.high)}.")


def _capped(line, values):
    return min(math.fsum(values), line.max_points)


def save_self(user, item, data, version, now=None, then=None):
    """The unit's draft: data = {"lines": [(points, explanation)] in line order,
    "initiatives": [{kind, title, description, points}]}; with `then` ("submit") sent in the same step."""
    require_editable(user, item)
    for i, (line, (points, _)) in enumerate(zip(item.lines, data["lines"])):
        if line.kind != BONUS:
            _check_points(f"lines-{i}-points", points, line)
    for i, entry in enumerate(data["initiatives"]):
        if not entry["title"]:
            raise FieldError(f"initiatives-{i}-title", "Vui lòng nhập tên sáng kiến, mô hình.")
    computed = computed_scores(item, now)

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


def save_appraisal(user, item, data, version):
    """VHXH's scores: data = {"lines": [(points, reason)] in line order, "awards": [(points, note)]
    in initiative order}. Completeness is checked by the review step, not here: a partial appraisal
    can be saved and finished later."""
    require_appraiser(user, item)
    for i, (line, (points, _)) in enumerate(zip(item.lines, data["lines"])):
        if line.kind != BONUS:
            _check_points(f"lines-{i}-points", points, line)
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
