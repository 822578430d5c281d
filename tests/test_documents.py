"""The official PDFs, read back with the real tools: poppler (pdftotext, pdffonts, pdfinfo) and pdfplumber.

One realistic quarter is built once per module: five unit reports filled and accepted, a few task
results accepted (one late, one that could not be done), the consolidated report drafted by VHXH,
submitted, checked by the VP acceptor and signed by the chairman, the register giving its number and date. Every PDF the
tests read is downloaded over HTTP, as people get them.
"""
import functools
import hashlib
import os
import re
import subprocess
import unicodedata
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

import pdfplumber
import pytest
import time_machine
from sqlalchemy import select

from workflow.extensions import db, limiter
from workflow.consolidated import services as consolidation
from workflow.items import services, states, task_result
from workflow.items import unit_report as unit_reports
from workflow.models import (ConsolidatedReport, RegisterCounter, ReportingPeriod, Task, TaskResult, Unit,
                             UnitReport, User)
from workflow.seed import DEMO_PASSWORD, load_plan, seed_demo_accounts

from .conftest import make_app
from .items_support import ready

MM = 72 / 25.4
TOLERANCE = 0.5  # pt
A4 = (595.28, 841.89)
PORTRAIT_MARGINS = {"top": 20 * MM, "right": 15 * MM, "bottom": 20 * MM, "left": 30 * MM}
LANDSCAPE_MARGINS = {"top": 20 * MM, "right": 20 * MM, "bottom": 20 * MM, "left": 25 * MM}

NUMBER = "245/BC-UBND"
PERIOD = "Quý III/2025"
SIGNED_AT = datetime(2025, 12, 5, 9, 30, tzinfo=timezone(timedelta(hours=7)))
OFFICERS = {"VHXH": "vhxh", "VP": "vp", "KTHTDT": "kthtdt", "TTSNC": "ttsnc", "TTPVHCC": "ttpvhcc"}

# What the units write: diacritics of every kind (ặ ẫ ỹ ử ờ ợ Đ ...), and numbers in the Vietnamese style.
BODIES = {
    "TTPVHCC": {
        3: "Tiếp nhận 1.248 hồ sơ thủ tục hành chính, giải quyết đúng hạn 1.230 hồ sơ; 100% hồ sơ được số hóa "
           "và trả kết quả điện tử. Hướng dẫn người dân sử dụng dịch vụ công trực tuyến toàn trình, "
           "kỹ năng số được nâng lên rõ rệt.",
        7: "Duy trì hệ thống quản lý chất lượng theo TCVN ISO 9001:2015; kiosk tra cứu đặt tại Bộ phận Một cửa.",
    },
    "VHXH": {1: "Ban hành 03 văn bản chỉ đạo, điều hành công tác cải cách hành chính; tổ chức hội nghị "
                "quán triệt đến toàn thể cán bộ, công chức phường."},
    "VP": {2: "Rà soát 12 văn bản quy phạm pháp luật, không phát hiện văn bản trái pháp luật."},
    "KTHTDT": {6: "Công khai dự toán ngân sách năm 2025 đúng quy định; thực hành tiết kiệm chi thường xuyên."},
    "TTSNC": {7: "Đăng tải 45 tin, bài về cải cách hành chính trên Cổng thông tin điện tử và mạng xã hội Zalo."},
}
QUOTED = ("TTPVHCC", 3)  # the body the tests look for, word for word, in the PDFs
# Biểu II.06a: 60 = 48 + 10 + 2 received; 55 = 20 + 33 + 2 resolved; 5 = 4 + 1 pending; 60 = 55 + 5.
DOSSIER = {"field_name": "Hộ tịch", "received_online": 48, "received_direct": 10, "received_carried": 2,
           "received_total": 60, "resolved_early": 20, "resolved_on_time": 33, "resolved_late": 2,
           "resolved_total": 55, "pending_within": 4, "pending_overdue": 1, "pending_total": 5}
