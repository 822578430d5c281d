"""The official documents as Decree 30/2020/NĐ-CP lays them out, read back from real PDFs (pdftotext,
pdfplumber): dates, annex headings and citations, the DỰ THẢO mark on every annex page of a draft,
"Nơi nhận", the closing never alone on a page, finished unit reports (number, date, head), their
Biểu II.06a total row and task-results annex, and the names the downloads carry.

One quarter is built per module. Numbers and dates of issued documents are written straight into the
columns (doc_number, doc_date, state): numbering at signing is the issuance workflow's, tested apart."""
import re
import subprocess
import unicodedata
from datetime import date
from types import SimpleNamespace

import pdfplumber
import pytest
from sqlalchemy import select
from werkzeug.http import parse_options_header

from workflow.consolidated import services as consolidation
from workflow.documents import builders
from workflow.extensions import db, limiter
from workflow.formats import vn_sort_key
from workflow.items import services
from workflow.models import (ConsolidatedReport, ReportingPeriod, State, Task, TaskResult, Unit, UnitReport,
                             User)
from workflow.seed import DEMO_PASSWORD, load_plan, seed_demo_accounts

from .conftest import make_app

PERIOD = "Quý III/2025"
NUMBER = "245/BC-UBND"
UNIT_NUMBER = "05/BC-KT-HT&ĐT"
HEAD = ("Trưởng phòng", "Nguyễn Văn Hùng")
SENTENCE = ("Đề nghị thành phố tổ chức tập huấn chuyên sâu về dịch vụ công trực tuyến toàn trình cho cán bộ, "
            "công chức phường. ")
# Biểu II.06a of TTPVHCC: two fields, their totals made from the parts.
DOSSIERS = {"Hộ tịch": (48, 10, 2, 20, 33, 2, 4, 1), "Chứng thực": (30, 5, 0, 10, 20, 3, 1, 1)}
PARTS = ("received_online", "received_direct", "received_carried", "resolved_early", "resolved_on_time",
         "resolved_late", "pending_within", "pending_overdue")
# KTHTDT's own task results: (code, status, completed on, result)
KTHTDT_RESULTS = [("6.a", "done", date(2025, 9, 20), "Công khai dự toán ngân sách năm 2025 đúng quy định."),
                  ("3.e", "in_progress", None, "Đang rà soát các thủ tục về đầu tư."),
                  ("6.b", "cannot_do", None, "")]


# --- reading PDFs -----------------------------------------------------------------------------------

def nfc(text):
    return unicodedata.normalize("NFC", text)


def flat(text):
    return " ".join(text.split())


def pages_of(data):
    """pdftotext -layout page by page (-f N -l N each: what a reader of that page alone sees)."""
    count = int(re.search(r"^Pages:\s+(\d+)$", subprocess.run(["pdfinfo", "-"], input=data, capture_output=True,
                                                              check=True).stdout.decode(), re.M).group(1))
    return [nfc(subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), "-", "-"], input=data,
                               capture_output=True, check=True).stdout.decode()) for n in range(1, count + 1)]


def text_of(data):
    return "\n".join(pages_of(data))


def annex_starts(pages):
    return [i for i, text in enumerate(pages) if text.strip().startswith("Phụ lục")]


def table_rows(path, page_indexes):
    with pdfplumber.open(path) as pdf:
        return [[nfc(flat(cell or "")) for cell in row] for i in page_indexes
                for table in pdf.pages[i].extract_tables() for row in table]


def gaps(path, page_index):
    """(word, next word, the white space between them in pt) along the lines of a page."""
    with pdfplumber.open(path) as pdf:
        words = pdf.pages[page_index].extract_words()
    return [(nfc(a["text"]), nfc(b["text"]), b["x0"] - a["x1"]) for a, b in zip(words, words[1:])
            if abs(a["top"] - b["top"]) < 2]


def recipients_column(path):
    """The "Nơi nhận" column as read on its own: the left half of the page under "Nơi nhận:"."""
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            title = next((w for w in page.extract_words() if nfc(w["text"]) == "Nơi"), None)
            if title is not None:
                left = page.crop((0, title["top"] - 1, page.width / 2, page.height))
                return nfc(flat(left.extract_text()))
    return ""


