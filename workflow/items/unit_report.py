"""Unit reports, one per unit and period: a section per plan area the unit works on, the closing
sections, the figures of its targets and, for units that receive dossiers, Biểu II.06a. The
reviewer grades its quality when reviewing it. Registers the kind "unit-report"."""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import kinds
from ..access import require_editable
from ..extensions import db
from ..issuance import register
from ..models import (DOSSIER_PARTS, NARRATIVE, QUALITY_GRADES, DossierRow, Plan, ReportSection, Target,
                      TargetActual, Task, Unit, UnitReport, dossier_row_problems)
from ..validation import FieldError
from . import fills
from .deadlines import local_date
from .forms import UnitReportForm
from .states import DRAFT, UNIT_FLOW, edit_draft, with_step

# Fields commonly reported by a ward's one-stop shop; units rename or add rows as they need.
DEFAULT_DOSSIER_FIELDS = ["Hộ tịch", "Chứng thực", "Đất đai", "Xây dựng", "Lĩnh vực khác"]


def create_missing(period):
    """An empty draft report for every active unit that has none in this period. The caller commits."""
    plan = db.session.scalar(select(Plan).where(Plan.id == period.plan_id).options(
        selectinload(Plan.areas), selectinload(Plan.targets).selectinload(Target.responsible_units)))
    have = set(db.session.scalars(select(UnitReport.unit_id).where(UnitReport.period_id == period.id)))
    tasks = db.session.scalars(select(Task).where(Task.plan_id == plan.id)
                               .options(selectinload(Task.cooperating_units))).all()
    units = db.session.scalars(select(Unit).where(Unit.active, Unit.id.not_in(have)).order_by(Unit.id)).all()
    for unit in units:
        db.session.add(_empty_report(unit, period, plan, tasks))
    return len(units)


def _empty_report(unit, period, plan, tasks):
    involved = {t.area_id for t in tasks if t.lead_unit_id == unit.id or unit in t.cooperating_units}
    report = UnitReport(unit=unit, period=period)
    report.sections = [ReportSection(area=a, position=a.number) for a in plan.areas if a.id in involved]
    report.target_actuals = [TargetActual(target=t) for t in plan.targets if unit in t.responsible_units]
    if unit.receives_dossiers:
        report.dossier_rows = [DossierRow(field_name=name, position=i)
                               for i, name in enumerate(DEFAULT_DOSSIER_FIELDS)]
    return report


def check_figures(report, actuals):
    """A target measured in per cent takes 0 to 100 (the form knows no target, so the range is here).
    A figure out of range is refused even in a draft: it cannot be a true figure."""
    for i, actual in enumerate(report.target_actuals):
        value = actuals.get(actual.id, (actual.value, "", ""))[0]
        if value is not None and actual.target.metric == "percent" and not 0 <= value <= 100:
            raise FieldError(f"actuals-{i}-value", "Tỷ lệ từ 0 đến 100%.")


def problems(report):
    """What keeps the report from being sent, each beside its field: the section of every area where
    the unit leads a task, the result of every target it answers for, and Biểu II.06a balanced."""
    led = _led_areas(report)
    found = [(f"sections-{i}", "Đơn vị chủ trì nhiệm vụ thuộc lĩnh vực này: vui lòng báo cáo kết quả.")
             for i, section in enumerate(report.sections) if section.area_id in led and not section.body.strip()]
    found += [(f"actuals-{i}-{'text' if a.target.metric == 'rank' else 'value'}", "Vui lòng ghi kết quả chỉ tiêu.")
              for i, a in enumerate(report.target_actuals) if not a.reported]
    for i, row in enumerate(report.dossier_rows):
        found += [(f"dossier_rows-{i}" + (f"-{name}" if name else ""), message)
                  for name, message in dossier_row_problems(row.as_dict())]
    return found


def _led_areas(report):
    return set(db.session.scalars(select(Task.area_id).where(
        Task.plan_id == report.period.plan_id, Task.lead_unit_id == report.unit_id)))


def check(report, action):
    return problems(report) if action == "submit" else []


def save(user, report, data, version, then=None):
    """The draft's content, complete or not; with `then` ("submit") sent in the same step
    (states.edit_draft), which refuses an incomplete report."""
    require_editable(user, report)
    check_figures(report, data.get("actuals", {}))
    return edit_draft(user, report, version, lambda: _write(report, data), then)


def _write(report, data):
    for name in NARRATIVE:
        setattr(report, name, data[name])
    if "satisfaction_rate" in data:
        report.satisfaction_rate = data["satisfaction_rate"]
    bodies = data.get("sections", {})
    for section in report.sections:
        section.body = bodies.get(section.id, section.body)
    actuals = data.get("actuals", {})
    for actual in report.target_actuals:
        actual.value, actual.value_text, actual.note = actuals.get(
            actual.id, (actual.value, actual.value_text, actual.note))
    if "dossier_rows" in data:
        report.dossier_rows = [DossierRow(position=i, **row) for i, row in enumerate(data["dossier_rows"])]


