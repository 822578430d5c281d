"""Scoring schemes as data: the active version, older versions, the default, and saving version N+1.
The active version is the one periods opened from now on take; an opened period keeps its own until an
approved proposal changes it (governance.py).

Saving never changes a saved version (the models refuse it): it adds version N+1 with its own criteria
and bands and deactivates N in one transaction. Two people saving from the same version N: the
conditional UPDATE that deactivates N matches for one of them only (and (plan, version) is unique),
the other gets 409 and reloads.
"""
import math
import os

import yaml
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from .. import versioning
from ..access import require_scheme_editor
from ..extensions import db
from ..models import (CRITERION_KINDS, SCALE_KINDS, ReportingPeriod, ScoringBand, ScoringCriterion, ScoringScheme,
                      SelfAssessment, State)
from ..models.scoring import MIN_TOP_TASKS, default_head_assessment
from ..validation import FieldError, StaleVersion
from .criteria import RULES, num

DEFAULT_FILE = os.path.join(os.path.dirname(os.path.dirname(__file__)), "seed", "scoring_default.yaml")
# Editable parameters: label, lowest and highest value.
PARAMS = {"late_factor": ("Hệ số điểm khi trễ hạn", 0.0, 1.0),
          "per_item": ("Điểm trừ cho mỗi hồ sơ quá hạn", 0.0, 100.0),
          "resubmit_working_days": ("Số ngày làm việc được sửa sau khi bị trả lại", 0, 30)}
WHOLE_PARAMS = {"resubmit_working_days"}  # counted in whole days
MAX_BANDS = 10
MAX_MIN_TOP_TASKS = 100
SUM_RULE = "Điểm tối đa của các tiêu chí (kể cả điểm thưởng, không kể điểm trừ) cộng lại phải bằng 100."


def read_default(path=DEFAULT_FILE):
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def build(plan_id, version, data, created_by_id=None, note=""):
    """A new, unsaved scheme version from plain data (criteria and bands as dicts). A band without a
    `head` wording gets the one its label implies (models.scoring.default_head_assessment)."""
    return ScoringScheme(
        plan_id=plan_id, version=version, created_by_id=created_by_id, note=note, active=True,
        min_top_tasks=int(data.get("min_top_tasks", MIN_TOP_TASKS)),
        criteria=[ScoringCriterion(position=i, code=c["code"], label=c["label"].strip(), kind=c["kind"],
                                   max_points=float(c["max_points"]), params=dict(c.get("params") or {}))
                  for i, c in enumerate(data["criteria"])],
        bands=[ScoringBand(position=i, min_score=float(b["min_score"]), label=b["label"].strip(),
                           head_assessment=(b.get("head") or "").strip() or default_head_assessment(b["label"]))
               for i, b in enumerate(data["bands"])])


def _loaded():
    return select(ScoringScheme).options(selectinload(ScoringScheme.criteria), selectinload(ScoringScheme.bands),
                                         joinedload(ScoringScheme.created_by))


def active_scheme(plan):
    return db.session.scalar(_loaded().where(ScoringScheme.plan_id == plan.id, ScoringScheme.active))


def by_id(scheme_id):
    return db.session.scalar(_loaded().where(ScoringScheme.id == scheme_id))


def scheme_version(plan, version):
    return db.session.scalar(_loaded().where(ScoringScheme.plan_id == plan.id, ScoringScheme.version == version))


def versions(plan):
    return db.session.scalars(select(ScoringScheme).options(joinedload(ScoringScheme.created_by))
                              .where(ScoringScheme.plan_id == plan.id).order_by(ScoringScheme.version.desc())).all()


def _finite_between(value, low, high):
    return isinstance(value, (int, float)) and math.isfinite(value) and low <= value <= high


def problems(criteria, bands, min_top_tasks=MIN_TOP_TASKS):
    """Every broken rule as (field name, Vietnamese message); field names are the editor's."""
    found = []
    if not (isinstance(min_top_tasks, int) and 0 <= min_top_tasks <= MAX_MIN_TOP_TASKS):
        found.append(("min_top_tasks", f"Số nhiệm vụ từ 0 đến {MAX_MIN_TOP_TASKS}."))
    codes = [c["code"] for c in criteria]
    if len(set(codes)) != len(codes) or any(code not in RULES for code in codes):
        found.append(("criteria", "Danh sách tiêu chí không hợp lệ."))
    for i, c in enumerate(criteria):
        if c.get("kind") not in CRITERION_KINDS:
            found.append((f"criteria-{i}-max_points", "Loại tiêu chí không hợp lệ."))
        if not _finite_between(c.get("max_points"), 0, 100):
            found.append((f"criteria-{i}-max_points", "Điểm tối đa từ 0 đến 100."))
        for key, value in (c.get("params") or {}).items():
            label, low, high = PARAMS.get(key, (key, 0, -1))
            if not _finite_between(value, low, high):
                found.append((f"criteria-{i}-{key}", f"{label}: từ {num(low)} đến {num(high)}."))
            elif key in WHOLE_PARAMS and value != int(value):
                found.append((f"criteria-{i}-{key}", f"{label}: một số nguyên."))
    scale = [(i, c) for i, c in enumerate(criteria) if c.get("kind") in SCALE_KINDS]
    valid = all(_finite_between(c.get("max_points"), 0, 100) for _, c in scale)
    scale_sum = math.fsum(c["max_points"] for _, c in scale) if valid else 100
    if scale and not math.isclose(scale_sum, 100, abs_tol=1e-9):
        found.append((f"criteria-{scale[0][0]}-max_points", f"{SUM_RULE} Hiện là {num(scale_sum)}."))
    return found + _band_problems(bands)