BLANK_PT = 15  # a blank left for the clerk's pen: six spaces (about 20 pt), not one (3 to 4 pt)


def lines(page):
    """A page's text lines, the page number left out."""
    found = [flat(line) for line in page.splitlines() if line.strip()]
    return found[1:] if found and found[0].isdigit() else found


# --- the world -------------------------------------------------------------------------------------

def user(username):
    return db.session.scalar(select(User).where(User.username == username))


def unit_report_of(code, period):
    return db.session.scalar(select(UnitReport).join(Unit).where(Unit.code == code, UnitReport.period_id == period.id))


def signed_in(app, username):
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
    assert response.status_code in (302, 303), response.text
    return client


@pytest.fixture(scope="module")
def world(tmp_path_factory, demo_hash):
    tmp = tmp_path_factory.mktemp("decree30")
    app = make_app(tmp)
    with app.app_context():
        db.drop_all()
        db.create_all()
        limiter.reset()
        load_plan()
        seed_demo_accounts(password_hash=demo_hash)
        kthtdt = db.session.scalar(select(Unit).where(Unit.code == "KTHTDT"))
        assert (kthtdt.abbreviation, kthtdt.head_title) == ("KT-HT&ĐT", "Trưởng phòng")
        period = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.name == PERIOD))
        services.open_period(user("admin"), period)
        for report in db.session.scalars(select(UnitReport).where(UnitReport.period_id == period.id)):
            for section in report.sections:
                section.body = f"{report.unit.name} triển khai các nhiệm vụ của lĩnh vực {section.area.number}."
            report.state = State.ACCEPTED
        ttpvhcc = unit_report_of("TTPVHCC", period)
        for row in ttpvhcc.dossier_rows:
            values = DOSSIERS.get(row.field_name, (0,) * 8)
            for name, value in zip(PARTS, values):
                setattr(row, name, value)
            row.received_total, row.resolved_total, row.pending_total = (
                sum(values[:3]), sum(values[3:6]), sum(values[6:]))
        for code, status, completed_on, text in KTHTDT_RESULTS:
            result = db.session.scalar(select(TaskResult).join(Task).where(Task.code == code,
                                                                            TaskResult.period_id == period.id))
            assert result.unit.code == "KTHTDT", code
            result.work_status, result.completed_on, result.done_text = status, completed_on, text
            result.blocked_reason = "Chưa có hướng dẫn của thành phố." if status == "cannot_do" else ""
        db.session.commit()
        report = consolidation.prefill(user("thamdinh"), period)
        ids = SimpleNamespace(period=period.id, consolidated=report.id,
                              kthtdt=unit_report_of("KTHTDT", period).id, ttpvhcc=ttpvhcc.id)
        db.session.remove()
    yield SimpleNamespace(app=app, tmp=tmp, ids=ids)
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def render(app, build, *ids):
    """PDF bytes of a builder applied to freshly loaded rows (a request context: templates need one)."""
    with app.test_request_context():
        data = build(*ids)
        db.session.remove()
        return data


@pytest.fixture(scope="module")
def consolidated_pdfs(world):
    """The consolidated report as a draft, then issued (number and date written in), as downloaded."""
    app, ids = world.app, world.ids
    chairman = signed_in(app, "chutich")
    draft = chairman.get(f"/documents/consolidated/{ids.consolidated}.pdf")
    with app.app_context():
        report = db.session.get(ConsolidatedReport, ids.consolidated)
        report.recipients = ["Sở Nội vụ thành phố", "- TT Đảng ủy phường;", "Lưu: VT."]
        report.state, report.doc_number, report.doc_date = State.ACCEPTED, NUMBER, date(2025, 9, 4)
        db.session.commit()
        db.session.remove()
    issued = chairman.get(f"/documents/consolidated/{ids.consolidated}.pdf")
    for name, response in (("draft", draft), ("issued", issued)):
        assert response.status_code == 200 and response.mimetype == "application/pdf", name
        (world.tmp / f"consolidated-{name}.pdf").write_bytes(response.data)
    yield SimpleNamespace(draft=draft, issued=issued, draft_pages=pages_of(draft.data),
                          draft_path=world.tmp / "consolidated-draft.pdf",
                          issued_pages=pages_of(issued.data), issued_path=world.tmp / "consolidated-issued.pdf")
    with app.app_context():
        report = db.session.get(ConsolidatedReport, ids.consolidated)
        report.state, report.doc_number, report.doc_date, report.recipients = State.DRAFT, None, None, None
        db.session.commit()
        db.session.remove()


