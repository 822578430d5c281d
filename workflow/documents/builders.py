"""What each document says: a Document (template, context, annexes, file name) that the PDF (pdf.py)
and the Word copy are both made from. Who issues it, where, and to whom it goes come from the ward's
row (models.Ward), never from literals here."""
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from .. import wards
from ..extensions import db
from ..models import DOSSIER_COUNTS, NARRATIVE, Task
from . import pdf

COMMITTEE = "ỦY BAN NHÂN DÂN"


@dataclass(frozen=True)
class Document:
    template: str        # the PDF template of the body
    context: dict        # what both the PDF and the Word copy are made from
    annexes: tuple = ()  # the PDF templates of the annexes (rendered with the same context)
    filename: str = "van-ban"  # without extension
    final: bool = False  # the PDF is the issued document: a Word copy of it is marked as a copy


def pdf_bytes(doc):
    return pdf.render(doc.template, doc.context, annexes=doc.annexes)


def place_date(place, day, year):
    if day is None:
        return f"{place}, ngày      tháng      năm {year}"
    return f"{place}, ngày {day:%d} tháng {day:%m} năm {day:%Y}"


def ward_letterhead(ward, number, day, year, is_draft):
    """Header and recipients of a document the ward's People's Committee issues; the drafting unit
    keeps the file copy ("Lưu: VT, VHXH.")."""
    drafter = ward.consolidating_unit
    return {"ward": ward, "issuer_top": COMMITTEE, "issuer": ward.full_name.upper(), "number": number,
            "place_date": place_date(ward.place, day, year), "is_draft": is_draft,
            "recipients": [*ward.recipients, f"Lưu: VT, {drafter.code}." if drafter else "Lưu: VT."]}


def unit_letterhead(ward, unit, year, is_draft):
    """Header and recipients of a unit's own report to the ward, sent through the consolidating unit."""
    drafter = ward.consolidating_unit
    through = f" (qua {drafter.name})" if drafter else ""
    return {"ward": ward, "issuer_top": f"UBND {ward.full_name.upper()}", "issuer": unit.name,
            "number": f"      /BC-{unit.code}", "place_date": place_date(ward.place, None, year),
            "is_draft": is_draft, "recipients": [f"UBND {ward.kind}{through};", "Lưu: VT."]}


def _ward_of(unit):
    return unit.ward or wards.current()


def ward_signature(report, plan):
    """The signature block: as signed once issued (models.ConsolidatedReport.signed_as), else the
    chairman's as expected."""
    if report.is_accepted and report.signed_as:
        return report.signed_as
    return {"authority": ["TM. ỦY BAN NHÂN DÂN"], "title": plan.signer_title.upper(), "name": plan.signer_name}


def consolidated_document(report):
    final = report.is_accepted
    number = report.doc_number if final and report.doc_number else "      /BC-UBND"
    head = ward_letterhead(_ward_of(report.unit), number, report.doc_date if final else None,
                           report.period.end_date.year, not final)
    plan = report.period.plan
    return Document("pdf/consolidated.html", {
        **head, "report": report, "plan": plan, "narrative": NARRATIVE, "annex": report.annex or {},
        "signature": ward_signature(report, plan),
    }, annexes=("pdf/annex_tasks.html", "pdf/annex_figures.html"),
        filename=f"bao-cao-tong-hop-{report.period_id}", final=final)


def unit_report_document(report):
    unit = report.unit
    head = unit_letterhead(_ward_of(unit), unit, report.period.end_date.year, not report.is_accepted)
    return Document("pdf/unit_report.html", {
        **head, "report": report, "narrative": NARRATIVE,
        "annex": {"dossiers": [{n: getattr(r, n) for n in ("field_name", *DOSSIER_COUNTS)} for r in report.dossier_rows]},
        "signature": {"authority": [], "title": (unit.head_title or "Thủ trưởng đơn vị").upper(), "name": unit.head_name or ""},
    }, annexes=("pdf/annex_figures.html",) if report.dossier_rows else (),
        filename=f"bao-cao-{unit.code.lower()}-{report.period_id}")


def plan_doc(plan):
    tasks = db.session.scalars(select(Task).where(Task.plan_id == plan.id).order_by(Task.position)
                               .options(joinedload(Task.lead_unit), selectinload(Task.cooperating_units))).all()
    by_area = {}
    for task in tasks:
        by_area.setdefault(task.area_id, []).append(task)
    head = ward_letterhead(wards.current(), None, plan.issued_on, plan.issued_on.year, False)
    return Document("pdf/plan.html", {**head, "plan": plan, "tasks_by_area": by_area},
                    annexes=("pdf/annex_plan_tasks.html",), filename="ke-hoach-cchc")


def consolidated(report):
    return pdf_bytes(consolidated_document(report))


def unit_report(report):
    return pdf_bytes(unit_report_document(report))


def plan_document(plan):
    return pdf_bytes(plan_doc(plan))
