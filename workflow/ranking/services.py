"""What the ranking pages show, permission checked here: no request objects in these signatures."""
from werkzeug.exceptions import Forbidden, NotFound

from ..access import (OWN_UNIT_ONLY, may_draft, may_edit_scheme, may_view_ranking, require_ranking_viewer, require_scheme_editor,
                      require_signed_in, require_unit_viewer)
from ..extensions import db
from ..models import RankingSheet, ReportingPeriod, SchemeProposal, SelfAssessment, Unit
from ..validation import parse_id
from ..items.deadlines import local_date
from ..models.org import utcnow
from . import governance, maxima, revision, schemes, sheets
from .maxima import shown_parts
from .gather import WHOLE_PLAN, gather_facts
from .scoring import score_all

ALL = "all"


def scope_of(plan, value):
    """The period named by ?period=<id>, or None for the whole plan ("all" or nothing)."""
    if value in (None, "", ALL):
        return None
    period = db.session.get(ReportingPeriod, parse_id(value) or 0)
    if period is None or period.plan_id != plan.id:
        raise NotFound()
    return period


def scheme_of(plan, value, period=None):
    """The version named by ?scheme=<n> (older rankings stay reproducible); else the period's own
    version, or for the whole plan the active one (governance.py)."""
    if value in (None, ""):
        return governance.scheme_for(period) if period is not None else schemes.active_scheme(plan)
    number = parse_id(value)
    scheme = schemes.scheme_version(plan, number) if number else None
    if scheme is None:
        raise NotFound()
    return scheme


def _standings(plan, period, scheme, now):
    """Every unit's standing, kept between requests while nothing they are computed from has changed
    (revision.py); the ward's day is part of the key, since a task's due day passing changes scores."""
    if scheme is None:
        return []
    now = now or utcnow()
    key = (plan.id, period.id if period else None, scheme.id, local_date(now))
    return revision.kept().get_or_compute(key, lambda: score_all(scheme, gather_facts(plan, period, now)))


def ranking(user, plan, period_value=None, scheme_value=None, now=None):
    require_ranking_viewer(user)
    period = scope_of(plan, period_value)
    scheme = scheme_of(plan, scheme_value, period)
    sheet = sheets.for_period(period) if period else None
    return {"plan": plan, "period": period, "scope": period.name if period else WHOLE_PLAN,
            "scheme": scheme, "standings": _standings(plan, period, scheme, now),
            "scale_max": maxima.scale_max(scheme) if scheme else None,
            "may_edit": may_edit_scheme(user), "sheet": sheet, "may_make_sheet": sheets.may_make(user),
            **_versions(plan, period, scheme, scheme_value)}


def _versions(plan, period, scheme, scheme_value):
    """Which version the page uses and why: named in the address (an older ranking reproduced), the
    period's own, or the active one (whole plan); and each period's version, for the whole-plan note."""
    chosen = scheme_value not in (None, "")
    return {"scheme_chosen": chosen, "version_arg": scheme.version if chosen and scheme else None,
            "period_versions": governance.period_versions(plan) if period is None else []}


def unit_explanation(user, plan, unit_id, period_value=None, scheme_value=None, now=None):
    """One unit's score part by part, line by line, with its rank among all units."""
    unit = db.session.get(Unit, unit_id)
    if unit is None or not unit.active:
        raise NotFound()
    require_unit_viewer(user, unit)
    period = scope_of(plan, period_value)
    scheme = scheme_of(plan, scheme_value, period)
    if scheme is None:
        raise NotFound("Chưa có bộ tiêu chí chấm điểm.")
    standings = _standings(plan, period, scheme, now)
    standing = next(s for s in standings if s.score.unit.id == unit.id)
    total, parts = shown_parts(standing.score)
    assessment = standing.score.assessment
    return {"plan": plan, "period": period, "scope": period.name if period else WHOLE_PLAN, "scheme": scheme,
            "scheme_chosen": scheme_value not in (None, ""), "unit": unit, "standing": standing, "total": total, "parts": parts,
            "assessment_id": assessment.item_id if assessment else None, "assessment_kind": SelfAssessment.KIND}


def sheet_for_export(user, plan, period_value, sheet_value):
    """The ranking sheet named by ?sheet= if it is the one of ?period= and the user may see it.
    Permission before existence, so that someone refused learns nothing about which sheets exist."""
    require_signed_in(user)
    if not (may_view_ranking(user) or user.unit.consolidates):  # the consolidating unit makes the sheet
        raise Forbidden(OWN_UNIT_ONLY)
    period = scope_of(plan, period_value)
    sheet = db.session.get(RankingSheet, parse_id(sheet_value) or 0)
    if sheet is None or period is None or sheet.period_id != period.id:
        raise NotFound()
    return sheet


def editor(user, plan):
    """The scheme to edit (the active one, or the unsaved default) and every saved version."""
    require_scheme_editor(user)
    return schemes.active_scheme(plan) or schemes.default_scheme(plan), schemes.versions(plan)


def running_behind(user, plan):
    """For the scheme editor: the running periods under an older version than the active one, each with
    its pending proposal if any, and whether this person may propose (VHXH's reviewers)."""
    require_scheme_editor(user)
    rows = [(period, scheme, governance.pending(period)) for period, scheme in governance.running_behind(plan)]
    return {"behind": rows, "may_propose": may_draft(user, SchemeProposal.KIND)}
