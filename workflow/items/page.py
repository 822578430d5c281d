"""Between the item pages and the services: which form an item uses, and what its page shows."""
from dataclasses import dataclass

from flask import flash

from werkzeug.exceptions import Conflict, Forbidden, NotFound

from ..models import DOSSIER_COUNTS, NARRATIVE, QUALITY_GRADES, ConsolidatedReport, TaskResult, UnitReport
from ..models.org import utcnow
from ..validation import FieldError, parse_id
from ..ranking import assessment_page
from . import consolidation, services, states
from .deadlines import is_overdue
from .evidence_routes import evidence_context
from .forms import ConsolidatedForm, ContributionForm, TaskResultForm, UnitReportForm
from .queries import KIND_LABELS, QueueFilters

TASK_RESULT_FIELDS = ("work_status", "progress", "done_text", "completed_on", "output_text", "blocked_reason")


def edit_form(item, fresh=False):
    """The draft's form: from the request when posted, from the item when `fresh` (a GET, or after a 409)."""
    if item.KIND in assessment_page.KINDS:
        return assessment_page.edit_form(item, fresh)
    formdata = {"formdata": None} if fresh else {}
    if isinstance(item, TaskResult):
        return TaskResultForm(obj=item, **formdata)
    if isinstance(item, ConsolidatedReport):
        return ConsolidatedForm(data=_consolidated_data(item), **formdata)
    form = UnitReportForm(data=_report_data(item), **formdata)
    if not item.unit.receives_dossiers:  # only units that receive dossiers report Biểu II.06a
        del form.dossier_rows
        del form.satisfaction_rate
    return form


def _indices(field_list):
    return [int(entry.name.rsplit("-", 1)[1]) for entry in field_list.entries]


def form_fits(item, form):
    """The posted rows are exactly the item's rows (an old or tampered form is refused, not misfiled)."""
    if isinstance(item, TaskResult):
        return True
    if item.KIND in assessment_page.KINDS:
        return assessment_page.form_fits(item, form)
    lists = [(form.sections, item.sections)]
    if isinstance(item, UnitReport):
        lists.append((form.actuals, item.target_actuals))
    return all(_indices(posted) == list(range(len(rows))) for posted, rows in lists)


def _consolidated_data(report):
    return {"version": report.version, "summary": report.summary, "intro": report.intro,
            "sections": [s.body for s in report.sections], **{n: getattr(report, n) for n in NARRATIVE}}


def _report_data(report):
    blank = {"field_name": ""}
    return {
        "version": report.version,
        "sections": [s.body for s in report.sections],
        "actuals": [{"value": a.value, "note": a.note} for a in report.target_actuals],
        "dossier_rows": [{name: getattr(r, name) for name in ("field_name", *DOSSIER_COUNTS)}
                         for r in report.dossier_rows]
        + ([blank] if report.unit.receives_dossiers else []),
        "satisfaction_rate": report.satisfaction_rate,
        **{name: getattr(report, name) for name in NARRATIVE},
    }


def save_form(user, item, form):
    if item.KIND in assessment_page.KINDS:
        return assessment_page.save_form(user, item, form)
    if isinstance(item, TaskResult):
        data = {name: form[name].data for name in TASK_RESULT_FIELDS}
        data.update({k: (v or "").strip() for k, v in data.items() if isinstance(v, str)})
        return services.save_task_result(user, item, data, form.version.data)
    if isinstance(item, ConsolidatedReport):
        data = {name: (form[name].data or "").strip() for name in ("summary", "intro", *NARRATIVE)}
        data["sections"] = {s.id: (b or "").strip() for s, b in zip(item.sections, form.sections.data)}
        return consolidation.save(user, item, data, form.version.data)
    return services.save_unit_report(user, item, _report_values(item, form), form.version.data)


