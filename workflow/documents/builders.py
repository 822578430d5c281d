"""What each document says: a Document (template, context, annexes, file name) that the PDF (pdf.py)
and the Word copy are both made from. Who issues it, where, and to whom it goes come from the ward's
row (models.Ward), never from literals here.

Everything a document prints that is worded or formatted by a rule of Decree 30/2020/NĐ-CP is made
here as plain text (dates, the number or its blank, "Nơi nhận", the citation under an annex title, the
closing sentence), so the PDF and the Word copy say the same. Context keys:

- ward, issuer_top, issuer, number ("245/BC-UBND", or "      /BC-UBND" on a draft), place_date,
  is_draft, recipients (the "Nơi nhận" lines as printed, without the leading "- ": "…;", the last
  "Lưu: VT, VHXH."), signature ({"authority": [...], "title": ..., "name": ...});
- summary (the trích yếu, period names kept on one line with non-breaking spaces), closing_line
  ("Trên đây là báo cáo …./."), citation ("(Kèm theo Báo cáo số … ngày … của …)"), appendix (label of
  each annex: {"tasks": "Phụ lục I", "figures": "Phụ lục II"}; "Phụ lục" alone when there is one);
- task_areas: the task table of an annex by area, [{"number", "name", "heading": "1. Công tác chỉ
  đạo, điều hành", "tasks": [row, ...]}], a row as in consolidated/services.task_annex (code, title,
  lead, deadline, status, completed_on, late_days, result, not_done); task_lead (the table has a
  "Chủ trì" column);
- dossiers: the Biểu II.06a rows, the "Tổng cộng" row last (is_total); targets (consolidated only).
"""
import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from .. import wards
from ..extensions import db
from ..formats import decree_date, decree_short_date, vn_date, vn_sort_key
from ..models import DOSSIER_COUNTS, DOSSIER_PARTS, NARRATIVE, TASK_STATUSES, Task, TaskResult, dossier_totals
from . import pdf

COMMITTEE = "ỦY BAN NHÂN DÂN"
BLANK = "      "  # where the clerk writes the number or the date of a draft by hand
NBSP = "\u00a0"
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
UNIT_HEAD = "Thủ trưởng đơn vị"  # a unit's signer when its head is not recorded
TOTAL = "Tổng cộng"
# Period names, kept on one line: "Quý III/2025", "6 tháng đầu năm 2025", "tháng 9/2025", "năm 2025".
PERIOD_WORDS = re.compile(r"\b(?:quý\s+[IVX]+\s*/\s*\d{4}|\d+\s+tháng\s+(?:đầu|cuối)\s+năm\s+\d{4}"
                          r"|tháng\s+\d{1,2}\s*/\s*\d{4}|năm\s+\d{4})", re.IGNORECASE)


@dataclass(frozen=True)
class Document:
    template: str        # the PDF template of the body
    context: dict        # what both the PDF and the Word copy are made from
    annexes: tuple = ()  # the PDF templates of the annexes (rendered with the same context)
    long_annex: str | None = None  # the one of them that may be laid out in pieces (chunks.py)
    filename: str = "van-ban"  # without extension
    final: bool = False  # the PDF is the issued document: a Word copy of it is marked as a copy


def pdf_bytes(doc):
    return pdf.render(doc.template, doc.context, annexes=doc.annexes, long_annex=doc.long_annex)


# --- the rules of Decree 30 as text ---------------------------------------------------------------------

def place_date(place, day, year):
    """"Phù Liễn, ngày 04 tháng 9 năm 2025"; on a draft the day and month are left blank."""
    if day is None:
        return f"{place}, ngày{BLANK}tháng{BLANK}năm {year}"
    return f"{place}, {decree_date(day)}"


def blank_number(kind, symbol):
    """"      /BC-UBND": the number of a document not yet registered, written in at issue."""
    return f"{BLANK}/{kind}-{symbol}"


def citation(kind, number, day, year, issuer):
    """The line under an annex's title, citing its document in full (Decree 30, Appendix I):
    "(Kèm theo Báo cáo số 245/BC-UBND ngày 04/9/2025 của Ủy ban nhân dân phường Phù Liễn)"; a draft's
    number and date are blanks: "(Kèm theo Báo cáo số       /BC-UBND ngày      /     /2025 của …)"."""
    when = decree_short_date(day) if day else f"{BLANK}/{BLANK[:-1]}/{year}"
    return f"(Kèm theo {kind} số {number} ngày {when} của {issuer})"


