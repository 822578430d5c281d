"""The two kinds of commendation: a unit's nomination (the unit drafts and sends, VHXH appraises each entry,
the VP office takes it into the consolidated list: items/states.UNIT_FLOW with its own step names) and the
period's decision (VHXH drafts it from the consolidated list, the VP office checks it, the chairman approves
it by signing, and the register numbers it: ISSUE_FLOW, as the consolidated report). Return with a reason
at every step."""
from dataclasses import replace

from sqlalchemy.orm import selectinload

from .. import kinds
from ..access import WARD_DRAFTERS, may_appraise
from ..issuance import register, signatures
from ..items.deadlines import local_date
from ..items.states import ISSUE_FLOW, UNIT_FLOW
from ..models import CommendationDecision, Nomination
from . import services
from .decision import TYPE
from .forms import AppraisalForm, DecisionForm, NominationForm

STEP_NAMES = {"review": "Thẩm định đạt", "accept": "Tiếp nhận, tổng hợp"}
NOMINATION_FLOW = tuple(replace(rule, label=STEP_NAMES[rule.action]) if rule.action in STEP_NAMES else rule
                        for rule in UNIT_FLOW)
DECISION_FLOW = tuple(replace(rule, label="Phê duyệt, ký ban hành") if rule.action == "accept" else rule
                      for rule in ISSUE_FLOW)

BLANK_ENTRY = {"kind": "individual"}
UNDATED = {"overdue": False, "may_remind": False}  # no due day: never "quá hạn", nothing to remind of


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
    form = appraisal_form or (make_appraisal_form(item, fresh=True) if may_appraise(user, item) else None)
    return {"appraisal_form": form, **UNDATED}


def check(item, action):
    problem = {"submit": item.submit_problem, "review": item.review_problem,
               "accept": item.accept_problem}.get(action)
    found = problem() if problem else None
    return [found] if found else []


def no_lateness(_item, rule, _inputs):
    """Nominations and the decision come after the period's due day by nature (after its ranking is
    approved): a send records no lateness against that day."""
    return {"late_days": None} if rule.action == "submit" else {}


def page_options():
    return [selectinload(Nomination.entries)]


NOMINATION = kinds.register(kinds.Kind(
    key=Nomination.KIND, model=Nomination, label="Đề nghị khen thưởng CCHC", transitions=NOMINATION_FLOW,
    form=edit_form, save=save_form, context=context, check=check, page_options=page_options, step=no_lateness,
    list_options=page_options, templates=("nominations/_form.html", "nominations/_view.html"), dated=False))


# The decision (quyết định khen thưởng): "saving" its draft remakes the list from the consolidated nominations.

def decision_form(item, fresh=False):
    return DecisionForm(data={"version": item.version}, **_fresh(fresh))


def remake_decision(user, item, form, then=None):
    return services.make_decision(user, item.period, form.version.data, then=then)


def decision_context(_user, _item, **_forms):
    return UNDATED


def decision_check(item, action):
    found = item.submit_problem() if action == "submit" else None
    return [found] if found else []


def issue(done):
    """Signing issues the decision: the next number of the ward's register (QĐ), the signing day as its
    date, the signature block as signed (by delegation: "KT. CHỦ TỊCH"). Reopening withdraws the number."""
    decision = done.item
    if done.action == "accept":
        signer, day = done.actor, local_date(done.at)
        signed_as = signatures.block(signer, done.lent)
        entry = register.take(register.Issue(register.ward_of(decision.unit).id, register.WARD_ISSUER,
                                              f"{TYPE}-{register.WARD_ISSUER}", TYPE, day, decision.summary,
                                              signer.full_name, signatures.title_line(signed_as)),
                              item=decision, by=signer)
        decision.doc_number, decision.doc_date, decision.signer_id = entry.number, day, signer.id
        decision.signed_as, decision.signed_at = signed_as, done.at
    elif done.action == "reopen":
        register.withdraw(decision, done.reason)
        decision.doc_number = decision.doc_date = decision.signer_id = decision.signed_as = decision.signed_at = None


DECISION = kinds.register(kinds.Kind(
    key=CommendationDecision.KIND, model=CommendationDecision, label="Quyết định khen thưởng CCHC",
    transitions=DECISION_FLOW, owner_roles=WARD_DRAFTERS, form=decision_form, save=remake_decision,
    check=decision_check, after=(issue,), step=no_lateness, context=decision_context, dated=False,
    templates=("nominations/_decision_form.html", "nominations/_decision_view.html")))
