"""The nomination as a kind of workflow item: the unit drafts and sends, VHXH appraises each entry
(thẩm định), the chairman approves (phê duyệt); the VP office may send it back while it waits for the
chairman. Return with a reason at every step."""
from sqlalchemy.orm import selectinload

from .. import kinds
from ..items.states import ACCEPTED, DRAFT, OWNER, REVIEWED, SUBMITTED, Rule
from ..models import Nomination, Role
from . import services
from .forms import AppraisalForm, NominationForm

NOMINATION_FLOW = (
    Rule(DRAFT, "submit", SUBMITTED, OWNER),
    Rule(SUBMITTED, "withdraw", DRAFT, OWNER),
    Rule(SUBMITTED, "review", REVIEWED, Role.REVIEWER, not_by=("submitted_by_id",), label="Thẩm định đạt"),
    Rule(SUBMITTED, "return", DRAFT, Role.REVIEWER, needs_reason=True, not_by=("submitted_by_id",)),
    Rule(REVIEWED, "accept", ACCEPTED, Role.SIGNER, not_by=("submitted_by_id", "reviewed_by_id"), label="Phê duyệt"),
    Rule(REVIEWED, "return", DRAFT, Role.SIGNER, needs_reason=True, not_by=("reviewed_by_id",)),
    Rule(REVIEWED, "return", DRAFT, Role.ACCEPTOR, needs_reason=True, not_by=("reviewed_by_id",)),
    Rule(ACCEPTED, "reopen", DRAFT, Role.ADMIN, needs_reason=True),
)

BLANK_ENTRY = {"kind": "individual"}


def _fresh(fresh):
    return {"formdata": None} if fresh else {}


def edit_form(item, fresh=False):
    data = {"version": item.version,
            "entries": [{"kind": e.kind, "name": e.name, "title": e.title, "achievement": e.achievement,
                         "evidence": e.evidence} for e in item.entries] + [BLANK_ENTRY]}
    return NominationForm(data=data, **_fresh(fresh))


def save_form(user, item, form, then=None):
    entries = [services.EntryData(kind=e.form.kind.data, name=(e.form.name.data or ""),
                                  title=(e.form.title.data or ""), achievement=(e.form.achievement.data or ""),
                                  evidence=(e.form.evidence.data or ""))
               for e in form.entries if not e.form.is_blank()]
    return services.save_entries(user, item, entries, form.version.data, then=then)


def make_appraisal_form(item, fresh=False):
    verdict = {True: "yes", False: "no", None: ""}
    data = {"version": item.version,
            "verdicts": [{"verdict": verdict[e.agreed], "note": e.appraisal_note} for e in item.entries]}
    return AppraisalForm(data=data, **_fresh(fresh))


def context(user, item, appraisal_form=None, **_forms):
    form = appraisal_form or (make_appraisal_form(item, fresh=True) if services.may_appraise(user, item) else None)
    return {"appraisal_form": form}


def check(item, action):
    problem = {"submit": item.submit_problem, "review": item.review_problem,
               "accept": item.approve_problem}.get(action)
    found = problem() if problem else None
    return [found] if found else []


def page_options():
    return [selectinload(Nomination.entries)]


NOMINATION = kinds.register(kinds.Kind(
    key=Nomination.KIND, model=Nomination, label="Đề nghị khen thưởng CCHC", transitions=NOMINATION_FLOW,
    form=edit_form, save=save_form, context=context, check=check, page_options=page_options,
    list_options=page_options, templates=("nominations/_form.html", "nominations/_view.html")))