# Task results accepted for the quarter: (code, status, completed_on, text, blocked reason).
RESULTS = [
    ("1.a", "done", date(2025, 8, 15), "Ban hành Kế hoạch thực hiện ngày 15/8/2025.", ""),  # 15 days late
    ("3.b", "done", date(2025, 9, 25), "Rà soát 86 thủ tục, đề xuất đơn giản hóa 04 thủ tục.", ""),
    ("6.b", "cannot_do", None, "", "Chưa có hướng dẫn của thành phố về cơ cấu lại chi ngân sách."),
    ("7.d", "done", date(2025, 9, 20), "Duy trì ISO 9001:2015, đánh giá nội bộ tháng 9.", ""),
]


# --- reading PDFs -----------------------------------------------------------------------------------

def nfc(text):
    return unicodedata.normalize("NFC", text)


def flat(text):
    """Whitespace collapsed: layout mode justifies and wraps, the words stay in order."""
    return " ".join(text.split())


def run(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def pdftotext(path):
    return nfc(run("pdftotext", "-layout", str(path), "-"))


def pdffonts(path):
    """(name, emb) per font row."""
    lines = run("pdffonts", str(path)).splitlines()
    assert lines[0].split()[:4] == ["name", "type", "encoding", "emb"] and lines[1].startswith("---")
    rows = []
    for line in lines[2:]:
        parts = line.split()
        rows.append((parts[0], parts[-5]))  # ... emb sub uni object-number generation
    return rows


def page_sizes(path):
    """pdfinfo's 'Page N size' lines: (width, height, paper name) per page."""
    pages = int(re.search(r"^Pages:\s+(\d+)$", run("pdfinfo", str(path)), re.M).group(1))
    out = run("pdfinfo", "-f", "1", "-l", str(pages), str(path))
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts(?: \((\w+)\))?", out, re.M)
    assert len(sizes) == pages
    return [(round(float(w), 2), round(float(h), 2), name) for w, h, name in sizes]


@functools.cache
def pages_text(path):
    """pdftotext -layout, page by page (pages end with a form feed)."""
    return pdftotext(path).split("\f")[:-1]


@functools.cache
def layout(path):
    """Every page once through pdfplumber: size and the characters that leave ink (positions in pt,
    origin top left). Parsing is the slow part, so it is done once per file."""
    with pdfplumber.open(path) as pdf:
        return [SimpleNamespace(number=page.page_number, width=float(page.width), height=float(page.height),
                                chars=[{k: c[k] for k in ("text", "x0", "x1", "top", "bottom", "fontname")}
                                       for c in page.chars if c["text"].strip()])
                for page in pdf.pages]


def annex_starts(path):
    """Indexes of the pages an annex begins on (its first line is 'Phụ lục ...')."""
    return [i for i, text in enumerate(pages_text(path)) if text.strip().startswith("Phụ lục")]


def margins_of(page):
    return PORTRAIT_MARGINS if page.height > page.width else LANDSCAPE_MARGINS


def in_top_margin(page):
    return [c for c in page.chars if c["top"] < margins_of(page)["top"] - TOLERANCE]


def table_rows(path, pages):
    """The ruled tables of these pages as rows of cells, each cell's lines joined by a space."""
    with pdfplumber.open(path) as pdf:
        return [[nfc(flat(cell or "")) for cell in row] for i in pages
                for table in pdf.pages[i].extract_tables() for row in table]


@pytest.fixture(scope="module")
def docs(tmp_path_factory, demo_hash):
    """The quarter described above; the PDFs (as downloaded) and what the pages said.

    Requests are made with no application context pushed: a request reuses a pushed context of its
    app, and with it `g`, where Flask-Login keeps the user it loaded for the previous request."""
    tmp = tmp_path_factory.mktemp("documents")
    app = make_app(tmp)
    with app.app_context():
        db.drop_all()
        db.create_all()
        limiter.reset()
        load_plan()
        seed_demo_accounts(password_hash=demo_hash)
        db.session.remove()
    try:
        yield _build(app, tmp)
    finally:
        with app.app_context():
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


def user(username):
    return db.session.scalar(select(User).where(User.username == username))


def unit_report(code, period):
    return db.session.scalar(select(UnitReport).join(Unit).where(Unit.code == code, UnitReport.period_id == period.id))


def signed_in(app, username):
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
    assert response.status_code in (302, 303), response.text
    return client


def _fill_unit_reports(period):
    reports = {}
    for code, username in OFFICERS.items():
        report = unit_report(code, period)
        bodies = BODIES[code]
        data = {
            "limitations": f"{report.unit.name}: một số hồ sơ còn phải bổ sung nhiều lần.",
            "causes": "Cơ sở dữ liệu chuyên ngành chưa được kết nối, đồng bộ.",
            "next_steps": "Tiếp tục đẩy mạnh chuyển đổi số trong giải quyết thủ tục hành chính.",
            "proposals": "Đề nghị thành phố tập huấn nghiệp vụ về dịch vụ công trực tuyến.",
            "satisfaction_rate": 96.5 if code == "TTPVHCC" else None,
            "sections": {s.id: bodies.get(s.area.number, "") for s in report.sections},
            "actuals": {a.id: (100.0, "", "hồ sơ theo dõi trên Hệ thống") if a.target.code == "4"
                        else (2.0, "2/30", "PAR Index") if a.target.code == "1" else (None, "", "Đạt")
                        for a in report.target_actuals},
        }
        if code == "TTPVHCC":
            data["dossier_rows"] = [DOSSIER]
        unit_reports.save(user(username), report, data, report.version)
        assert {s.area.number for s in report.sections} >= set(bodies), code  # every body has its section
        states.perform(user(username), ready(report), "submit", report.version)
        states.perform(user("thamdinh"), report, "review", report.version, grade="A")
        reports[code] = report
    return reports


def _accept_task_results(period):
    for code, status, completed_on, text, blocked in RESULTS:
        result = db.session.scalar(select(TaskResult).join(Task).where(Task.code == code,
                                                                        TaskResult.period_id == period.id))
        officer = OFFICERS[result.unit.code]
        task_result.save(user(officer), result, {
            "work_status": status, "progress": 100 if status == "done" else 40, "done_text": text,
            "completed_on": completed_on, "output_text": "Văn bản, báo cáo kèm theo." if status == "done" else "",
            "blocked_reason": blocked}, result.version)
        for who, action in ((officer, "submit"), ("thamdinh", "review"), ("tiepnhan", "accept")):
            states.perform(user(who), result, action, result.version, grade="A")


def _build(app, tmp):
    out = SimpleNamespace(tmp=tmp, files={})

    def keep(name, response):
        assert response.status_code == 200, (name, response.status_code)
        assert response.mimetype == "application/pdf"
        out.files[name] = tmp / f"{name}.pdf"
        out.files[name].write_bytes(response.data)
        return response.data

    with app.app_context():
        # The ward issued 244 documents in 2025 before this report (the register's counter says so).
        db.session.add(RegisterCounter(ward_id=user("admin").unit.ward_id, issuer="UBND", year=2025, last=244))
        db.session.commit()
        period = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.name == PERIOD))
        services.open_period(user("admin"), period)
        reports = {code: r.id for code, r in _fill_unit_reports(period).items()}
        _accept_task_results(period)
        db.session.remove()

    chairman, own = signed_in(app, "chutich"), signed_in(app, "ttpvhcc")
    # A unit report not yet accepted (reviewed), fetched by its own unit: a draft.
    keep("unit_draft", own.get(f"/documents/unit-report/{reports['TTPVHCC']}.pdf"))

    with app.app_context():
        for report_id in reports.values():
            report = db.session.get(UnitReport, report_id)
            states.perform(user("tiepnhan"), report, "accept", report.version)
        period = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.name == PERIOD))
        consolidated = consolidation.prefill(user("thamdinh"), period)
        assert {i.KIND for i in consolidation.blockers(period)} == {"task-result"}  # every unit report is in
        states.perform(user("thamdinh"), ready(consolidated), "submit", consolidated.version)
        states.perform(user("tiepnhan"), consolidated, "review", consolidated.version)
        report_id, version = consolidated.id, consolidated.version
        db.session.remove()

    keep("consolidated_draft", chairman.get(f"/documents/consolidated/{report_id}.pdf"))
    with time_machine.travel(SIGNED_AT, tick=False):  # the chairman signs on 05/12/2025: the register's next number
        response = signed_in(app, "chutich").post(f"/items/consolidated/{report_id}/do/accept", data={"version": version})
    assert response.status_code == 303, response.text
    out.final_1 = keep("consolidated", chairman.get(f"/documents/consolidated/{report_id}.pdf"))
    out.final_2 = chairman.get(f"/documents/consolidated/{report_id}.pdf").data
    out.documents_page = chairman.get("/documents").text
    keep("plan", chairman.get("/documents/plan.pdf"))
    out.unit_final = {code: chairman.get(f"/documents/unit-report/{i}.pdf") for code, i in reports.items()}
    keep("unit_final", out.unit_final["TTPVHCC"])
    out.other_unit = {
        "vp → TTPVHCC report": signed_in(app, "vp").get(f"/documents/unit-report/{reports['TTPVHCC']}.pdf"),
        "kthtdt → VHXH report": signed_in(app, "kthtdt").get(f"/documents/unit-report/{reports['VHXH']}.pdf"),
    }

    with app.app_context():
        consolidated = db.session.get(ConsolidatedReport, report_id)
        assert (consolidated.state, consolidated.doc_number, consolidated.doc_date) == (
            "accepted", NUMBER, date(2025, 12, 5))
        out.sha256 = consolidated.pdf_sha256
        with open(os.path.join(app.instance_path, "documents", consolidated.pdf_file), "rb") as fh:
            out.stored = fh.read()
        plan = consolidated.period.plan
        out.task_codes = list(db.session.scalars(select(Task.code).where(Task.plan_id == plan.id)))
        out.signer = plan.signer_name
        unit_name = db.session.get(UnitReport, reports["TTPVHCC"]).unit.name
        out.quoted = nfc(f"{unit_name}: {BODIES[QUOTED[0]][QUOTED[1]]}")
        db.session.remove()
    return out