def _report_values(report, form):
    data = {name: (form[name].data or "").strip() for name in NARRATIVE}
    data["sections"] = {s.id: (body or "").strip() for s, body in zip(report.sections, form.sections.data)}
    data["actuals"] = {a.id: (None if e["value"] is None else float(e["value"]), (e["note"] or "").strip())
                       for a, e in zip(report.target_actuals, form.actuals.data)}
    if report.unit.receives_dossiers:
        rate = form.satisfaction_rate.data
        data["satisfaction_rate"] = None if rate is None else float(rate)
        data["dossier_rows"] = [{k: (v.strip() if isinstance(v, str) else v) for k, v in entry.form.data.items()}
                                for entry in form.dossier_rows if not entry.form.is_blank()]
    return data


def item_context(user, item, form=None, contribution_form=None, appraisal_form=None):
    rows = services.history(item)
    editable = services.can_edit(user, item)
    context = {
        "item": item, "kind_label": KIND_LABELS[item.KIND], "state_labels": states.STATE_LABELS,
        "action_labels": states.ACTION_LABELS, "actions": states.available_actions(user, item),
        "numbered_actions": states.numbered_actions(item), "reason_actions": states.reason_actions(item),
        "graded_actions": states.graded_actions(item), "grades": QUALITY_GRADES,
        "editable": editable,
        "form": form or (edit_form(item, fresh=True) if editable else None),
        "timeline": services.timeline(item, rows), "changes": services.changes_since_return(item, rows),
        "overdue": is_overdue(item, utcnow()),
        "out_of_date": isinstance(item, ConsolidatedReport) and consolidation.is_out_of_date(item),
        **evidence_context(user, item),
    }
    if item.KIND in assessment_page.KINDS:
        context.update(assessment_page.context(user, item, appraisal_form))
    if isinstance(item, TaskResult):
        may_contribute = services.can_contribute(user, item) and item.state in (states.DRAFT, states.SUBMITTED)
        context["contribution_form"] = contribution_form or (ContributionForm(formdata=None) if may_contribute else None)
    return context


def queue_filters(args):
    kind = args.get("kind")
    return QueueFilters(unit_id=parse_id(args.get("unit")), period_id=parse_id(args.get("period")),
                        kind=kind if kind in KIND_LABELS else None)


@dataclass
class Outcome:
    key: str
    title: str
    ok: bool
    message: str


def bulk_perform(user, role, keys, form):
    """Move each selected item one step on for this queue's role, each on its own: a refusal is
    reported per item, never fatal."""
    outcomes = []
    for key in dict.fromkeys(keys):
        kind, _, raw_id = key.partition(":")
        try:
            item = services.load_item(user, kind, parse_id(raw_id) or 0)
            action = states.forward_action(role, item)
            states.perform(user, item, action, form.get(f"version-{key}"))
        except NotFound:
            outcomes.append(Outcome(key, key, False, "Không tìm thấy hồ sơ."))
        except (Forbidden, Conflict, FieldError) as err:
            outcomes.append(Outcome(key, item.title, False, getattr(err, "description", None) or err.message))
        else:
            outcomes.append(Outcome(key, item.title, True, states.ACTION_LABELS[action] + ": xong."))
    return outcomes


def perform_action(user, item, action, form):
    states.perform(user, item, action, form.version.data, form.reason.data,
                   number=form.number.data, number_date=form.number_date.data, grade=form.grade.data)
    if isinstance(item, ConsolidatedReport):
        consolidation.after_transition(item, action)


def flash_saved(user, item, submit, saved_version):
    """After a save; with "Lưu và gửi" the draft just saved (that version, no other) is submitted."""
    if not submit:
        flash("Đã lưu dự thảo.", "success")
        return
    then_perform(user, item, "submit", saved_version, done="Đã lưu và gửi.", saved="Đã lưu dự thảo")


def then_perform(user, item, action, saved_version, done, saved):
    """A workflow step right after a save, on the version just saved; a refusal keeps the save and says why."""
    try:
        states.perform(user, item, action, saved_version)
    except (Forbidden, Conflict) as err:
        flash(f"{saved} nhưng chưa chuyển được: {err.description}", "error")
    except FieldError as err:  # e.g. a self-assessment not fully scored yet
        flash(f"{saved} nhưng chưa chuyển được: {err.message}", "error")
    else:
        flash(done, "success")
