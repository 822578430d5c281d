"""The Word copy (.docx) of each document, for clerks who edit the text before printing.

Made from the same builders.Document as the PDF (template + context + annexes), never converted from
the HTML: each PDF template has its counterpart here that lays out the same context values in the
Decree 30 layout (word_parts.py). Not signed. When the PDF is the issued document (Document.final), every
page of the copy says so at its foot (COPY_MARK); a draft carries "DỰ THẢO" as its PDF does."""
from .. import formats
from . import word_parts as w
from .word_parts import CENTER, Cell

COPY_MARK = "BẢN SAO ĐỂ CHỈNH SỬA – văn bản chính thức là tệp PDF {what} đã ban hành"
NO_DOSSIERS = "Chưa có số liệu được tiếp nhận."
DOSSIER_COLUMNS = ("received_total", "received_online", "received_direct", "received_carried", "resolved_total",
                   "resolved_early", "resolved_on_time", "resolved_late", "pending_total", "pending_within",
                   "pending_overdue")


def copy_mark(context):
    number = (context.get("number") or "").strip()
    return COPY_MARK.format(what=f"số {number}" if number and not number.startswith("/") else "")\
        .replace("  ", " ")


def citation(c, fallback):
    return c.get("citation") or fallback


def _cols(width, percents):
    return [width * p / 100 for p in percents]


# --- bodies ------------------------------------------------------------------------------------------
# builders.py words and formats what a rule of Decree 30 decides (trích yếu, closing sentence, citation,
# appendix labels); these read it from the context, and fall back on the fields the PDF templates print.

def _labels(c):
    return c.get("appendix") or {}


def _lowered(text):
    return text[:1].lower() + text[1:]


def consolidated_body(document, c, width):
    report, ward = c["report"], c["ward"]
    summary = c.get("summary") or report.summary
    w.header(document, c, width)
    w.title(document, "BÁO CÁO", summary, width)
    w.prose(document, c.get("intro") or report.intro)
    w.heading(document, "I. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH")
    for s in report.sections:
        w.heading(document, f"{s.area.number}. {s.area.name}", italic=True, before=4)
        w.prose(document, s.body, "Chưa có kết quả được tiếp nhận.")
    labels = _labels(c)
    w.paragraph(document, f"Kết quả thực hiện từng nhiệm vụ tại {labels.get('tasks', 'Phụ lục I')}; chỉ tiêu và tình "
                          f"hình giải quyết hồ sơ thủ tục hành chính tại {labels.get('figures', 'Phụ lục II')}.",
                indent=True)
    w.heading(document, "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN")
    w.heading(document, "1. Tồn tại, hạn chế", italic=True, before=4)
    w.prose(document, report.limitations, "Không.")
    w.heading(document, "2. Nguyên nhân", italic=True, before=4)
    w.prose(document, report.causes, "Không.")
    w.heading(document, "III. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI")
    w.prose(document, report.next_steps, "Không.")
    w.heading(document, "IV. ĐỀ XUẤT, KIẾN NGHỊ")
    w.prose(document, report.proposals, "Không.")
    w.paragraph(document, c.get("closing_line") or f"Trên đây là báo cáo {_lowered(summary)} của {ward.committee}./.",
                indent=True)
    w.closing(document, c.get("recipients"), c.get("signature"), width)


def unit_report_body(document, c, width):
    report = c["report"]
    w.header(document, c, width)
    w.title(document, "BÁO CÁO", c.get("summary") or f"Kết quả thực hiện công tác cải cách hành chính {report.period.name}",
          width)
    w.heading(document, "I. KẾT QUẢ THỰC HIỆN")
    for s in report.sections:
        w.heading(document, f"{s.area.number}. {s.area.name}", italic=True, before=4)
        w.prose(document, s.body, "Không có nội dung.")
    if report.target_actuals:
        w.heading(document, "Kết quả các chỉ tiêu", italic=True, before=4)
        rows = [[f"{a.target.code}. {a.target.title}", a.target.goal_text, a.summary() or "—"]
                for a in report.target_actuals]
        w.data_table(document, [[Cell("Chỉ tiêu"), Cell("Mục tiêu"), Cell("Kết quả")]], rows,
                     _cols(width, (50, 20, 30)), size=12)
        w.paragraph(document, "", size=6, after=0)
    if report.satisfaction_rate is not None:
        w.paragraph(document, f"Tỷ lệ hài lòng của người dân, tổ chức: {formats.vn_number(report.satisfaction_rate)}%.",
                    indent=True)
    if c.get("annex_note"):
        w.paragraph(document, c["annex_note"], indent=True)
    for numeral, (name, label) in zip(("II", "III", "IV", "V"), (c.get("narrative") or {}).items()):
        w.heading(document, f"{numeral}. {label.upper()}")
        w.prose(document, getattr(report, name), "Không.")
    if c.get("closing_line"):
        w.paragraph(document, c["closing_line"], indent=True)
    w.closing(document, c.get("recipients"), c.get("signature"), width)