# --- what the accepted consolidated report says ------------------------------------------------------

def test_accepted_consolidated_report_reads_as_the_official_document(docs):
    text = pdftotext(docs.files["consolidated"])
    words = flat(text)
    for expected in ["ỦY BAN NHÂN DÂN", "PHƯỜNG PHÙ LIỄN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "Số: 245/BC-UBND", "Phù Liễn, ngày 05 tháng 12 năm 2025",
                     "BÁO CÁO", "Kết quả thực hiện công tác cải cách hành chính Quý III/2025",
                     "I. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH", "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN",
                     "III. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI", "IV. ĐỀ XUẤT, KIẾN NGHỊ", "Nơi nhận:",
                     "- Lưu: VT, VHXH.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", docs.signer, "Phụ lục I",
                     "KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH", "Phụ lục II",
                     "Kèm theo Báo cáo số 245/BC-UBND"]:
        assert nfc(expected) in words, expected
    assert docs.signer == "Phạm Văn Diện"
    # The header lines each stand on one line of the page, not merely somewhere in the flow.
    lines = [flat(line) for line in text.splitlines()]
    assert any("Số: 245/BC-UBND" in line for line in lines)
    assert any("Phù Liễn, ngày 05 tháng 12 năm 2025" in line for line in lines)
    assert "DỰ THẢO" not in text


