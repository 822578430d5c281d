"""Scheme governance: which scoring scheme version a period is ranked under, and the approval step that
applies a newer version to a running period (issue 15, point 4).

- A period is ranked under the version in force when it opened: opening records it on the period
  (pin(), from assessments.create_missing, the self-assessments' on_open). A period opened before it had
  one takes, when the next version is saved, the version in force until then (schemes.pin_opened()).
- Saving a version (schemes.save_version) makes it the active one: it is what periods opened later take,
  and what the whole-plan view uses. It touches no opened period.
- Running: opened, and its ranking sheet not yet approved. A period whose sheet the chairman approved is
  closed: the sheet froze its ranking with its version, and nothing is proposed for it.
- To apply a newer version to a running period, VHXH proposes it with a reason (a SchemeProposal, a kind
  of workflow item: the engine's table, history, notifications and "who acts next" fit a two-step
  approval as they are) and the chairman approves it or returns it with a reason. The proposal page
  shows, computed live before approval, every unit whose rank or band would change (changes()).
- On approval, in its transaction (apply()): the period takes the version; reporting_periods is a
  ranking input (revision.ALWAYS), so the kept standings move; the period's draft self-assessments
  follow the new criteria (labels and maxima). Sent ones keep the version they were sent under: a sent
  item changes only by a transition, and silently rescoring what a unit signed would put words in its
  mouth. The approval page says how many; if VHXH returns one, it follows the period's version on its
  way back to draft (follow_on_return()).
- The whole plan (no period chosen) is ranked under the active version over the plan's data: the
  forward-looking view of "how units stand under today's rules". The rankings that count are the
  periods', each under its own version, and the page names them.
"""
from dataclasses import dataclass

from sqlalchemy import func, select
from werkzeug.exceptions import Conflict

from ..access import require_drafter
from ..extensions import db
from ..items import states
from ..models import RankingSheet, SchemeProposal, SelfAssessment, State
from ..validation import FieldError
from . import schemes
from .gather import gather_facts
from .scoring import score_all

NOT_RUNNING = "Kỳ {period} không phải kỳ đang chạy (chưa mở, hoặc bảng xếp hạng đã được phê duyệt)."
NOT_NEWER = "Kỳ {period} đang áp dụng bộ tiêu chí phiên bản {current}; không có phiên bản mới hơn để đề nghị."
PENDING = "Kỳ {period} đã có một đề nghị áp dụng bộ tiêu chí chưa xử lý xong; vui lòng mở đề nghị đó."
NO_REASON = "Vui lòng nêu lý do đề nghị áp dụng cho kỳ đang chạy."


def scheme_for(period):
    """The version `period` is ranked under: its own once opened, else the active one."""
    if period.scheme_id is not None:
        return schemes.by_id(period.scheme_id)
    return schemes.active_scheme(period.plan)


def pin(period):
    """Record the active version on a period opening without one; returns the period's version. No commit."""
    if period.scheme_id is None:
        active = schemes.active_scheme(period.plan)
        if active is not None:
            period.scheme_id = active.id
        return active
    return scheme_for(period)


def is_running(period):
    if period.opened_at is None:
        return False
    sheet = db.session.scalar(select(RankingSheet.state).where(RankingSheet.period_id == period.id))
    return sheet != State.ACCEPTED


def running_behind(plan):
    """[(period, its version)] of the running periods ranked under an older version than the active one:
    what a proposal could be made for (the scheme editor lists them)."""
    active = schemes.active_scheme(plan)
    if active is None:
        return []
    found = []
    for period in plan.periods:
        current = scheme_for(period)
        if current is not None and current.version < active.version and is_running(period):
            found.append((period, current))
    return found


def period_versions(plan):
    """[(period name, version or None)] of the plan's periods (loaded with their version: no query more)."""
    return [(p.name, p.scheme.version if p.scheme else None) for p in plan.periods]


@dataclass(frozen=True)
class Change:
    """A unit whose place would change: rank, band and final total (as ranked) before and after."""
    unit: object
    old_rank: int
    new_rank: int
    old_band: str
    new_band: str
    old_total: float
    new_total: float