def plan_body(document, c, width):
    plan = c["plan"]
    w.header(document, c, width)
    summary = c.get("summary") or (plan.title[9:] if plan.title.startswith("Kế hoạch ") else plan.title)
    decision = c.get("decision") or (f"(Ban hành kèm theo Quyết định số {plan.number} ngày "
                                     f"{plan.issued_on:%d/%m/%Y} của {plan.issuer})")
    w.title(document, "KẾ HOẠCH", summary, width, note=decision)
    w.heading(document, "I. MỤC ĐÍCH, YÊU CẦU")
    w.heading(document, "1. Mục đích", italic=True, before=4)
    w.prose(document, plan.purpose)
    w.heading(document, "2. Yêu cầu", italic=True, before=4)
    w.prose(document, plan.requirements)
    w.heading(document, "II. CHỈ TIÊU CHỦ YẾU")
    for t in plan.targets:
        w.paragraph(document, f"{t.code}. {t.content}", indent=True)
    w.heading(document, "III. NHIỆM VỤ, GIẢI PHÁP")
    tasks = c.get("tasks_by_area") or {}
    for a in plan.areas:
        w.heading(document, f"{a.number}. {a.name}", italic=True, before=4)
        for t in tasks.get(a.id, []):
            w.paragraph(document, f"{t.letter or t.code}) {t.content.replace(chr(10) * 2, ' ')}", indent=True)
    w.paragraph(document, "(Danh mục nhiệm vụ cụ thể tại Phụ lục kèm theo Kế hoạch này)", indent=True)
    signature = c.get("signature") or {"authority": ["TM. ỦY BAN NHÂN DÂN"], "title": plan.signer_title.upper(),
                                       "name": plan.signer_name}
    w.closing(document, c.get("recipients"), signature, width)


# --- annexes -----------------------------------------------------------------------------------------

def _report_citation(c):
    ward = c.get("ward")
    of = f" của {ward.committee}" if ward is not None and c.get("issuer_top") == "ỦY BAN NHÂN DÂN" else ""
    return f"Kèm theo Báo cáo số {c.get('number') or ''}{of}"


def task_groups(c):
    """(heading, task rows) per area: builders' task_areas, else the stored annex grouped by area number."""
    if c.get("task_areas") is not None:
        return [(g.get("heading") or f"{g.get('number')}. {g.get('name', '')}", g.get("tasks") or [])
                for g in c["task_areas"]]
    groups = []
    for t in (c.get("annex") or {}).get("tasks") or []:
        if not groups or groups[-1][0] != f"Lĩnh vực {t.get('area')}":
            groups.append((f"Lĩnh vực {t.get('area')}", []))
        groups[-1][1].append(t)
    return groups


def tasks_annex(document, c, width):
    w.annex_titles(document, _labels(c).get("tasks", "Phụ lục I"), ["KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH"],
                 citation(c, _report_citation(c)))
    lead = c.get("task_lead", True)
    titles = ["Mã", "Nhiệm vụ", *(["Chủ trì"] if lead else []), "Thời hạn", "Tình trạng", "Ngày hoàn thành", "Kết quả"]
    rows = []
    for heading, tasks in task_groups(c):
        rows.append([Cell(heading, bold=True, span=len(titles))])
        for t in tasks:
            done = t.get("completed_on") or ""
            if t.get("late_days"):
                done += f" (trễ {t['late_days']} ngày)"
            rows.append([t.get("code"), t.get("title"), *([t.get("lead")] if lead else []), t.get("deadline"),
                         Cell(t.get("status") or "", bold=bool(t.get("not_done"))),
                         Cell(done, bold=bool(t.get("late_days"))), Cell(t.get("result") or "", prose=True)])
    widths = (5, 29, 8, 9, 13, 9, 27) if lead else (6, 33, 10, 13, 10, 28)
    w.data_table(document, [[Cell(t) for t in titles]], rows, _cols(width, widths), size=11)