def _band_problems(bands):
    if not bands:
        return [("bands", "Cần ít nhất một mức xếp loại.")]
    if len(bands) > MAX_BANDS:
        return [("bands", f"Tối đa {MAX_BANDS} mức xếp loại.")]
    found, above = [], None
    for i, band in enumerate(bands):
        if not band["label"].strip():
            found.append((f"bands-{i}-label", "Vui lòng nhập tên mức xếp loại."))
        if "head" in band and not (band["head"] or "").strip():
            found.append((f"bands-{i}-head", "Vui lòng nhập đánh giá trách nhiệm người đứng đầu."))
        score = band["min_score"]
        if score is None:
            found.append((f"bands-{i}-min_score", "Vui lòng nhập mức điểm."))
        elif not _finite_between(score, 0, 100):
            found.append((f"bands-{i}-min_score", "Điểm từ 0 đến 100."))
        elif above is not None and score >= above:
            found.append((f"bands-{i}-min_score", f"Phải thấp hơn mức của xếp loại phía trên ({num(above)})."))
        above = score if _finite_between(score, 0, 100) else above
    if _finite_between(bands[-1]["min_score"], 0, 100) and bands[-1]["min_score"] != 0:
        found.append((f"bands-{len(bands) - 1}-min_score",
                      "Mức xếp loại thấp nhất phải bắt đầu từ 0 để đơn vị nào cũng được xếp loại."))
    return found


def default_scheme(plan):
    """The default as an unsaved version 0, for the editor of a plan that has no scheme yet."""
    return build(plan.id, 0, read_default())


def save_version(actor, plan, base_version, data):
    """Save version base_version + 1 from the editor's data; kinds come from the base, not the form."""
    require_scheme_editor(actor)
    current = active_scheme(plan)
    if (current.version if current else 0) != base_version:
        raise StaleVersion()
    base = current or default_scheme(plan)
    if [c["code"] for c in data["criteria"]] != [c.code for c in base.criteria]:
        raise FieldError("criteria", "Biểu mẫu không khớp với bộ tiêu chí hiện hành; vui lòng tải lại trang.")
    kinds = {c.code: c.kind for c in base.criteria}
    criteria = [{**c, "kind": kinds[c["code"]]} for c in data["criteria"]]
    min_top = data.get("min_top_tasks", base.min_top_tasks)
    broken = problems(criteria, data["bands"], min_top)
    if broken:
        raise FieldError(*broken[0])
    scheme = build(plan.id, base_version + 1, {"criteria": criteria, "bands": data["bands"], "min_top_tasks": min_top},
                   created_by_id=actor.id, note=data.get("note", "").strip())
    if current is not None:  # N is retired only if it is still the active version N (versioning: 409 if not)
        pin_opened(plan, current)  # opened periods keep the version in force (governance.py)
        versioning.guarded_update(ScoringScheme, [ScoringScheme.id == current.id, ScoringScheme.version == base_version,
                                                  ScoringScheme.active], {"active": False})
    db.session.add(scheme)
    try:
        db.session.flush()
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise StaleVersion()
    return scheme


def pin_opened(plan, in_force):
    """Before a newer version replaces `in_force`: opened periods that never recorded one keep it."""
    db.session.execute(update(ReportingPeriod).where(
        ReportingPeriod.plan_id == plan.id, ReportingPeriod.opened_at.is_not(None),
        ReportingPeriod.scheme_id.is_(None)).values(scheme_id=in_force.id))


def follow_scheme(scheme, period, drafts=None):
    """The period's draft self-assessments (or the given ones) follow `scheme`, the version the period now
    uses (labels and maxima; the codes never change); what was sent keeps the version it was scored under
    (governance.py). The caller commits."""
    if drafts is None:
        drafts = db.session.scalars(select(SelfAssessment).where(
            SelfAssessment.period_id == period.id, SelfAssessment.state == State.DRAFT)).all()
    criteria = {c.code: c for c in scheme.criteria}
    for item in drafts:
        item.scheme_id = scheme.id
        for line in item.lines:
            criterion = criteria.get(line.code)
            if criterion is not None:
                line.label, line.max_points = criterion.label, criterion.max_points
