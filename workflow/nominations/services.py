"""Commendation as plain functions (no request in their signatures): open the unit's nomination once the
period's ranking sheet is approved, save its entries and VHXH's verdicts; make the period's decision from the
consolidated nominations; what the public page lists once the decision is signed."""
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import Conflict, Forbidden

from .. import access
from ..access import OVERSEERS, may_draft, require_drafter, require_editable, signed_in
from ..extensions import db
from ..items.states import SUBMITTED, claim, edit_draft
from ..models import (NOMINEE_KINDS, CommendationDecision, Nomination, NominationEntry, RankingSheet,
                      ReportingPeriod, Role, State, Unit)
from ..models.org import utcnow
from ..validation import FieldError
from ..versioning import commit_first

NOT_YET = "Chỉ đề nghị khen thưởng sau khi bảng xếp hạng CCHC của kỳ {period} được Chủ tịch phê duyệt."
NOT_MEMBER = "Chỉ cán bộ của đơn vị lập đề nghị khen thưởng của đơn vị mình."
ALREADY = "Đơn vị đã có đề nghị khen thưởng của kỳ {period}; hãy tải lại trang để mở."
NOT_APPRAISER = "Chỉ người có vai trò thẩm định thẩm định đề nghị khen thưởng."
OWN_NOMINATION = "Bạn đã gửi đề nghị này; việc thẩm định phải do người khác thực hiện."
NOT_SUBMITTED = "Chỉ thẩm định khi đề nghị đã gửi và chưa thẩm định xong."
APPRAISAL_REFUSALS = (NOT_APPRAISER, OWN_NOMINATION, NOT_SUBMITTED)
DECISION_MADE = ("Quyết định khen thưởng của kỳ {period} vừa được người khác lập. Thao tác của bạn chưa được ghi nhận; "
                 "hãy tải lại trang để mở.")


def sheet_approved(period):
    return db.session.scalar(select(RankingSheet.id).where(
        RankingSheet.period_id == period.id, RankingSheet.state == State.ACCEPTED)) is not None


def approved_periods():
    """Periods whose ranking sheet the chairman approved: the ones units may nominate for."""
    return db.session.scalars(select(ReportingPeriod).join(RankingSheet, RankingSheet.period_id == ReportingPeriod.id)
                              .where(RankingSheet.state == State.ACCEPTED)
                              .order_by(ReportingPeriod.start_date, ReportingPeriod.due_date)).all()


def of_unit(unit_id, period):
    return db.session.scalar(select(Nomination).where(Nomination.unit_id == unit_id,
                                                      Nomination.period_id == period.id))


def may_nominate(user):
    return signed_in(user) and user.unit_id is not None and user.has_role(Role.MEMBER)


def may_oversee(user):
    return signed_in(user) and user.has_role(*OVERSEERS)


def visible(user, period_ids):
    """{period_id: [nomination]} this user may see: every unit's for overseers, else their unit's own."""
    stmt = (select(Nomination).options(selectinload(Nomination.unit), selectinload(Nomination.entries))
            .where(Nomination.period_id.in_(period_ids)).join(Unit, Nomination.unit_id == Unit.id).order_by(Unit.code))
    if not may_oversee(user):
        stmt = stmt.where(Nomination.unit_id == user.unit_id)
    found = {}
    for item in db.session.scalars(stmt):
        found.setdefault(item.period_id, []).append(item)
    return found


def visible_decisions(user, period_ids):
    """{period_id: decision} for those who see the ward's decisions (may_see: overseers, the drafting unit)."""
    found = db.session.scalars(select(CommendationDecision).where(CommendationDecision.period_id.in_(period_ids)))
    return {d.period_id: d for d in found if may_oversee(user) or d.unit_id == user.unit_id}


def open_for(user, period):
    """The user's unit's nomination of the period, created as an empty draft the first time."""
    if not may_nominate(user):
        raise Forbidden(NOT_MEMBER)
    if not sheet_approved(period):
        raise Conflict(NOT_YET.format(period=period.name))
    item = of_unit(user.unit_id, period)
    if item is not None:
        return item
    item = Nomination(unit_id=user.unit_id, period_id=period.id)
    commit_first(item, lambda: of_unit(user.unit_id, period), ALREADY.format(period=period.name))
    return item


@dataclass
class EntryData:
    kind: str
    name: str
    title: str = ""
    achievement: str = ""
    evidence: str = ""


