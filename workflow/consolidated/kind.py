"""The consolidated report as a kind of workflow item: its form, its issuing (VHXH drafts, the VP office
checks, the chairman signs: items/states.ISSUE_FLOW), the number the register gives it when signed,
and the final PDF fixed once it is issued."""
from flask import current_app
from sqlalchemy.orm import selectinload

from .. import kinds
from ..documents import final
from ..extensions import db
from ..access import WARD_DRAFTERS
from ..issuance import register, signatures
from ..items.deadlines import local_date
from ..items.states import ISSUE_FLOW
from ..models import NARRATIVE, ConsolidatedReport
from . import services
from .forms import ConsolidatedForm

def edit_form(report, fresh=False):
    data = {"version": report.version, "summary": report.summary, "intro": report.intro,
            "sections": [s.body for s in report.sections], **{n: getattr(report, n) for n in NARRATIVE},
            "recipients": "\n".join(services.recipients_of(report))}
    return ConsolidatedForm(data=data, **({"formdata": None} if fresh else {}))


def form_fits(report, form):
    return [int(e.name.rsplit("-", 1)[1]) for e in form.sections.entries] == list(range(len(report.sections)))


def save_form(user, report, form, then=None):
    data = {name: (form[name].data or "").strip() for name in ("summary", "intro", *NARRATIVE)}
    data["recipients"] = services.recipient_lines(form.recipients.data)
    data["sections"] = {s.id: (b or "").strip() for s, b in zip(report.sections, form.sections.data)}
    return services.save(user, report, data, form.version.data, then)


def issue(done):
    """Signing issues the report: the next number of the ward's register, the signing day as its date,
    the signature block as signed (by delegation: "KT. CHỦ TỊCH"). Reopening withdraws the number."""
    report = done.item
    if done.action == "accept":
        signer = done.actor
        signed_as = signatures.block(signer, done.lent)
        day = local_date(done.at)
        entry = register.take(register.Issue(register.ward_of(report.unit).id, register.WARD_ISSUER, "BC-UBND", "BC", day, report.summary,
                                             signer.full_name, signatures.title_line(signed_as)), item=report, by=signer)
        report.doc_number, report.doc_date, report.signer_id = entry.number, day, signer.id
        report.signed_as, report.signed_at = signed_as, done.at
    elif done.action == "reopen":
        register.withdraw(report, done.reason)
        report.doc_number = report.doc_date = report.signer_id = report.signed_as = report.signed_at = None


def check(report, action):
    """Signing needs the ward's certificate: without it the step is refused, never issued unsigned."""
    if action != "accept":
        return []
    problem = final.ready_to_sign()
    return [("signing", problem)] if problem else []


def fix_final_pdf(done):
    """Signing fixes the final PDF once (rendered and signed after the commit, so the register's row
    lock is not held while it renders); reopening withdraws it. The issuing stands even if rendering
    fails now (logged): the first download renders and signs it then."""
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
    transitions=ISSUE_FLOW, owner_roles=WARD_DRAFTERS, after=(issue,), check=check,
    form=edit_form, save=save_form, form_fits=form_fits, context=context,
    templates=("consolidated/_form.html", "consolidated/_view.html"), page_options=page_options, sees=published,
    after_commit=(fix_final_pdf,)))