def recipient_entries(entries):
    """The recipients without print punctuation ("- ", ";"), empty ones and any typed "Lưu" line dropped:
    the file copy line is the app's to add."""
    cleaned = ((entry or "").strip().lstrip("-–•+ ").rstrip(";.,: ").strip() for entry in entries or ())
    return [text for text in cleaned if text and not text.casefold().startswith("lưu")]


def recipient_lines(entries, keeper):
    """"Nơi nhận" as printed: each entry "…;" and the file copy "Lưu: VT, <keeper>." last, whatever
    punctuation the entries were typed with."""
    return [f"{text};" for text in recipient_entries(entries)] + [f"Lưu: VT, {keeper}." if keeper else "Lưu: VT."]


def unbroken(text, *names):
    """`text` with every period name ("Quý III/2025", and each of `names`) tied by non-breaking spaces,
    so that no line ends inside it; the Word copy keeps them together too. (A line may still break
    after the "/" of "III/2025": the PDF templates add a word joiner there: macro `tied` of pdf/_parts.html.)"""
    if not text:
        return text or ""
    alternatives = [r"\s+".join(map(re.escape, name.split())) for name in names if name and name.strip()]
    pattern = re.compile("|".join([*alternatives, PERIOD_WORDS.pattern]), re.IGNORECASE)
    return pattern.sub(lambda m: re.sub(r"\s+", NBSP, m.group(0)), text)


def _lowered(text):
    return text[:1].lower() + text[1:]


def _capitalised(text):
    return text[:1].upper() + text[1:]


def appendix_labels(keys):
    """"Phụ lục I", "Phụ lục II", … in order; a lone appendix is just "Phụ lục"."""
    if len(keys) == 1:
        return {keys[0]: "Phụ lục"}
    return {key: f"Phụ lục {ROMAN[i]}" for i, key in enumerate(keys)}


def slug(text):
    """ASCII words joined by "-" for a file name: diacritics dropped, "đ" → "d"; a word in capitals
    (a ký hiệu, a Roman numeral) keeps them: "Quý III/2025" → "quy-III-2025", "05/BC-KT-HT&ĐT" →
    "05-BC-KT-HT-DT"."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(w if w.isupper() else w.lower() for w in re.findall(r"[A-Za-z0-9]+", text))


def report_filename(number, period_name, draft, who=None):
    """"245-BC-UBND-bao-cao-CCHC-quy-III-2025" once issued with its number; "du-thao-bao-cao-CCHC[-<who>]-
    quy-III-2025" while a draft (what the PDF marks DỰ THẢO)."""
    period = slug(period_name)
    if draft:
        return "-".join(p for p in ("du-thao-bao-cao-CCHC", who, period) if p)
    return "-".join(p for p in (slug(number), "bao-cao-CCHC", period) if p)


# --- headers and closings ----------------------------------------------------------------------------

def ward_letterhead(ward, number, day, year, is_draft, recipients=None):
    """Header and recipients of a document the ward's People's Committee issues; the drafting unit
    keeps the file copy ("Lưu: VT, VHXH."). `recipients`: the list edited on the document (None: the
    ward's own list)."""
    drafter = ward.consolidating_unit
    return {"ward": ward, "issuer_top": COMMITTEE, "issuer": ward.full_name.upper(), "number": number,
            "place_date": place_date(ward.place, day, year), "is_draft": is_draft,
            "recipients": recipient_lines(ward.recipients if recipients is None else recipients,
                                          drafter.symbol if drafter else None)}


def unit_letterhead(ward, unit, number, day, year, is_draft):
    """Header and recipients of a unit's own report to the ward, sent through the consolidating unit."""
    drafter = ward.consolidating_unit
    through = f" (qua {drafter.name})" if drafter and drafter.id != unit.id else ""
    return {"ward": ward, "issuer_top": f"UBND {ward.full_name.upper()}", "issuer": unit.name,
            "number": number, "place_date": place_date(ward.place, day, year), "is_draft": is_draft,
            "recipients": recipient_lines([f"UBND {ward.kind}{through}"], unit.symbol)}


def _ward_of(unit):
    return unit.ward or wards.current()


def ward_signature(report, plan):
    """The signature block: as signed once issued (models.ConsolidatedReport.signed_as), else the
    chairman's as expected."""
    if report.is_accepted and report.signed_as:
        return report.signed_as
    return {"authority": ["TM. ỦY BAN NHÂN DÂN"], "title": plan.signer_title.upper(), "name": plan.signer_name}