def test_a_units_words_come_through_with_their_diacritics(docs):
    """The TTPVHCC body, prefixed with the unit's name by the consolidation, word for word (NFC)."""
    assert docs.quoted in flat(pdftotext(docs.files["consolidated"]))
    unit_body = nfc(BODIES[QUOTED[0]][QUOTED[1]])
    assert unit_body in flat(pdftotext(docs.files["unit_final"]))
    assert unit_body != unit_body.encode("ascii", "ignore").decode()  # it does carry diacritics


def test_annexes_carry_the_task_and_figure_tables(docs):
    path = docs.files["consolidated"]
    first, second = annex_starts(path)
    tasks = {row[0]: row for row in table_rows(path, range(first, second))}
    assert set(tasks) >= set(docs.task_codes)  # every task of the plan has its row in Phụ lục I
    # code, task, lead, deadline, status, completed on, result
    assert tasks["1.a"][2:6] == ["VHXH", "31/07/2025", "Hoàn thành", "15/08/2025 (trễ 15 ngày)"]
    assert tasks["3.b"][3:7] == ["30/09/2025", "Hoàn thành", "25/09/2025",
                                 "Rà soát 86 thủ tục, đề xuất đơn giản hóa 04 thủ tục."]
    assert tasks["6.b"][4].startswith("Không thực hiện được")
    assert tasks["2.a"][4] == "Chưa tiếp nhận (Dự thảo)"  # no accepted result: shown as such, not left out
    figures = table_rows(path, range(second, len(pages_text(path))))
    assert ["Hộ tịch", "60", "48", "10", "2", "55", "20", "33", "2", "5", "4", "1"] in figures
    assert ["Tổng cộng", "60", "48", "10", "2", "55", "20", "33", "2", "5", "4", "1"] in figures
    targets = {row[0]: row for row in figures if len(row) == 4}
    assert "TTPVHCC: 100 hồ sơ theo dõi trên Hệ thống" in targets["4"][3]