def download_name(response):
    _, options = parse_options_header(response.headers["Content-Disposition"])
    return options["filename"]


# --- dates -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("day, words, short", [
    (date(2025, 9, 4), "ngày 04 tháng 9 năm 2025", "04/9/2025"),
    (date(2026, 2, 5), "ngày 05 tháng 02 năm 2026", "05/02/2026"),
    (date(2025, 12, 15), "ngày 15 tháng 12 năm 2025", "15/12/2025"),
])
def test_dates_follow_decree_30(world, day, words, short):
    """A leading 0 for days below 10 and months 1 and 2 only, in the place-date line and the citation."""
    assert builders.place_date("Phù Liễn", day, day.year) == f"Phù Liễn, {words}"
    app, ids = world.app, world.ids
    with app.app_context():
        report = db.session.get(UnitReport, ids.kthtdt)
        report.doc_number, report.doc_date = UNIT_NUMBER, day
        db.session.commit()
    try:
        pages = pages_of(render(app, lambda i: builders.unit_report(db.session.get(UnitReport, i)), ids.kthtdt))
    finally:
        with app.app_context():
            report = db.session.get(UnitReport, ids.kthtdt)
            report.doc_number = report.doc_date = None
            db.session.commit()
            db.session.remove()
    assert any(f"Phù Liễn, {words}" in flat(line) for line in pages[0].splitlines())
    annex = flat(" ".join(pages[annex_starts(pages)[0]:]))
    assert f"(Kèm theo Báo cáo số {UNIT_NUMBER} ngày {short} của Phòng Kinh tế, Hạ tầng và Đô thị)" in annex


def test_issued_consolidated_report_reads_its_number_and_date(consolidated_pdfs):
    first = consolidated_pdfs.issued_pages[0]
    assert any("Số: 245/BC-UBND" in flat(line) and "Phù Liễn, ngày 04 tháng 9 năm 2025" in flat(line)
               for line in first.splitlines())
    assert "tháng 09" not in text_of(consolidated_pdfs.issued.data)


# --- annexes ---------------------------------------------------------------------------------------

def test_annex_headings_name_the_area(consolidated_pdfs):
    pages = consolidated_pdfs.issued_pages
    first, second = annex_starts(pages)
    annex = flat(" ".join(pages[first:second]))
    for heading in ("1. Công tác chỉ đạo, điều hành", "3. Cải cách thủ tục hành chính"):
        assert heading in annex, heading
    assert "Lĩnh vực 1" not in annex and "Lĩnh vực" not in annex


def test_annexes_are_numbered_and_cite_the_report_in_full(consolidated_pdfs):
    pages = consolidated_pdfs.issued_pages
    starts = annex_starts(pages)
    assert [flat(pages[i]).split(" KẾT QUẢ")[0] for i in starts] == ["Phụ lục I", "Phụ lục II"]
    citation = "(Kèm theo Báo cáo số 245/BC-UBND ngày 04/9/2025 của Ủy ban nhân dân phường Phù Liễn)"
    for i in starts:
        assert citation in flat(pages[i]), i


def test_a_draft_annex_has_blanks_for_number_and_date_and_every_page_says_draft(consolidated_pdfs):
    pages = consolidated_pdfs.draft_pages
    starts = annex_starts(pages)
    assert len(starts) == 2
    assert "DỰ THẢO" in pages[0]
    for i in range(starts[0], len(pages)):
        assert "DỰ THẢO" in pages[i], f"annex page {i + 1}"
    # "(Kèm theo Báo cáo số      /BC-UBND ngày      /     /2025 của …)": the blanks are kept as printed space
    line = next(flat(line) for line in pages[starts[0]].splitlines() if "Kèm theo Báo cáo số" in line)
    assert line == "(Kèm theo Báo cáo số /BC-UBND ngày / /2025 của Ủy ban nhân dân phường Phù Liễn)"
    found = {(a, b): gap for a, b, gap in gaps(consolidated_pdfs.draft_path, starts[0])}
    assert found[("số", "/BC-UBND")] > BLANK_PT and found[("ngày", "/")] > BLANK_PT and found[("/", "/2025")] > BLANK_PT
    assert "245/BC-UBND" not in text_of(consolidated_pdfs.draft.data)