def figures_annex(document, c, width):
    annex = c.get("annex") or {}
    targets = c["targets"] if "targets" in c else annex.get("targets")
    dossiers = c["dossiers"] if "dossiers" in c else annex.get("dossiers")
    consolidated = targets is not None
    number = _labels(c).get("figures") or ("Phụ lục II" if consolidated else "Phụ lục I")
    sub = citation(c, _report_citation(c) if consolidated else None)
    if targets:
        w.annex_titles(document, number, ["KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CHỦ YẾU"], sub)
        rows = [[t.get("code"), t.get("title"), t.get("goal"), t.get("actual")] for t in targets]
        w.data_table(document, [[Cell(x) for x in ("STT", "Chỉ tiêu", "Mục tiêu", "Kết quả")]], rows,
                     _cols(width, (6, 36, 20, 38)), size=11)
        w.paragraph(document, "", size=8, after=0)
        w.paragraph(document, "TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH (Biểu II.06a)", bold=True,
                    align=CENTER, after=6, keep_next=True)
    else:
        w.annex_titles(document, number, ["TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH (Biểu II.06a)"], sub)
    head = [[Cell("Lĩnh vực", rows=2), Cell("Số hồ sơ tiếp nhận", span=4), Cell("Số hồ sơ đã giải quyết", span=4),
             Cell("Số hồ sơ đang giải quyết", span=3)],
            [Cell(x) for x in ("Tổng số", "Trực tuyến", "Trực tiếp, bưu chính", "Kỳ trước chuyển qua", "Tổng số",
                               "Trước hạn", "Đúng hạn", "Quá hạn", "Tổng số", "Trong hạn", "Quá hạn")]]
    rows = []
    for r in dossiers or []:
        total = bool(r.get("is_total")) or r.get("field_name") == "Tổng cộng"
        rows.append([Cell(r.get("field_name") or "", bold=total)]
                    + [Cell(formats.vn_number(r.get(n)), bold=total, align=w.RIGHT) for n in DOSSIER_COLUMNS])
    w.data_table(document, head, rows or [[Cell(NO_DOSSIERS, span=12)]], _cols(width, [17.5] + [7.5] * 11), size=11)