def test_a_task_that_could_not_be_done_says_why(docs):
    path = docs.files["consolidated"]
    first, second = annex_starts(path)
    row = next(row for row in table_rows(path, range(first, second)) if row[0] == "6.b")
    assert row[4] == "Không thực hiện được"
    assert "Chưa có hướng dẫn của thành phố về cơ cấu lại chi ngân sách." in row[6]


# --- fonts, paper, margins, page numbers -------------------------------------------------------------

@pytest.mark.parametrize("name", ["consolidated", "consolidated_draft", "plan", "unit_draft", "unit_final"])
def test_only_liberation_serif_embedded(docs, name):
    rows = pdffonts(docs.files[name])
    assert rows, "no fonts at all"
    for font, embedded in rows:
        assert "CCHC-Serif" in font or "LiberationSerif" in font, font
        assert "DejaVu" not in font, font
        assert embedded == "yes", font
    used = {c["fontname"] for page in layout(docs.files[name]) for c in page.chars}
    assert used and all("CCHC-Serif" in f for f in used), used


@pytest.mark.parametrize("name", ["consolidated", "plan", "unit_final"])
def test_body_is_a4_portrait_and_annexes_landscape(docs, name):
    path = docs.files[name]
    sizes, start = page_sizes(path), annex_starts(path)[0]
    assert 0 < start < len(sizes)
    assert all(size == (*A4, "A4") for size in sizes[:start]), sizes[:start]
    assert all(size == (A4[1], A4[0], "A4") for size in sizes[start:]), sizes[start:]
    assert [page.width > page.height for page in layout(path)] == [i >= start for i in range(len(sizes))]
    info = run("pdfinfo", str(path))
    assert re.search(r"^Page size:\s+595\.2\d* x 841\.89 pts \(A4\)$", info, re.M), info


@pytest.mark.parametrize("name", ["consolidated", "consolidated_draft", "plan", "unit_final"])
def test_text_keeps_within_the_decree_margins(docs, name):
    """Left 30 mm, top and bottom 20 mm (annexes: 25 / 20 / 20 mm); only the page number in the top margin."""
    for page in layout(docs.files[name]):
        margins, where = margins_of(page), f"{name} page {page.number}"
        assert page.chars, f"{where} is empty"
        assert min(c["x0"] for c in page.chars) >= margins["left"] - TOLERANCE, where
        assert max(c["bottom"] for c in page.chars) <= page.height - margins["bottom"] + TOLERANCE, where
        number = in_top_margin(page)
        assert "".join(c["text"] for c in number) in ("", str(page_number_in_part(docs.files[name], page))), where
        body = [c for c in page.chars if c not in number]
        assert min(c["top"] for c in body) >= margins["top"] - TOLERANCE, where




@pytest.mark.parametrize("name", ["consolidated", "consolidated_draft", "unit_final",
                                  "plan"])
def test_text_keeps_within_the_right_margin(docs, name):
    for page in layout(docs.files[name]):
        limit = page.width - margins_of(page)["right"] + TOLERANCE
        assert max(c["x1"] for c in page.chars) <= limit, f"{name} page {page.number}"


def page_number_in_part(path, page):
    """The number a page should carry: body and each annex count their own pages (Decree 30: an annex of
    several pages is numbered separately); the first page of each carries none."""
    starts = [0] + annex_starts(path)
    index = page.number - 1
    return index - max(s for s in starts if s <= index) + 1