def test_the_citation_is_in_the_context_for_the_word_copy(world, consolidated_pdfs):
    def citation(report_id):
        return builders.consolidated_document(db.session.get(ConsolidatedReport, report_id)).context["citation"]
    assert render(world.app, citation, world.ids.consolidated) == (
        "(Kèm theo Báo cáo số 245/BC-UBND ngày 04/9/2025 của Ủy ban nhân dân phường Phù Liễn)")
    assert builders.citation("Báo cáo", builders.blank_number("BC", "UBND"), None, 2025, "Ủy ban nhân dân phường Phù Liễn") == (
        f"(Kèm theo Báo cáo số {builders.BLANK}/BC-UBND ngày {builders.BLANK}/{builders.BLANK[:-1]}/2025 "
        "của Ủy ban nhân dân phường Phù Liễn)")


# --- Nơi nhận --------------------------------------------------------------------------------------

def test_recipients_as_edited_each_with_its_punctuation_and_the_file_copy_last(consolidated_pdfs):
    assert recipients_column(consolidated_pdfs.issued_path) == (
        "Nơi nhận: - Sở Nội vụ thành phố; - TT Đảng ủy phường; - Lưu: VT, VHXH.")
    assert flat(text_of(consolidated_pdfs.issued.data)).count("Lưu: VT") == 1


def test_the_wards_recipients_on_a_draft(consolidated_pdfs):
    assert recipients_column(consolidated_pdfs.draft_path) == ("Nơi nhận: - UBND thành phố (Sở Nội vụ); - TT Đảng ủy, TT HĐND phường; - CT, các PCT UBND phường; "
            "- Các cơ quan, đơn vị thuộc phường; - Lưu: VT, VHXH.")


@pytest.mark.parametrize("entries, keeper, expected", [
    (["A", "B;", "- C."], "VHXH", ["A;", "B;", "C;", "Lưu: VT, VHXH."]),
    ([], "VHXH", ["Lưu: VT, VHXH."]),
    (["  ", "Lưu: VT, VP.", "Sở Nội vụ"], None, ["Sở Nội vụ;", "Lưu: VT."]),
])
def test_recipient_lines(entries, keeper, expected):
    assert builders.recipient_lines(entries, keeper) == expected


# --- period names on one line ----------------------------------------------------------------------

def test_period_names_are_tied_with_non_breaking_spaces():
    nb = "\u00a0"
    assert builders.unbroken("Kết quả công tác cải cách hành chính Quý III/2025") == \
        f"Kết quả công tác cải cách hành chính Quý{nb}III/2025"
    assert builders.unbroken(builders.unbroken("Quý III/2025"), "Quý III/2025") == f"Quý{nb}III/2025"
    assert builders.unbroken("Báo cáo 6 tháng đầu năm 2025", "6 tháng đầu năm 2025") == \
        f"Báo cáo 6{nb}tháng{nb}đầu{nb}năm{nb}2025"
    assert builders.unbroken("Đợt kiểm tra số 2 của phường", "Đợt kiểm tra số 2") == \
        f"Đợt{nb}kiểm{nb}tra{nb}số{nb}2 của phường"