def plan_tasks_annex(document, c, width):
    plan = c["plan"]
    w.annex_titles(document, _labels(c).get("tasks", "Phụ lục"), ["DANH MỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH"], citation(
        c, f"Kèm theo Kế hoạch ban hành tại Quyết định số {plan.number} ngày {plan.issued_on:%d/%m/%Y}"))
    head = [[Cell(x) for x in ("STT", "Mã", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Thời hạn", "Sản phẩm")]]
    rows, tasks = [], c.get("tasks_by_area") or {}
    for a in plan.areas:
        rows.append([Cell(f"{a.number}. {a.name}", bold=True, span=7)])
        for i, t in enumerate(tasks.get(a.id, []), 1):
            rows.append([str(i), t.code, t.title, t.lead_unit.code, ", ".join(u.code for u in t.cooperating_units),
                         f"{t.deadline:%d/%m/%Y}", t.output])
    w.data_table(document, head, rows, _cols(width, (5, 7, 34, 9, 14, 10, 21)), size=11)


def commendation_body(document, c, width):
    """The Quyết định khen thưởng (nominations/decision.py): căn cứ lines, "QUYẾT ĐỊNH:", Điều 1–3."""
    w.header(document, c, width)
    w.title(document, "QUYẾT ĐỊNH", c["subject"], width)
    w.paragraph(document, f"ỦY BAN NHÂN DÂN {c['ward'].full_name.upper()}", bold=True, align=CENTER, after=6)
    for line in c["bases"]:
        w.paragraph(document, line, italic=True, indent=True)
    w.paragraph(document, "QUYẾT ĐỊNH:", bold=True, align=CENTER, before=4, after=6)
    for label, text in c["articles"]:
        w.paragraph(document, f"{label} {text}", indent=True)
    w.closing(document, c.get("recipients"), c.get("signature"), width)


def commended_annex(document, c, width):
    w.annex_titles(document, "DANH SÁCH", ["TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG", "CÓ THÀNH TÍCH TRONG CÔNG TÁC CẢI "
                                           f"CÁCH HÀNH CHÍNH {c['period'].name.upper()}"], c.get("citation"))
    head = [[Cell(x) for x in ("STT", "Tên tập thể, cá nhân", "Chức vụ, đơn vị", "Thành tích")]]
    rows = []
    for heading, group in c["groups"]:
        rows.append([Cell(heading, bold=True, span=4)])
        rows += [[Cell(str(i), align=w.RIGHT), r.name, f"{r.title}, {r.unit_name}" if r.title else r.unit_name,
                  Cell(r.achievement, prose=True)] for i, r in enumerate(group, 1)]
    w.data_table(document, head, rows, _cols(width, (6, 22, 28, 44)), size=11)


BODIES = {"pdf/consolidated.html": consolidated_body, "pdf/unit_report.html": unit_report_body,
          "pdf/plan.html": plan_body, "pdf/commendation.html": commendation_body}
ANNEXES = {"pdf/annex_tasks.html": tasks_annex, "pdf/annex_figures.html": figures_annex,
           "pdf/annex_plan_tasks.html": plan_tasks_annex, "pdf/annex_commended.html": commended_annex}


def docx_bytes(doc):
    """The .docx of a builders.Document: the body in an A4 portrait section, each annex in a landscape one."""
    document = w.setup_document()
    section = w.first_section(document)
    BODIES[doc.template](document, doc.context, w.text_width(section))
    for annex in doc.annexes:
        section = w.new_section(document, landscape=True)
        ANNEXES[annex](document, doc.context, w.text_width(section))
    if doc.final:
        w.mark_every_page(document, copy_mark(doc.context))
    return w.save(document)


# --- the ranking table -------------------------------------------------------------------------------

def table_docx(table):
    """The ranking table (ranking.exports.Table) as the PDF lays it out: one landscape section with the
    ward's header and closing, always unnumbered (the annex of a decision numbered outside the app)."""
    from ..ranking import exports  # the ranking package builds on this one

    c = exports.ward_letterhead(table.ward, exports.NUMBER, None, table.year, table.draft)
    document = w.setup_document()
    width = w.text_width(w.first_section(document, landscape=True))
    w.header(document, c, width)
    w.paragraph(document, exports.TITLE, bold=True, align=CENTER, after=0)
    w.paragraph(document, f"{table.scope_line} · {table.as_of}", italic=True, align=CENTER, after=8)
    n = len(table.columns)
    head = [[Cell("Hạng"), Cell("Đơn vị"), Cell(exports.BASIS_TITLE)]
            + [Cell(f"{label}\n({wording})") for label, wording in table.labelled_heads()]
            + [Cell(t) for t in exports.SCORE_TITLES] + [Cell(exports.BAND_TITLE), Cell(exports.HEAD_TITLE)]]
    maybe = (lambda v: "—" if v is None else formats.vn_points(v))
    rows = [[Cell(r.rank_label.replace(f" ({exports.TIED})", f"\n({exports.TIED})"), align=CENTER),
             r.name + (" (*)" if r.rescaled else ""), r.basis_text]
            + [Cell(text, align=w.RIGHT) for text in table.criterion_texts(r)]
            + [Cell(maybe(x), align=w.RIGHT) for x in (r.computed, r.self_total, r.appraised)]
            + [Cell(r.final_label, bold=True, align=w.RIGHT), r.band_text, r.head or "—"] for r in table.rows]
    share = (100 - 5 - 11 - 7 - 5.5 * len(exports.SCORE_TITLES) - 8 - 10) / max(n, 1)
    widths = _cols(width, [5, 11, 7] + [share] * n + [5.5] * len(exports.SCORE_TITLES) + [8, 10])
    w.data_table(document, head, rows or [[Cell("Chưa có đơn vị nào.", span=n + 9)]], widths, size=8, head_size=7)
    w.paragraph(document, f"Ghi chú: {exports.auto_note(table)}", size=11, italic=True, before=4, after=2)
    if any(r.rescaled for r in table.rows):
        w.paragraph(document, exports.RESCALED_NOTE, size=11, italic=True, after=2)
    plan = table.plan
    w.closing(document, c.get("recipients"), {"authority": ["TM. ỦY BAN NHÂN DÂN"], "title": plan.signer_title.upper(),
                                            "name": plan.signer_name}, width)
    return w.save(document)