# --- annex tables ------------------------------------------------------------------------------------

def by_area(rows, areas):
    """Task rows grouped under their area's heading ("1. Công tác chỉ đạo, điều hành"), in the order
    the rows come; `areas` maps an area's number to its name."""
    groups = []
    for row in rows:
        number = row.get("area")
        if not groups or groups[-1]["number"] != number:
            name = areas.get(number, "")
            groups.append({"number": number, "name": name, "tasks": [],
                           "heading": f"{number}. {name}" if name else f"{number}."})
        groups[-1]["tasks"].append(row)
    return groups


def dossier_table(rows):
    """Biểu II.06a rows (dicts of field_name and the counts), totals from their parts, and the total row."""
    table = []
    for row in rows:
        parts = {n: row.get(n) or 0 for n in DOSSIER_PARTS}
        table.append({"field_name": row.get("field_name", ""), "is_total": False, **parts, **dossier_totals(parts)})
    if table:
        table.append({"field_name": TOTAL, "is_total": True,
                      **{n: sum(r[n] for r in table) for n in DOSSIER_COUNTS}})
    return table


def _summed(rows):
    """The consolidated annex's rows as stored: its total row (made at prefill) marked as such."""
    return [{**r, "is_total": r.get("field_name") == TOTAL} for r in rows]


def unit_task_rows(report):
    """The unit's own task results of the period, in the Vietnamese order of their codes."""
    results = db.session.scalars(select(TaskResult).options(joinedload(TaskResult.task).joinedload(Task.area))
                                 .where(TaskResult.unit_id == report.unit_id,
                                        TaskResult.period_id == report.period_id)).all()
    rows = []
    for r in sorted(results, key=lambda r: vn_sort_key(r.task.code)):
        task, blocked = r.task, r.work_status == "cannot_do"
        late = max(0, (r.completed_on - task.deadline).days) if r.completed_on and task.deadline else 0
        rows.append({
            "area": task.area.number, "code": task.code, "title": task.title, "lead": report.unit.symbol,
            "deadline": vn_date(task.deadline),
            "status": TASK_STATUSES.get(r.work_status, r.work_status),
            "completed_on": vn_date(r.completed_on),
            "late_days": late, "result": r.blocked_reason if blocked else r.done_text, "not_done": blocked,
        })
    return rows


def plan_task_areas(plan, tasks_by_area):
    """The plan annex's rows under every area's heading, numbered within their area."""
    return [{"number": a.number, "name": a.name, "heading": f"{a.number}. {a.name}",
             "tasks": [{"index": i, "code": t.code, "title": t.title, "lead": t.lead_unit.symbol,
                        "cooperating": ", ".join(u.symbol for u in t.cooperating_units),
                        "deadline": vn_date(t.deadline), "output": t.output}
                       for i, t in enumerate(tasks_by_area.get(a.id, []), start=1)]}
            for a in plan.areas]


# --- the documents -------------------------------------------------------------------------------------

def consolidated_name(report):
    return report_filename(report.doc_number, report.period.name, not report.is_accepted)


def consolidated_document(report):
    final = report.is_accepted
    period, plan = report.period, report.period.plan
    ward = _ward_of(report.unit)
    year = period.end_date.year
    number = report.doc_number if final and report.doc_number else blank_number("BC", "UBND")
    day = report.doc_date if final else None
    head = ward_letterhead(ward, number, day, year, not final, report.recipients)
    summary = unbroken(report.summary, period.name)
    annex = report.annex or {}
    areas = {a.number: a.name for a in plan.areas}
    return Document("pdf/consolidated.html", {
        **head, "report": report, "plan": plan, "narrative": NARRATIVE, "annex": annex,
        "signature": ward_signature(report, plan),
        "summary": summary, "intro": unbroken(report.intro, period.name),
        "closing_line": f"Trên đây là báo cáo {_lowered(summary)} của {ward.committee}./.",
        "citation": citation("Báo cáo", number, day, year, ward.committee),
        "appendix": appendix_labels(["tasks", "figures"]),
        "task_areas": by_area(annex.get("tasks") or [], areas), "task_lead": True,
        "targets": annex.get("targets") or [], "dossiers": _summed(annex.get("dossiers") or []),
    }, annexes=("pdf/annex_tasks.html", "pdf/annex_figures.html"), long_annex="pdf/annex_tasks.html",
        filename=consolidated_name(report), final=final)


