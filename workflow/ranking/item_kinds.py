"""The emulation items as kinds of workflow item: each unit's self-assessment, the period's ranking
sheet and a proposal to apply a newer scheme version to a running period. Their forms, what their pages
show besides the common item page, and the appraisal form."""
from sqlalchemy.orm import selectinload

from .. import kinds
from ..access import WARD_DRAFTERS, may_appraise
from ..items.states import APPROVE_FLOW, PROPOSAL_FLOW, UNIT_FLOW
from ..models import RankingSheet, Role, SchemeProposal, SelfAssessment, State
from . import assessments, governance, sheets
from .assessment_forms import AppraisalForm, ProposalForm, RankingSheetForm, SelfAssessmentForm


def _text(value):
    return (value or "").strip()


def _number(value):
    return None if value is None else float(value)


def _fresh(fresh):
    return {"formdata": None} if fresh else {}


def _rows(field_list):
    return [int(entry.name.rsplit("-", 1)[1]) for entry in field_list.entries]


# Self-assessment (tự đánh giá): the unit's scores; the reviewer's appraisal on the same page.

def assessment_form(item, fresh=False):
    blank = {"kind": "initiative"}
    data = {"version": item.version,
            "lines": [{"points": line.self_points, "text": line.explanation} for line in item.lines],
            "initiatives": [{"kind": i.kind, "title": i.title, "description": i.description,
                             "points": i.proposed_points} for i in item.initiatives] + [blank]}
    return SelfAssessmentForm(data=data, **_fresh(fresh))


def assessment_fits(item, form):
    """Posted rows match the item's (an old or tampered form is refused, not misfiled)."""
    return _rows(form.lines) == list(range(len(item.lines)))


def save_assessment(user, item, form, then=None):
    data = {"lines": [(_number(e.form.points.data), _text(e.form.text.data)) for e in form.lines],
            "initiatives": [{"kind": e.form.kind.data, "title": _text(e.form.title.data),
                             "description": _text(e.form.description.data), "points": _number(e.form.points.data)}
                            for e in form.initiatives if not e.form.is_blank()]}
    return assessments.save_self(user, item, data, form.version.data, then=then)


def make_appraisal_form(item, fresh=False):
    data = {"version": item.version,
            "lines": [{"points": line.self_points if line.appraised_points is None else line.appraised_points,
                       "text": line.appraisal_reason} for line in item.lines],
            "awards": [{"points": i.proposed_points if i.awarded_points is None else i.awarded_points,
                        "text": i.appraisal_note} for i in item.initiatives]}
    return AppraisalForm(data=data, **_fresh(fresh))


def appraisal_fits(item, form):
    return (_rows(form.lines) == list(range(len(item.lines)))
            and _rows(form.awards) == list(range(len(item.initiatives))))


def save_appraisal(user, item, form):
    data = {"lines": [(_number(e.form.points.data), _text(e.form.text.data)) for e in form.lines],
            "awards": [(_number(e.form.points.data), _text(e.form.text.data)) for e in form.awards]}
    return assessments.save_appraisal(user, item, data, form.version.data)


def assessment_context(user, item, appraisal_form=None, **_forms):
    """The live computed score and the unit's maximum per criterion and, for the reviewer, the appraisal form."""
    form = appraisal_form or (make_appraisal_form(item, fresh=True) if may_appraise(user, item) else None)
    live = assessments.live_lines(item)
    return {"computed": {code: one.points for code, one in live.items()}, "live": live, "appraisal_form": form}


def ready(item, action):
    """A self-assessment is sent fully scored and explained, and appraised fully with reasons."""
    check = {"submit": item.submit_problem, "review": item.review_problem}.get(action)
    problem = check() if check else None
    return [problem] if problem else []


def assessment_options():
    return [selectinload(SelfAssessment.lines), selectinload(SelfAssessment.initiatives)]


# Ranking sheet (bảng xếp hạng): the frozen ranking of a period; "saving" its draft remakes it.

def sheet_form(item, fresh=False):
    return RankingSheetForm(data={"version": item.version}, **_fresh(fresh))


def remake_sheet(user, item, form, then=None):
    return sheets.make(user, item.period, form.version.data, then=then)


SELF_ASSESSMENT = kinds.register(kinds.Kind(
    key=SelfAssessment.KIND, model=SelfAssessment, label="Tự đánh giá, chấm điểm CCHC", transitions=UNIT_FLOW,
    form=assessment_form, save=save_assessment, form_fits=assessment_fits, context=assessment_context,
    templates=("ranking/_assessment_form.html", "ranking/_assessment_view.html"), page_options=assessment_options,
    on_open=assessments.create_missing, check=ready, after=(governance.follow_on_return,)))

RANKING_SHEET = kinds.register(kinds.Kind(
    key=RankingSheet.KIND, model=RankingSheet, label="Bảng xếp hạng CCHC", transitions=APPROVE_FLOW,
    owner_roles=WARD_DRAFTERS, form=sheet_form, save=remake_sheet,
    templates=("ranking/_sheet_form.html", "ranking/_sheet_view.html")))


# Proposal to apply a newer scheme version to a running period (governance.py): its reason; the page
# shows the units whose rank or band it would change, computed live, to VHXH and to the chairman.

def proposal_form(item, fresh=False):
    return ProposalForm(data={"version": item.version, "reason": item.reason}, **_fresh(fresh))


def save_proposal(user, item, form, then=None):
    return governance.save_draft(user, item, form.version.data, form.reason.data, then)


def proposal_context(_user, item, **_forms):
    """Before approval: what approving would change, scored now. After: what the period uses."""
    period = item.period
    applied = item.state == State.ACCEPTED
    return {"period_scheme": governance.scheme_for(period),
            "rank_changes": None if applied else governance.changes(period, item.scheme),
            "sent_assessments": governance.sent_assessments(period)}


def proposal_options():
    return [selectinload(SchemeProposal.scheme), selectinload(SchemeProposal.from_scheme)]


SCHEME_PROPOSAL = kinds.register(kinds.Kind(
    key=SchemeProposal.KIND, model=SchemeProposal, label="Đề nghị áp dụng bộ tiêu chí cho kỳ đang chạy",
    transitions=PROPOSAL_FLOW, owner_roles=(Role.REVIEWER,), form=proposal_form, save=save_proposal,
    context=proposal_context, templates=("ranking/_proposal_form.html", "ranking/_proposal_view.html"),
    page_options=proposal_options, check=governance.check, after=(governance.apply,),
    dated=False))  # not owed by the period's due day: never "overdue", never reminded
