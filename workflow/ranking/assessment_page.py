"""Between the item pages and the emulation services: the forms of a self-assessment, its appraisal
and a ranking sheet, and what their pages show besides the common item page."""
from ..models import RankingSheet, SelfAssessment
from . import assessments, sheets
from .assessment_forms import AppraisalForm, RankingSheetForm, SelfAssessmentForm

KINDS = (SelfAssessment.KIND, RankingSheet.KIND)


def _text(value):
    return (value or "").strip()


def _number(value):
    return None if value is None else float(value)


def edit_form(item, fresh=False):
    formdata = {"formdata": None} if fresh else {}
    if isinstance(item, RankingSheet):
        return RankingSheetForm(data={"version": item.version}, **formdata)
    blank = {"kind": "initiative"}
    data = {"version": item.version,
            "lines": [{"points": line.self_points, "text": line.explanation} for line in item.lines],
            "initiatives": [{"kind": i.kind, "title": i.title, "description": i.description,
                             "points": i.proposed_points} for i in item.initiatives] + [blank]}
    return SelfAssessmentForm(data=data, **formdata)


def appraisal_form(item, fresh=False):
    formdata = {"formdata": None} if fresh else {}
    data = {"version": item.version,
            "lines": [{"points": line.self_points if line.appraised_points is None else line.appraised_points,
                       "text": line.appraisal_reason} for line in item.lines],
            "awards": [{"points": i.proposed_points if i.awarded_points is None else i.awarded_points,
                        "text": i.appraisal_note} for i in item.initiatives]}
    return AppraisalForm(data=data, **formdata)


def _rows(field_list):
    return [int(entry.name.rsplit("-", 1)[1]) for entry in field_list.entries]


def form_fits(item, form):
    """Posted rows match the item's (an old or tampered form is refused, not misfiled)."""
    if isinstance(item, RankingSheet):
        return True
    if isinstance(form, AppraisalForm):
        return (_rows(form.lines) == list(range(len(item.lines)))
                and _rows(form.awards) == list(range(len(item.initiatives))))
    return _rows(form.lines) == list(range(len(item.lines)))


def save_form(user, item, form):
    if isinstance(item, RankingSheet):
        return sheets.make(user, item.period, form.version.data)
    data = {"lines": [(_number(e.form.points.data), _text(e.form.text.data)) for e in form.lines],
            "initiatives": [{"kind": e.form.kind.data, "title": _text(e.form.title.data),
                             "description": _text(e.form.description.data), "points": _number(e.form.points.data)}
                            for e in form.initiatives if not e.form.is_blank()]}
    return assessments.save_self(user, item, data, form.version.data)


def save_appraisal(user, item, form):
    data = {"lines": [(_number(e.form.points.data), _text(e.form.text.data)) for e in form.lines],
            "awards": [(_number(e.form.points.data), _text(e.form.text.data)) for e in form.awards]}
    return assessments.save_appraisal(user, item, data, form.version.data)


def context(user, item, appraisal=None):
    """Extra page data: the live computed score per criterion and, for VHXH, the appraisal form."""
    if isinstance(item, RankingSheet):
        return {}
    may = assessments.may_appraise(user, item)
    return {"computed": assessments.computed_scores(item),
            "appraisal_form": appraisal or (appraisal_form(item, fresh=True) if may else None)}