def edit_form(report, fresh=False):
    form = UnitReportForm(data=_form_data(report), **({"formdata": None} if fresh else {}))
    if not report.unit.receives_dossiers:  # only units that receive dossiers report Biểu II.06a
        del form.dossier_rows
        del form.satisfaction_rate
    return form


def _form_data(report):
    blank = {"field_name": ""}
    return {
        "version": report.version,
        "sections": [s.body for s in report.sections],
        "actuals": [{"value": a.value, "text": a.value_text, "note": a.note} for a in report.target_actuals],
        "dossier_rows": [{name: getattr(r, name) for name in ("field_name", *DOSSIER_PARTS)}
                         for r in report.dossier_rows]
        + ([blank] if report.unit.receives_dossiers else []),
        "satisfaction_rate": report.satisfaction_rate,
        **{name: getattr(report, name) for name in NARRATIVE},
    }


def _indices(field_list):
    return [int(entry.name.rsplit("-", 1)[1]) for entry in field_list.entries]


def form_fits(report, form):
    """The posted rows are exactly the report's rows (an old or tampered form is refused, not misfiled)."""
    return all(_indices(posted) == list(range(len(rows)))
               for posted, rows in ((form.sections, report.sections), (form.actuals, report.target_actuals)))


def save_form(user, report, form, then=None, dossier_rows=None):
    """Save the posted form; `dossier_rows` (read from a sheet) replace the typed Biểu II.06a."""
    data = {name: (form[name].data or "").strip() for name in NARRATIVE}
    data["sections"] = {s.id: (body or "").strip() for s, body in zip(report.sections, form.sections.data)}
    data["actuals"] = {a.id: _actual(a, e) for a, e in zip(report.target_actuals, form.actuals.data)}
    if report.unit.receives_dossiers:
        rate = form.satisfaction_rate.data
        data["satisfaction_rate"] = None if rate is None else float(rate)
        data["dossier_rows"] = dossier_rows if dossier_rows is not None else typed_rows(form)
    return save(user, report, data, form.version.data, then)


def _actual(actual, entry):
    """(value, text, note): a rank is kept as typed ("3/30") with its place as the value."""
    note = (entry["note"] or "").strip()
    if actual.target.metric == "rank":
        text = "".join((entry["text"] or "").split())  # "3 / 30" → "3/30"
        return (float(text.split("/")[0]) if text else None), text, note
    return (None if entry["value"] is None else float(entry["value"])), "", note


def typed_rows(form):
    """The Biểu II.06a rows on the screen, totals added up, blank rows left out."""
    return [{"field_name": (entry.form.field_name.data or "").strip(), **entry.form.counts()}
            for entry in form.dossier_rows if not entry.form.is_blank()]


def grade_step(report, rule, inputs):
    """Reviewing takes a quality grade; going back to draft clears it, so a later review grades afresh."""
    if rule.needs_grade:
        grade = inputs.get("grade")
        if grade not in QUALITY_GRADES:
            raise FieldError("grade", "Vui lòng chọn mức chất lượng của báo cáo.")
        return {"quality_grade": grade}
    return {"quality_grade": None} if rule.target == DRAFT else {}


def number_on_first_send(done):
    """A unit issues its report when it first sends it: the next number of the unit's own register and
    that day's date ("05/BC-KT-HT&ĐT"). A corrected report sent again after a return is the same
    document and keeps both."""
    report = done.item
    if done.action != "submit" or report.doc_number:
        return
    unit, day = report.unit, local_date(done.at)
    entry = register.take(register.Issue(register.ward_of(unit).id, unit.code, f"BC-{unit.symbol}", "BC", day,
                                         f"Kết quả thực hiện công tác cải cách hành chính {report.period.name}",
                                         unit.head_name or "", unit.head_title or ""), item=report, by=done.actor)
    report.doc_number, report.doc_date = entry.number, day


def context(_user, _report, **_forms):
    return {"grades": QUALITY_GRADES}


def page_options():
    return [selectinload(UnitReport.sections).joinedload(ReportSection.area),
            selectinload(UnitReport.target_actuals).joinedload(TargetActual.target),
            selectinload(UnitReport.dossier_rows)]


KIND = kinds.register(kinds.Kind(
    key=UnitReport.KIND, model=UnitReport, label="Báo cáo đơn vị",
    transitions=with_step(UNIT_FLOW, "review", needs_grade=True),
    form=edit_form, save=save_form, form_fits=form_fits, context=context, step=grade_step,
    templates=("items/_unit_report_form.html", "items/_unit_report_view.html"),
    page_options=page_options, on_open=create_missing, check=check, after=(number_on_first_send,),
    fills=(kinds.Fill("tasks", "Điền từ kết quả nhiệm vụ", "Mỗi lĩnh vực còn trống được điền kết quả các nhiệm vụ "
                      "đơn vị chủ trì trong kỳ; nội dung đã nhập được giữ nguyên.", fills.report_from_tasks),
           kinds.Fill("previous", "Sao chép từ kỳ trước", "Lấy nội dung báo cáo kỳ trước vào các ô còn trống, "
                      "và các lĩnh vực của Biểu II.06a với số hồ sơ đang giải quyết chuyển qua.",
                      fills.report_from_previous))))