def changes(period, scheme, now=None):
    """Every unit whose rank or band in `period` differs between the period's version and `scheme`, by
    unit code; the same data scored twice, exactly as the ranking page would score it."""
    facts = gather_facts(period.plan, period, now)
    before = {s.score.unit.id: s for s in score_all(scheme_for(period), facts)}
    after = score_all(scheme, facts)
    found = []
    for new in after:
        old = before[new.score.unit.id]
        if (old.rank, old.score.band) != (new.rank, new.score.band):
            found.append(Change(new.score.unit, old.rank, new.rank, old.score.band, new.score.band,
                                old.score.final, new.score.final))
    return sorted(found, key=lambda c: c.unit.code)


def sent_assessments(period):
    """How many of the period's self-assessments are sent (they keep the version they were sent under)."""
    return db.session.scalar(select(func.count(SelfAssessment.id)).where(
        SelfAssessment.period_id == period.id, SelfAssessment.state != State.DRAFT))


def pending(period):
    return db.session.scalar(select(SchemeProposal).where(
        SchemeProposal.period_id == period.id, SchemeProposal.state != State.ACCEPTED))


def obstacles(period, scheme):
    """[(field, message)] keeping `scheme` from being proposed for, or applied to, `period`."""
    if not is_running(period):
        return [("reason", NOT_RUNNING.format(period=period.name))]
    current = scheme_for(period)
    if scheme is None or scheme.version <= current.version:
        return [("reason", NOT_NEWER.format(period=period.name, current=current.version))]
    return []


def require_proposer(user):
    """403 for anyone but the consolidating unit's reviewers (the proposal kind's owners)."""
    require_drafter(user, SchemeProposal.KIND, "đề nghị áp dụng bộ tiêu chí cho kỳ đang chạy")


def propose(user, period, reason, now=None):
    """VHXH proposes the active version for a running period, with a reason: the proposal is made and
    sent to the chairman in one step. 403 for anyone but the consolidating unit's reviewers."""
    require_proposer(user)
    reason = (reason or "").strip()
    if not reason:
        raise FieldError("reason", NO_REASON)
    active = schemes.active_scheme(period.plan)
    blocked = obstacles(period, active)
    if blocked:
        raise Conflict(blocked[0][1])
    if pending(period) is not None:
        raise Conflict(PENDING.format(period=period.name))
    item = SchemeProposal(unit_id=user.unit_id, period_id=period.id, scheme_id=active.id,
                          from_scheme_id=scheme_for(period).id, reason=reason)
    db.session.add(item)
    db.session.flush()
    try:
        return states.perform(user, item, "submit", item.version, now=now)
    except BaseException:
        db.session.rollback()
        raise


def save_draft(user, item, version, reason, then=None):
    """A returned proposal, edited: its reason, and the version it proposes becomes the active one."""
    active = schemes.active_scheme(item.period.plan)

    def write():
        item.reason = (reason or "").strip()
        item.scheme_id, item.from_scheme_id = active.id, scheme_for(item.period).id
    return states.edit_draft(user, item, version, write, then)


def check(item, action):
    """What keeps a proposal from being sent or approved: the period stopped running, or already has it."""
    if action not in ("submit", "accept"):
        return []
    if action == "submit" and not item.reason.strip():
        return [("reason", NO_REASON)]
    return obstacles(item.period, item.scheme)


def apply(done):
    """On approval, in its transaction: the period takes the version, its drafts follow it."""
    if done.action != "accept":
        return
    period, scheme = done.item.period, done.item.scheme
    period.scheme_id = scheme.id
    schemes.follow_scheme(scheme, period)


def follow_on_return(done):
    """A self-assessment sent back to draft takes its period's version if it was sent under another."""
    item = done.item
    period = item.period
    if done.rule.target == State.DRAFT and period.scheme_id and item.scheme_id != period.scheme_id:
        schemes.follow_scheme(schemes.by_id(period.scheme_id), period, [item])

