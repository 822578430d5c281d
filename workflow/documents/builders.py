"""What each document says: the context its PDF template is rendered with. Who issues it, where, and
to whom it goes come from the ward's row (models.Ward), never from literals here."""
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from .. import wards
from ..extensions import db
from ..models import DOSSIER_COUNTS, NARRATIVE, Task
from . import pdf

COMMITTEE = "ỦY BAN NHÂN DÂN"


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


def consolidated(report):
    final = report.is_accepted
    number = report.doc_number if final and report.doc_number else "      /BC-UBND"
    head = ward_letterhead(_ward_of(report.unit), number, report.doc_date if final else None,
                           report.period.end_date.year, not final)
    return pdf.render("pdf/consolidated.html", {
        **head, "report": report, "plan": report.period.plan, "narrative": NARRATIVE, "annex": report.annex or {},
    }, annexes=["pdf/annex_tasks.html", "pdf/annex_figures.html"])


def unit_report(report):
    head = unit_letterhead(_ward_of(report.unit), report.unit, report.period.end_date.year, not report.is_accepted)
    return pdf.render("pdf/unit_report.html", {
        **head, "report": report, "narrative": NARRATIVE,
        "annex": {"dossiers": [{n: getattr(r, n) for n in ("field_name", *DOSSIER_COUNTS)} for r in report.dossier_rows]},
    }, annexes=["pdf/annex_figures.html"] if report.dossier_rows else [])


def plan_document(plan):
    tasks = db.session.scalars(select(Task).where(Task.plan_id == plan.id).order_by(Task.position)
                               .options(joinedload(Task.lead_unit), selectinload(Task.cooperating_units))).all()
    by_area = {}
    for task in tasks:
        by_area.setdefault(task.area_id, []).append(task)
    head = ward_letterhead(wards.current(), None, plan.issued_on, plan.issued_on.year, False)
    return pdf.render("pdf/plan.html", {**head, "plan": plan, "tasks_by_area": by_area},
                      annexes=["pdf/annex_plan_tasks.html"])
