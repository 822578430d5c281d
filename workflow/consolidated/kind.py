"""The consolidated report as a kind of workflow item: its form, its step that gives the document its
number and date, and the final PDF fixed once it is accepted."""
import re

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import kinds
from ..documents import final
from ..extensions import db
from ..items.states import OFFICE_FLOW, with_step
from ..access import WARD_DRAFTERS
from ..models import NARRATIVE, ConsolidatedReport
from ..validation import FieldError
from . import services
from .forms import ConsolidatedForm

NUMBER_PATTERN = re.compile(r"^\d{1,5}/BC-UBND$")


def edit_form(report, fresh=False):
    data = {"version": report.version, "summary": report.summary, "intro": report.intro,
            "sections": [s.body for s in report.sections], **{n: getattr(report, n) for n in NARRATIVE}}
    return ConsolidatedForm(data=data, **({"formdata": None} if fresh else {}))


def form_fits(report, form):
    return [int(e.name.rsplit("-", 1)[1]) for e in form.sections.entries] == list(range(len(report.sections)))


def save_form(user, report, form, then=None):
    data = {name: (form[name].data or "").strip() for name in ("summary", "intro", *NARRATIVE)}
    data["sections"] = {s.id: (b or "").strip() for s, b in zip(report.sections, form.sections.data)}
    return services.save(user, report, data, form.version.data, then)


def number_step(report, rule, inputs):
    """Accepting gives the report its number and date: well-formed, not used by another report, not
    dated before the period began."""
    if not rule.needs_number:
        return {}
    number, day = (inputs.get("number") or "").strip(), inputs.get("number_date")
    if not NUMBER_PATTERN.match(number):
        raise FieldError("number", "Số văn bản có dạng 245/BC-UBND.")
    taken = select(ConsolidatedReport.id).where(ConsolidatedReport.doc_number == number,
                                               ConsolidatedReport.id != report.id)
    if db.session.scalar(taken) is not None:
        raise FieldError("number", f"Số {number} đã được dùng cho văn bản khác.")
    if day is None:
        raise FieldError("number_date", "Vui lòng nhập ngày ban hành.")
    if day < report.period.start_date:
        raise FieldError("number_date", f"Ngày ban hành không thể trước {report.period.start_date:%d/%m/%Y}.")
    return {"doc_number": number, "doc_date": day}


def number_taken(changes):
    """Another report got the same number between the check and the write."""
    return FieldError("number", f"Số {changes.get('doc_number')} đã được dùng cho văn bản khác.")


def fix_final_pdf(done):
    """Accepting fixes the final PDF once; reopening withdraws it. The acceptance stands even if
    rendering fails now: the first download renders and stores it then."""
    if done.action == "accept":
        try:
            final.store(done.item)
        except Exception:  # noqa: BLE001 - logged; never undo an acceptance for a rendering problem
            db.session.rollback()
            current_app.logger.exception("Final PDF of consolidated report %s not stored", done.item.id)
    elif done.action == "reopen":
        final.forget(done.item)


def context(_user, report, **_forms):
    return {"out_of_date": services.is_out_of_date(report)}


def published(_user, report):
    """An accepted report is the ward's published document: every unit reads it ("Văn bản")."""
    return report.is_accepted


def page_options():
    return [selectinload(ConsolidatedReport.sections)]


KIND = kinds.register(kinds.Kind(
    key=ConsolidatedReport.KIND, model=ConsolidatedReport, label="Báo cáo tổng hợp của phường",
    transitions=with_step(OFFICE_FLOW, "accept", needs_number=True), owner_roles=WARD_DRAFTERS,
    form=edit_form, save=save_form, form_fits=form_fits, context=context, step=number_step, taken=number_taken,
    templates=("consolidated/_form.html", "consolidated/_view.html"), page_options=page_options, sees=published,
    after_commit=(fix_final_pdf,)))