def save_entries(user, item, entries, version, then=None):
    """Replace the draft's entries (EntryData, in order); with then="submit" it is sent in the same step.
    Editing after a return clears VHXH's earlier verdicts: what is sent again is appraised again."""
    for i, e in enumerate(entries):
        if e.kind not in NOMINEE_KINDS:
            raise FieldError(f"entries-{i}-kind", "Loại không hợp lệ.")
        if not e.name.strip():
            raise FieldError(f"entries-{i}-name", "Vui lòng ghi tên tập thể hoặc họ và tên.")

    def write():
        item.entries = [NominationEntry(position=i, kind=e.kind, name=e.name.strip(),
                                        title=e.title.strip() if e.kind == "individual" else "",
                                        achievement=e.achievement.strip(), evidence=e.evidence.strip())
                        for i, e in enumerate(entries)]
    require_editable(user, item)
    return edit_draft(user, item, version, write, then)


def require_appraiser(user, item):
    access.require_appraiser(user, item, APPRAISAL_REFUSALS)


def save_appraisal(user, item, verdicts, version):
    """VHXH's verdicts, [(agreed: True/False/None, note)] in entry order. Completeness is the review
    step's to check (Nomination.review_problem): a partial appraisal can be saved and finished later."""
    require_appraiser(user, item)
    if len(verdicts) != len(item.entries):
        raise Conflict("Biểu mẫu không khớp với hồ sơ (có thể đã cũ); vui lòng nhập lại.")
    claim(item, version, SUBMITTED)
    for entry, (agreed, note) in zip(item.entries, verdicts):
        entry.agreed, entry.appraisal_note = agreed, (note or "").strip()
    db.session.commit()
    return item


@dataclass
class Commended:
    """One collective or individual on a decision, as its annex and the public page list them."""
    kind: str
    name: str
    title: str
    achievement: str
    unit_name: str
    period_name: str = ""

    @property
    def kind_label(self):
        return NOMINEE_KINDS.get(self.kind, self.kind)


def consolidated_rows(period):
    """The entries VHXH agreed to in the nominations the VP office took (accepted), collectives first, unit
    order: the decision's list as plain data (one statement). Nothing of a returned or pending nomination."""
    found = db.session.execute(
        select(NominationEntry.kind, NominationEntry.name, NominationEntry.title, NominationEntry.achievement,
               Unit.name)
        .join(Nomination, NominationEntry.nomination_id == Nomination.id)
        .join(Unit, Nomination.unit_id == Unit.id)
        .where(Nomination.period_id == period.id, Nomination.state == State.ACCEPTED, NominationEntry.agreed.is_(True))
        .order_by(NominationEntry.kind, Unit.code, NominationEntry.position))
    return [{"kind": k, "name": n, "title": t, "achievement": a, "unit_name": u} for k, n, t, a, u in found]


def decision_of(period):
    return db.session.scalar(select(CommendationDecision).where(CommendationDecision.period_id == period.id))


def may_make_decision(user):
    return may_draft(user, CommendationDecision.KIND)


def make_decision(user, period, version=None, then=None):
    """Create the period's decision, or (while a draft) remake its list from the consolidated nominations;
    with then="submit" a remade draft is sent in the same step."""
    require_drafter(user, CommendationDecision.KIND, "lập quyết định khen thưởng")
    decision = decision_of(period)
    if decision is not None:
        require_editable(user, decision)
    rows = consolidated_rows(period)

    def write():
        decision.rows, decision.made_at = rows, utcnow()
    if decision is not None:
        return edit_draft(user, decision, version, write, then)
    decision = CommendationDecision(unit_id=user.unit_id, period_id=period.id)
    write()
    commit_first(decision, lambda: decision_of(period), DECISION_MADE.format(period=period.name))
    return decision


def commended():
    """What the public page lists: the collectives and individuals of the signed decisions, period order,
    name, kind, achievement and the proposing unit only (one statement; the frozen list is the record)."""
    found = db.session.execute(
        select(ReportingPeriod.name, CommendationDecision.rows)
        .join(CommendationDecision, CommendationDecision.period_id == ReportingPeriod.id)
        .where(CommendationDecision.state == State.ACCEPTED)
        .order_by(ReportingPeriod.start_date, ReportingPeriod.due_date))
    return [Commended(kind=r["kind"], name=r["name"], title="", achievement=r["achievement"],
                      unit_name=r["unit_name"], period_name=period) for period, rows in found for r in rows]