@pytest.mark.parametrize("name", ["consolidated", "plan"])
def test_page_numbers_from_page_two_centred_at_the_top(docs, name):
    path = docs.files[name]
    pages = layout(path)
    assert annex_starts(path)[0] >= 2, "the body should run over more than one page"
    assert len(annex_starts(path)) == (2 if name == "consolidated" else 1)
    for page in pages:
        expected = page_number_in_part(path, page)
        chars = in_top_margin(page)
        if expected == 1:
            assert not chars, f"page {page.number} has {''.join(c['text'] for c in chars)!r} at the top"
            continue
        assert "".join(c["text"] for c in chars) == str(expected), f"page {page.number}"
        margins = margins_of(page)
        centre = (min(c["x0"] for c in chars) + max(c["x1"] for c in chars)) / 2
        block_centre = (margins["left"] + page.width - margins["right"]) / 2
        assert abs(centre - block_centre) < 1, (page.number, centre, block_centre)
    first_lines = pages_text(path)[0].strip().splitlines()[:3]
    assert not any(line.strip().isdigit() for line in first_lines)
    assert pages_text(path)[1].strip().splitlines()[0].strip() == "2"


# --- draft mark ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, draft", [("consolidated_draft", True), ("unit_draft", True),
                                         ("consolidated", False), ("plan", False), ("unit_final", False)])
def test_draft_mark_only_on_documents_not_yet_accepted(docs, name, draft):
    text = pdftotext(docs.files[name])
    assert ("DỰ THẢO" in text) is draft
    if name == "consolidated_draft":  # no number or date before VP gives them
        assert "245/BC-UBND" not in text and "05 tháng 12" not in text


# --- the final file ----------------------------------------------------------------------------------

def test_final_report_is_one_file_whose_hash_the_page_shows(docs):
    assert docs.final_1[:5] == b"%PDF-"
    assert docs.final_1 == docs.final_2 == docs.stored
    digest = hashlib.sha256(docs.final_1).hexdigest()
    assert digest == docs.sha256
    assert digest in docs.documents_page
    assert "245/BC-UBND" in docs.documents_page


# --- the plan ---------------------------------------------------------------------------------------

def test_plan_pdf_lists_every_task_in_its_annex(docs):
    path = docs.files["plan"]
    start = annex_starts(path)[0]
    body, annex = (flat("".join(pages_text(path)[:start])), flat("".join(pages_text(path)[start:])))
    assert "Quyết định số 116/QĐ-UBND" in body
    assert "KẾ HOẠCH" in body
    assert annex.startswith("Phụ lục") and "DANH MỤC NHIỆM VỤ" in annex
    assert len(docs.task_codes) == 36
    missing = [code for code in docs.task_codes if not re.search(rf"(?<!\S){re.escape(nfc(code))}(?!\S)", annex)]
    assert not missing
    codes = [row[1] for row in table_rows(path, range(start, len(pages_text(path)))) if len(row) == 7]
    assert sorted(nfc(c) for c in docs.task_codes) == sorted(c for c in codes if c and c != "Mã")  # area rows span


# --- who may download what -------------------------------------------------------------------------

def test_another_units_report_is_not_found(docs):
    assert {who: r.status_code for who, r in docs.other_unit.items()} == {
        "vp → TTPVHCC report": 404, "kthtdt → VHXH report": 404}


def test_chairman_downloads_every_report(docs):
    for code, response in docs.unit_final.items():
        assert response.status_code == 200, code
        assert response.data[:5] == b"%PDF-", code
    assert docs.final_1[:5] == b"%PDF-"


# --- no fonts, no PDF -------------------------------------------------------------------------------

@pytest.mark.parametrize("app_config", [{"PDF_FONT_DIR": "/nonexistent"}])
def test_missing_fonts_give_a_clear_error_not_another_font(auth, client):
    auth.login("chutich")
    response = client.get("/documents/plan.pdf")
    assert 500 <= response.status_code < 600
    assert response.mimetype == "text/html"
    assert not response.data.startswith(b"%PDF")
    assert "Không tìm thấy phông Liberation Serif" in response.text
    assert "fonts-liberation2" in response.text


# --- making the draft again ---------------------------------------------------------------------------



def test_the_consolidated_draft_can_be_made_again(auth, client):
    period = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.name == PERIOD))
    services.open_period(user("admin"), period)
    auth.login("thamdinh")
    assert client.post(f"/periods/{period.id}/consolidated").status_code == 303
    report = consolidation.for_period(period)
    response = client.post(f"/periods/{period.id}/consolidated", data={"version": report.version})
    assert response.status_code == 303