def test_a_period_name_is_never_split_across_lines(world):
    """A trích yếu long enough that "Quý" would end a line: the whole "Quý III/2025" goes to the next."""
    app, ids = world.app, world.ids
    seen_break = False
    for padding in range(0, 12):
        with app.app_context():
            report = db.session.get(ConsolidatedReport, ids.consolidated)
            report.summary = f"Kết quả thực hiện công tác cải cách hành chính{' và' * padding} trên địa bàn {PERIOD}"
            db.session.commit()
            db.session.remove()
        first = pages_of(render(app, lambda i: builders.consolidated(db.session.get(ConsolidatedReport, i)),
                                ids.consolidated))[0]
        summary = [flat(line) for line in first.splitlines() if line.strip()]
        assert not any(line.endswith(("Quý", "III/")) for line in summary), padding
        assert any("Quý III/2025" in line for line in summary), padding
        seen_break |= any(line.startswith("Quý III/2025") for line in summary)
        if seen_break:
            break
    with app.app_context():
        report = db.session.get(ConsolidatedReport, ids.consolidated)
        report.summary = f"Kết quả thực hiện công tác cải cách hành chính {PERIOD}"
        db.session.commit()
        db.session.remove()
    assert seen_break, "no padding brought the period name to a line end"


# --- the closing never alone -------------------------------------------------------------------------

def _closing_page(app, report_id, sentences):
    with app.app_context():
        report = db.session.get(UnitReport, report_id)
        report.proposals = SENTENCE * sentences
        db.session.commit()
        db.session.remove()
    pages = pages_of(render(app, lambda i: builders.unit_report(db.session.get(UnitReport, i)), report_id))
    body = pages[:annex_starts(pages)[0]] if annex_starts(pages) else pages
    closing = next(i for i, page in enumerate(body) if "Nơi nhận:" in page)
    heading = next(i for i, page in enumerate(body) if "V. ĐỀ XUẤT, KIẾN NGHỊ" in page)
    return body, closing, heading


def test_the_signature_block_never_stands_alone_on_a_page(world):
    """KTHTDT's report whose last paragraph fills the page: the closing would open the next page alone.
    The smallest such length is searched for; at it and just past it, the page that holds "Nơi nhận"
    holds lines of the paragraph too."""
    app, report_id = world.app, world.ids.kthtdt
    low, high = 0, 60  # sentences: low keeps the closing on the heading's page, high does not
    body, closing, heading = _closing_page(app, report_id, high)
    assert closing > heading, "the longest paragraph should push the closing to another page"
    while high - low > 1:
        middle = (low + high) // 2
        body, closing, heading = _closing_page(app, report_id, middle)
        low, high = (low, middle) if closing > heading else (middle, high)
    try:
        for sentences in (high, high + 1, high + 2):
            body, closing, heading = _closing_page(app, report_id, sentences)
            page = lines(body[closing])
            before = page[:next(i for i, line in enumerate(page) if line.startswith("Trên đây là báo cáo"))]
            assert before and all(line and not line.startswith("Nơi nhận") for line in before), (sentences, page)
            assert any("công chức phường." in line or "Đề nghị thành phố" in line for line in before), page
    finally:
        with app.app_context():
            db.session.get(UnitReport, report_id).proposals = ""
            db.session.commit()
            db.session.remove()


# --- finished unit reports ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def unit_pdfs(world):
    """KTHTDT's report as a draft (blanks), then accepted with its number, date and head; TTPVHCC's
    with Biểu II.06a. Downloaded over HTTP as their units get them."""
    app, ids = world.app, world.ids
    own, other = signed_in(app, "kthtdt"), signed_in(app, "ttpvhcc")
    with app.app_context():
        report = db.session.get(UnitReport, ids.kthtdt)
        report.state = State.DRAFT
        db.session.commit()
    draft = own.get(f"/documents/unit-report/{ids.kthtdt}.pdf")
    with app.app_context():
        report = db.session.get(UnitReport, ids.kthtdt)
        report.state, report.doc_number, report.doc_date = State.ACCEPTED, UNIT_NUMBER, date(2025, 9, 4)
        report.unit.head_title, report.unit.head_name = HEAD
        db.session.commit()
    accepted = own.get(f"/documents/unit-report/{ids.kthtdt}.pdf")
    dossiers = other.get(f"/documents/unit-report/{ids.ttpvhcc}.pdf")
    for name, response in (("draft", draft), ("accepted", accepted), ("dossiers", dossiers)):
        assert response.status_code == 200 and response.mimetype == "application/pdf", name
        (world.tmp / f"unit-{name}.pdf").write_bytes(response.data)
    yield SimpleNamespace(draft=draft, accepted=accepted, dossiers=dossiers, draft_pages=pages_of(draft.data),
                          accepted_pages=pages_of(accepted.data), dossiers_path=world.tmp / "unit-dossiers.pdf",
                          draft_path=world.tmp / "unit-draft.pdf",
                          accepted_path=world.tmp / "unit-accepted.pdf")
    with app.app_context():
        report = db.session.get(UnitReport, ids.kthtdt)
        report.doc_number = report.doc_date = report.unit.head_name = None
        db.session.commit()
        db.session.remove()


