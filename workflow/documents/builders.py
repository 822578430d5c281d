"""What each document says: the context its PDF template is rendered with."""
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..models import DOSSIER_COUNTS, NARRATIVE, Task
from . import pdf

WARD = "PHƯỜNG PHÙ LIỄN"
ISSUER_TOP = "ỦY BAN NHÂN DÂN"
PLACE = "Phù Liễn"
WARD_RECIPIENTS = ["UBND thành phố (Sở Nội vụ);", "TT Đảng ủy, TT HĐND phường;", "CT, các PCT UBND phường;",
                   "Các cơ quan, đơn vị thuộc phường;", "Lưu: VT, VHXH."]


def place_date(day, year):
    if day is None:
        return f"{PLACE}, ngày      tháng      năm {year}"
    return f"{PLACE}, ngày {day:%d} tháng {day:%m} năm {day:%Y}"


def consolidated(report):
    plan = report.period.plan
    final = report.state == "accepted"
    number = report.doc_number if final and report.doc_number else "      /BC-UBND"
    return pdf.render("pdf/consolidated.html", {
        "report": report, "plan": plan, "narrative": NARRATIVE, "draft": not final,
        "issuer_top": ISSUER_TOP, "issuer": WARD, "number": number,
        "place_date": place_date(report.doc_date if final else None, report.period.end_date.year),
        "recipients": WARD_RECIPIENTS, "annex": report.annex or {},
    }, annexes=["pdf/annex_tasks.html", "pdf/annex_figures.html"])


def unit_report(report):
    final = report.state == "accepted"
    return pdf.render("pdf/unit_report.html", {
        "report": report, "narrative": NARRATIVE, "draft": not final,
        "issuer_top": f"UBND {WARD}", "issuer": report.unit.name, "number": f"      /BC-{report.unit.code}",
        "place_date": place_date(None, report.period.end_date.year),
        "recipients": ["UBND phường (qua Phòng Văn hóa - Xã hội);", "Lưu: VT."],
        "annex": {"dossiers": [{n: getattr(r, n) for n in ("field_name", *DOSSIER_COUNTS)} for r in report.dossier_rows]},
    }, annexes=["pdf/annex_figures.html"] if report.dossier_rows else [])


def plan_document(plan):
    tasks = db.session.scalars(select(Task).where(Task.plan_id == plan.id).order_by(Task.position)
                               .options(joinedload(Task.lead_unit), selectinload(Task.cooperating_units))).all()
    by_area = {}
    for task in tasks:
        by_area.setdefault(task.area_id, []).append(task)
    return pdf.render("pdf/plan.html", {
        "plan": plan, "tasks_by_area": by_area, "draft": False, "issuer_top": ISSUER_TOP, "issuer": WARD, "number": None,
        "place_date": place_date(plan.issued_on, plan.issued_on.year),
        "recipients": ["UBND thành phố (Sở Nội vụ);", "TT Đảng ủy, TT HĐND phường;", "CT, các PCT UBND phường;",
                       "Các cơ quan, đơn vị thuộc phường;", "Lưu: VT, VHXH."],
    }, annexes=["pdf/annex_plan_tasks.html"])