def unit_report_name(report):
    return report_filename(report.doc_number, report.period.name, not report.is_accepted, report.unit.code.lower())


def unit_report_document(report):
    unit, period = report.unit, report.period
    ward = _ward_of(unit)
    year = period.end_date.year
    numbered = not report.is_draft and bool(report.doc_number)  # from the unit's register, when first sent
    number = report.doc_number if numbered else blank_number("BC", unit.symbol)
    day = report.doc_date if numbered else None
    head = unit_letterhead(ward, unit, number, day, year, not report.is_accepted)
    dossiers = dossier_table([{n: getattr(r, n) for n in ("field_name", *DOSSIER_COUNTS)} for r in report.dossier_rows])
    tasks = unit_task_rows(report)
    keys = (["tasks"] if tasks else []) + (["figures"] if dossiers else [])
    labels = appendix_labels(keys) if keys else {}
    notes = {"tasks": "kết quả thực hiện từng nhiệm vụ", "figures": "tình hình giải quyết hồ sơ thủ tục hành chính"}
    summary = unbroken(f"Kết quả thực hiện công tác cải cách hành chính {period.name}", period.name)
    return Document("pdf/unit_report.html", {
        **head, "report": report, "unit": unit, "narrative": NARRATIVE,
        "annex": {"dossiers": dossiers}, "dossiers": dossiers,
        "signature": {"authority": [], "title": (unit.head_title or UNIT_HEAD).upper(), "name": unit.head_name or ""},
        "summary": summary,
        "closing_line": f"Trên đây là báo cáo {_lowered(summary)} của {unit.name}./.",
        "annex_note": _capitalised("; ".join(f"{notes[k]} tại {labels[k]}" for k in keys) + ".") if keys else "",
        "citation": citation("Báo cáo", number, day, year, unit.name),
        "appendix": labels, "task_areas": by_area(tasks, {a.number: a.name for a in period.plan.areas}),
        "task_lead": False,
    }, annexes=tuple(f"pdf/annex_{k}.html" for k in keys), long_annex="pdf/annex_tasks.html",
        filename=unit_report_name(report), final=report.is_accepted)


def plan_name(plan):
    ward = wards.current()
    scope = plan.title
    for words in (r"^\s*kế hoạch\s+", r"cải cách hành chính", re.escape(ward.full_name) if ward else None):
        if words:
            scope = re.sub(words, " ", scope, flags=re.IGNORECASE)
    return "-".join(p for p in (slug(plan.number), "ke-hoach-CCHC", slug(scope)[:60].strip("-")) if p)


def plan_doc(plan):
    tasks = db.session.scalars(select(Task).where(Task.plan_id == plan.id).order_by(Task.position)
                               .options(joinedload(Task.lead_unit), selectinload(Task.cooperating_units))).all()
    tasks_by_area = {}
    for task in tasks:
        tasks_by_area.setdefault(task.area_id, []).append(task)
    ward = wards.current()
    head = ward_letterhead(ward, plan.number, plan.issued_on, plan.issued_on.year, False)
    issuer = plan.issuer or ward.committee
    return Document("pdf/plan.html", {
        **head, "plan": plan, "tasks_by_area": tasks_by_area, "task_areas": plan_task_areas(plan, tasks_by_area),
        "summary": unbroken(plan.title[9:] if plan.title.startswith("Kế hoạch ") else plan.title),
        "decision": f"(Ban hành kèm theo Quyết định số {plan.number} ngày {decree_short_date(plan.issued_on)} "
                    f"của {issuer})",
        "citation": f"(Kèm theo Kế hoạch ban hành tại Quyết định số {plan.number} ngày "
                    f"{decree_short_date(plan.issued_on)} của {issuer})",
        "appendix": appendix_labels(["tasks"]),
        "signature": {"authority": ["TM. ỦY BAN NHÂN DÂN"], "title": plan.signer_title.upper(), "name": plan.signer_name},
    }, annexes=("pdf/annex_plan_tasks.html",), long_annex="pdf/annex_plan_tasks.html", filename=plan_name(plan))


def consolidated(report):
    return pdf_bytes(consolidated_document(report))


def unit_report(report):
    return pdf_bytes(unit_report_document(report))


def plan_document(plan):
    return pdf_bytes(plan_doc(plan))