def test_an_accepted_unit_report_carries_its_number_date_and_head(unit_pdfs):
    pages = unit_pdfs.accepted_pages
    first = [flat(line) for line in pages[0].splitlines()]
    assert any(line.startswith("Số: 05/BC-KT-HT&ĐT") for line in first), first[:6]
    assert any(line.endswith("Phù Liễn, ngày 04 tháng 9 năm 2025") for line in first), first[:6]
    body = flat(" ".join(pages[:annex_starts(pages)[0]]))
    assert "TRƯỞNG PHÒNG Nguyễn Văn Hùng" in body or ("TRƯỞNG PHÒNG" in body and "Nguyễn Văn Hùng" in body)
    assert body.count("Nguyễn Văn Hùng") == 1
    assert recipients_column(unit_pdfs.accepted_path) == (
        "Nơi nhận: - UBND phường (qua Phòng Văn hóa - Xã hội); - Lưu: VT, KT-HT&ĐT.")
    assert ("Trên đây là báo cáo kết quả thực hiện công tác cải cách hành chính Quý III/2025 của "
            "Phòng Kinh tế, Hạ tầng và Đô thị./.") in body
    assert "DỰ THẢO" not in text_of(unit_pdfs.accepted.data)


def test_a_draft_unit_report_keeps_blanks_with_the_units_symbol(unit_pdfs):
    first = unit_pdfs.draft_pages[0]
    found = {(a, b): gap for a, b, gap in gaps(unit_pdfs.draft_path, 0)}
    assert found[("Số:", "/BC-KT-HT&ĐT")] > BLANK_PT and found[("ngày", "tháng")] > BLANK_PT
    assert "05/BC-KT-HT&ĐT" not in text_of(unit_pdfs.draft.data)
    assert "Phù Liễn, ngày tháng năm 2025" in flat(first)
    assert "DỰ THẢO" in first
    assert "THỦ TRƯỞNG ĐƠN VỊ" not in first  # the seeded unit has its head's title: "TRƯỞNG PHÒNG"
    assert "TRƯỞNG PHÒNG" in flat(" ".join(unit_pdfs.draft_pages))


def test_a_unit_without_a_head_title_signs_as_thu_truong_don_vi(world):
    app, ids = world.app, world.ids
    with app.app_context():
        unit = db.session.get(UnitReport, ids.kthtdt).unit
        (title, name), unit.head_title, unit.head_name = (unit.head_title, unit.head_name), None, None
        db.session.commit()
    try:
        doc = render(app, lambda i: builders.unit_report_document(db.session.get(UnitReport, i)), ids.kthtdt)
        assert doc.context["signature"] == {"authority": [], "title": "THỦ TRƯỞNG ĐƠN VỊ", "name": ""}
    finally:
        with app.app_context():
            unit = db.session.get(UnitReport, ids.kthtdt).unit
            unit.head_title, unit.head_name = title, name
            db.session.commit()
            db.session.remove()


def test_a_unit_report_annexes_its_own_task_results_in_code_order(unit_pdfs):
    pages = unit_pdfs.accepted_pages
    starts = annex_starts(pages)
    assert len(starts) == 1  # KTHTDT receives no dossiers: one appendix, "Phụ lục" alone
    annex = flat(" ".join(pages[starts[0]:]))
    assert annex.startswith("Phụ lục KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH")
    assert ("(Kèm theo Báo cáo số 05/BC-KT-HT&ĐT ngày 04/9/2025 của Phòng Kinh tế, Hạ tầng và Đô thị)") in annex
    rows = [row for row in table_rows(unit_pdfs.accepted_path, range(starts[0], len(pages))) if len(row) == 6]
    codes = [row[0] for row in rows if re.match(r"^\d+\.\w+$", row[0])]
    assert codes == sorted(codes, key=vn_sort_key)
    assert {"3.e", "6.a", "6.b"} <= set(codes)
    by_code = {row[0]: row for row in rows}
    assert by_code["6.a"][3:] == ["Hoàn thành", "20/09/2025", "Công khai dự toán ngân sách năm 2025 đúng quy định."]
    assert by_code["3.e"][3] == "Đang thực hiện"
    assert by_code["6.b"][3] == "Không thực hiện được" and "Chưa có hướng dẫn" in by_code["6.b"][5]
    assert "3. Cải cách thủ tục hành chính" in annex and "6. Cải cách tài chính công" in annex
    assert "Kết quả thực hiện từng nhiệm vụ tại Phụ lục." in flat(" ".join(pages[:starts[0]]))


def test_biểu_ii06a_of_a_unit_report_has_its_total_row(unit_pdfs):
    path = unit_pdfs.dossiers_path
    pages = pages_of(unit_pdfs.dossiers.data)
    starts = annex_starts(pages)
    assert len(starts) == 2  # Phụ lục I: task results; Phụ lục II: Biểu II.06a
    assert flat(pages[starts[1]]).startswith("Phụ lục II TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH (Biểu II.06a)")
    rows = table_rows(path, range(starts[1], len(pages)))
    assert ["Hộ tịch", "60", "48", "10", "2", "55", "20", "33", "2", "5", "4", "1"] in rows
    assert ["Chứng thực", "35", "30", "5", "0", "33", "10", "20", "3", "2", "1", "1"] in rows
    assert ["Tổng cộng", "95", "78", "15", "2", "88", "30", "53", "5", "7", "5", "2"] in rows
    assert rows.index(["Tổng cộng", "95", "78", "15", "2", "88", "30", "53", "5", "7", "5", "2"]) == len(rows) - 1


# --- file names --------------------------------------------------------------------------------------

def test_consolidated_downloads_are_named_for_what_they_are(consolidated_pdfs):
    assert download_name(consolidated_pdfs.draft) == "du-thao-bao-cao-CCHC-quy-III-2025.pdf"
    assert download_name(consolidated_pdfs.issued) == "245-BC-UBND-bao-cao-CCHC-quy-III-2025.pdf"


def test_unit_report_downloads_are_named_for_what_they_are(unit_pdfs):
    assert download_name(unit_pdfs.draft) == "du-thao-bao-cao-CCHC-kthtdt-quy-III-2025.pdf"
    assert download_name(unit_pdfs.accepted) == "05-BC-KT-HT-DT-bao-cao-CCHC-quy-III-2025.pdf"
    for response in (unit_pdfs.draft, unit_pdfs.accepted):
        header = response.headers["Content-Disposition"]
        assert header.isascii() and "filename*" not in header, header


def test_plan_download_is_named_for_what_it_is(world):
    response = signed_in(world.app, "chutich").get("/documents/plan.pdf")
    assert response.status_code == 200
    assert download_name(response) == "116-QD-UBND-ke-hoach-CCHC-6-thang-cuoi-nam-2025.pdf"
    pages = pages_of(response.data)
    annex = flat(pages[annex_starts(pages)[0]])
    assert annex.startswith("Phụ lục DANH MỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH")
    assert ("(Kèm theo Kế hoạch ban hành tại Quyết định số 116/QĐ-UBND ngày 11/7/2025 của "
            "Ủy ban nhân dân phường Phù Liễn)") in annex
    assert "(Ban hành kèm theo Quyết định số 116/QĐ-UBND ngày 11/7/2025" in flat(pages[0])


@pytest.mark.parametrize("text, expected", [
    ("Quý III/2025", "quy-III-2025"), ("245/BC-UBND", "245-BC-UBND"), ("05/BC-KT-HT&ĐT", "05-BC-KT-HT-DT"),
    ("116/QĐ-UBND", "116-QD-UBND"), ("6 tháng đầu năm 2025", "6-thang-dau-nam-2025"), ("Đợt 1 – đặc biệt", "dot-1-dac-biet"),
])
def test_slug(text, expected):
    assert builders.slug(text) == expected
