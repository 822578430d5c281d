"""The Word copies (.docx) of the documents, downloaded over HTTP beside their PDFs and read back with
python-docx: the same number, place-date line, headings and figures as the PDF (pdftotext, pdfplumber),
A4 with the PDF's margins, annexes in landscape sections, Times New Roman throughout, the copy mark on a
final document's copy and DỰ THẢO on a draft's; and the same people let through as for the PDF.

One quarter is built once for the module: TTPVHCC's report (with a Biểu II.06a row) accepted, two task
results accepted (one late), the consolidated report drafted; later marked accepted with its number and
date set directly (the signing workflow is not what is tested here)."""
import io
import re
from datetime import date
from types import SimpleNamespace

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from sqlalchemy import select

import workflow.documents.word_routes  # noqa: F401 - the routes, until workflow/documents/__init__ imports them
from workflow.consolidated import services as consolidation
from workflow.documents.word import COPY_MARK
from workflow.documents.word_routes import DOCX
from workflow.extensions import db, limiter
from workflow.items import services, states, task_result
from workflow.items import unit_report as unit_reports
from workflow.documents import builders
from workflow.models import ConsolidatedReport, ReportingPeriod, Task, TaskResult, UnitReport
from workflow.seed import load_plan, seed_demo_accounts
from workflow.seed.scoring import load_default_scheme

from .conftest import make_app
from .items_support import ready, report_of, user
from .test_documents import DOSSIER, flat, nfc, page_sizes, pdftotext, signed_in, table_rows

NUMBER = "245/BC-UBND"
PLACE_DATE = "Phù Liễn, ngày 05 tháng 12 năm 2025"
FONT = "Times New Roman"
MM = 36000  # EMU
A4_MM = (210, 297)
PORTRAIT = {"top": 20, "bottom": 20, "left": 30, "right": 15}
LANDSCAPE = {"top": 20, "bottom": 20, "left": 25, "right": 20}  # as the PDF's annexes
COPY = COPY_MARK.split(" – ")[0]
HEADINGS = ["I. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH", "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN",
            "III. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI", "IV. ĐỀ XUẤT, KIẾN NGHỊ"]


# --- the quarter, and every file as downloaded -------------------------------------------------------

def _fill_ttpvhcc(period):
    report = report_of("ttpvhcc", period)
    data = {"limitations": "Một số hồ sơ còn phải bổ sung nhiều lần.", "causes": "Cơ sở dữ liệu chưa kết nối.",
            "next_steps": "Đẩy mạnh chuyển đổi số.", "proposals": "Đề nghị tập huấn dịch vụ công trực tuyến.",
            "satisfaction_rate": 96.5,
            "sections": {s.id: "Tiếp nhận 1.248 hồ sơ; 100% hồ sơ được số hóa." if s.area.number == 3 else ""
                         for s in report.sections},
            "actuals": {a.id: (None, "", "Đạt") for a in report.target_actuals},
            "dossier_rows": [DOSSIER]}
    unit_reports.save(user("ttpvhcc"), report, data, report.version)
    states.perform(user("ttpvhcc"), ready(report), "submit", report.version)
    states.perform(user("thamdinh"), report, "review", report.version, grade="A")
    states.perform(user("tiepnhan"), report, "accept", report.version)
    return report


def _accept_results(period):
    for code, completed_on in (("1.a", date(2025, 8, 15)), ("3.b", date(2025, 9, 25))):
        result = db.session.scalar(select(TaskResult).join(Task).where(Task.code == code,
                                                                        TaskResult.period_id == period.id))
        officer = {"VHXH": "vhxh", "TTPVHCC": "ttpvhcc", "VP": "vp"}[result.unit.code]
        task_result.save(user(officer), result, {
            "work_status": "done", "progress": 100, "done_text": f"Kết quả nhiệm vụ {code}.", "completed_on": completed_on,
            "output_text": "Văn bản kèm theo.", "blocked_reason": ""}, result.version)
        for who, action in ((officer, "submit"), ("thamdinh", "review"), ("tiepnhan", "accept")):
            states.perform(user(who), result, action, result.version, grade="A")


@pytest.fixture(scope="module")
def docs(tmp_path_factory, demo_hash):
    tmp = tmp_path_factory.mktemp("word")
    app = make_app(tmp)
    with app.app_context():
        db.drop_all()
        db.create_all()
        limiter.reset()
        plan, _ = load_plan()
        seed_demo_accounts(password_hash=demo_hash)
        load_default_scheme(plan)
        period = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.name == "Quý III/2025"))
        services.open_period(user("admin"), period)
        out = SimpleNamespace(tmp=tmp, app=app, period=period.id, files={}, responses={}, expected={})
        out.unit_report = _fill_ttpvhcc(period).id
        out.other_report = report_of("vp", period).id
        _accept_results(period)
        out.consolidated = consolidation.prefill(user("thamdinh"), period).id
        db.session.remove()
    try:
        _download(out)
        yield out
    finally:
        with app.app_context():
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


def _expect(out, name, document):
    """What the builders say the copy is: file name, final or not, how many annexes."""
    out.expected[name] = SimpleNamespace(filename=f"{document.filename}.docx", final=document.final,
                                         annexes=len(document.annexes))


def _keep(out, client, name, url):
    for ext, mimetype in (("pdf", "application/pdf"), ("docx", DOCX)):
        response = client.get(f"{url}.{ext}" if "?" not in url else url.replace("?", f".{ext}?"))
        assert response.status_code == 200, (name, ext, response.status_code)
        assert response.mimetype == mimetype
        out.responses[name, ext] = response
        out.files[name, ext] = out.tmp / f"{name}.{ext}"
        out.files[name, ext].write_bytes(response.data)


def _download(out):
    chairman, vp = signed_in(out.app, "chutich"), signed_in(out.app, "vp")
    _keep(out, chairman, "draft", f"/documents/consolidated/{out.consolidated}")
    _keep(out, chairman, "unit", f"/documents/unit-report/{out.unit_report}")
    _keep(out, chairman, "plan", "/documents/plan")
    _keep(out, chairman, "ranking", f"/ranking/export?period={out.period}")
    # the draft is the consolidating unit's and the overseers': another unit gets neither file
    out.draft_refused = {ext: vp.get(f"/documents/consolidated/{out.consolidated}.{ext}").status_code
                         for ext in ("pdf", "docx")}
    with out.app.app_context():
        report = db.session.get(ConsolidatedReport, out.consolidated)
        _expect(out, "draft", builders.consolidated_document(report))
        _expect(out, "unit", builders.unit_report_document(db.session.get(UnitReport, out.unit_report)))
        _expect(out, "plan", builders.plan_doc(report.period.plan))
        report.state, report.doc_number, report.doc_date = "accepted", NUMBER, date(2025, 12, 5)
        db.session.commit()
        _expect(out, "final", builders.consolidated_document(report))
        db.session.remove()
    _keep(out, chairman, "final", f"/documents/consolidated/{out.consolidated}")


# --- reading .docx -----------------------------------------------------------------------------------

def opened(docs, name):
    return Document(io.BytesIO(docs.responses[name, "docx"].data))


def _text(element):
    return nfc("".join(t.text or "" for t in element.iter(qn("w:t"))))


def lines(document):
    """Every paragraph of the body, tables' included, in order."""
    return [_text(p) for p in document.element.body.iter(qn("w:p"))]


def words(document):
    return flat(" ".join(lines(document)))


def tables(document):
    """Every table of the body as rows of cell texts (a merged cell once)."""
    found = []
    for table in document.tables:
        rows = []
        for tr in table._tbl.tr_lst:
            rows.append([flat(_text(tc)) for tc in tr.tc_lst])
        found.append(rows)
    return found


def rows_of(document):
    return [row for table in tables(document) for row in table]


def margin_text(document):
    parts = []
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            parts.append(_text(part._element))
    return " ".join(parts)


def mm(length):
    return length / MM


# --- what the copies say -----------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["final", "draft"])
def test_consolidated_copy_holds_the_pdfs_header_and_headings(docs, name):
    pdf = flat(pdftotext(docs.files[name, "pdf"]))
    document = opened(docs, name)
    text = words(document)
    number = NUMBER if name == "final" else "/BC-UBND"
    expected = ["ỦY BAN NHÂN DÂN", "PHƯỜNG PHÙ LIỄN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Độc lập - Tự do - Hạnh phúc", f"Số: {number}" if name == "final" else "Số:", "BÁO CÁO",
                "Kết quả thực hiện công tác cải cách hành chính Quý III/2025", *HEADINGS, "Nơi nhận:",
                "- Lưu: VT, VHXH.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Phụ lục I",
                "KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH", "Phụ lục II", "Kèm theo Báo cáo số",
                "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CHỦ YẾU", "Biểu II.06a", number]
    for phrase in expected:
        assert phrase in pdf, phrase
        assert phrase in text, phrase
    place_date = next(line for line in lines(document) if ", ngày " in line and "năm 2025" in line)
    assert flat(place_date) in pdf
    if name == "final":
        assert place_date == PLACE_DATE
        assert f"Số: {NUMBER}" in lines(document)  # on its own line, as in the PDF
    # the units' words come through as in the PDF
    assert "Tiếp nhận 1.248 hồ sơ; 100% hồ sơ được số hóa." in pdf
    assert "Tiếp nhận 1.248 hồ sơ; 100% hồ sơ được số hóa." in text


def test_the_annex_figures_are_the_pdfs(docs):
    path = docs.files["final", "pdf"]
    pdf_rows = table_rows(path, range(len(page_sizes(path))))
    docx_rows = rows_of(opened(docs, "final"))
    for label in ("Hộ tịch", "Tổng cộng"):
        in_pdf = next(r for r in pdf_rows if r and r[0] == label)
        in_docx = next(r for r in docx_rows if r and r[0] == label)
        assert in_docx == in_pdf == [label, "60", "48", "10", "2", "55", "20", "33", "2", "5", "4", "1"]
    pdf_tasks = {r[0]: r for r in pdf_rows if len(r) == 7}
    docx_tasks = {r[0]: r for r in docx_rows if len(r) == 7}
    for code in ("1.a", "3.b", "2.a", "6.b"):
        assert docx_tasks[code] == pdf_tasks[code], code
    assert docx_tasks["1.a"][5] == "15/08/2025 (trễ 15 ngày)"
    targets = [r for r in docx_rows if len(r) == 4 and r[0].isdigit()]
    assert targets and all(r in pdf_rows for r in targets)


def test_unit_report_copy_and_its_annex(docs):
    pdf = flat(pdftotext(docs.files["unit", "pdf"]))
    document = opened(docs, "unit")
    text = words(document)
    number = re.search(r"Số: ?(\S*/BC-\S+)", pdf).group(1)
    for phrase in ["UBND PHƯỜNG PHÙ LIỄN", "TRUNG TÂM PHỤC VỤ", number, "BÁO CÁO", "I. KẾT QUẢ THỰC HIỆN",
                   "Kết quả các chỉ tiêu", "Tỷ lệ hài lòng của người dân, tổ chức: 96,5%.", "Phụ lục I",
                   "TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH (Biểu II.06a)", "Nơi nhận:"]:
        assert phrase in pdf, phrase
        assert phrase in text, phrase
    place_date = next(line for line in lines(document) if ", ngày " in line)
    assert flat(place_date) in pdf
    for heading in re.findall(r"\b(?:II|III|IV|V)\. [A-ZĐÀ-Ỹ ,]+[A-ZĐÀ-Ỹ]", pdf):
        assert heading in text, heading
    row = next(r for r in rows_of(document) if r and r[0] == "Hộ tịch")
    assert row == ["Hộ tịch", "60", "48", "10", "2", "55", "20", "33", "2", "5", "4", "1"]
    assert "DỰ THẢO" not in text + margin_text(document)  # accepted: no draft mark
    assert (COPY in margin_text(document)) == docs.expected["unit"].final  # a copy of the issued PDF says so


def test_plan_copy_and_its_task_annex(docs):
    pdf = flat(pdftotext(docs.files["plan", "pdf"]))
    document = opened(docs, "plan")
    text = words(document)
    for phrase in ["KẾ HOẠCH", "I. MỤC ĐÍCH, YÊU CẦU", "II. CHỈ TIÊU CHỦ YẾU", "III. NHIỆM VỤ, GIẢI PHÁP",
                   "Ban hành kèm theo Quyết định số", "Phụ lục", "DANH MỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH",
                   "TM. ỦY BAN NHÂN DÂN"]:
        assert phrase in pdf, phrase
        assert phrase in text, phrase
    number = re.search(r"Số: (\S+)", pdf)
    assert number is None or f"Số: {number.group(1)}" in text
    place_date = next(line for line in lines(document) if ", ngày " in line)
    assert flat(place_date) in pdf
    path = docs.files["plan", "pdf"]
    pdf_rows = {r[1]: r for r in table_rows(path, range(len(page_sizes(path)))) if len(r) == 7 and r[1]}
    docx_rows = {r[1]: r for r in rows_of(document) if len(r) == 7}
    assert set(docx_rows) == set(pdf_rows) and len(docx_rows) > 10
    assert docx_rows["1.a"] == pdf_rows["1.a"]


def test_ranking_copy(docs):
    path = docs.files["ranking", "pdf"]
    pdf = flat(pdftotext(path))
    document = opened(docs, "ranking")
    text = words(document)
    for phrase in ["BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ", "Phạm vi: Quý III/2025", "Ghi chú:", "Hạng", "Đơn vị",
                   "Điểm xếp hạng", "Xếp loại", "DỰ THẢO", "Nơi nhận:"]:
        assert phrase in pdf, phrase
        assert phrase in text, phrase
    pdf_rows = [r for r in table_rows(path, range(len(page_sizes(path)))) if r and r[0] != "Hạng"]
    docx_rows = [r for r in rows_of(document) if len(r) > 6 and r[0] != "Hạng"]
    assert docx_rows and [r[-2:] for r in docx_rows] == [r[-2:] for r in pdf_rows]  # final score and band
    # every criterion's points (a cell's own maximum is its second line: the PDF reader joins lines with a space)
    assert [r[2:-2] for r in docx_rows] == [[c.replace(" /", "/") for c in r[2:-2]] for r in pdf_rows]
    section, = document.sections
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert round(mm(section.page_width)) == 297 and round(mm(section.page_height)) == 210


# --- the layout --------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["final", "draft", "unit", "plan"])
def test_a4_with_the_pdfs_margins_and_landscape_annexes(docs, name):
    document = opened(docs, name)
    sections = document.sections
    assert docs.expected[name].annexes >= 1
    assert len(sections) == 1 + docs.expected[name].annexes
    pdf_pages = page_sizes(docs.files[name, "pdf"])
    (pdf_w, pdf_h, paper) = pdf_pages[0]
    body = sections[0]
    assert paper == "A4" and body.orientation == WD_ORIENT.PORTRAIT
    assert abs(mm(body.page_width) - pdf_w * 25.4 / 72) <= 0.5 and abs(mm(body.page_height) - pdf_h * 25.4 / 72) <= 0.5
    assert abs(mm(body.page_width) - A4_MM[0]) <= 0.5 and abs(mm(body.page_height) - A4_MM[1]) <= 0.5
    for side, value in PORTRAIT.items():
        assert abs(mm(getattr(body, f"{side}_margin")) - value) <= 0.5, side
    assert any(w > h for w, h, _ in pdf_pages)  # the PDF's annexes are landscape too
    for annex in sections[1:]:
        assert annex.orientation == WD_ORIENT.LANDSCAPE
        assert abs(mm(annex.page_width) - A4_MM[1]) <= 0.5 and abs(mm(annex.page_height) - A4_MM[0]) <= 0.5
        for side, value in LANDSCAPE.items():
            assert abs(mm(getattr(annex, f"{side}_margin")) - value) <= 0.5, side
        assert annex._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"  # each annex numbers its pages
    assert all(s.different_first_page_header_footer for s in sections)  # no number on a first page
    assert "PAGE" in "".join(t.text for t in sections[0].header._element.iter(qn("w:instrText")))


@pytest.mark.parametrize("name", ["final", "draft", "unit", "plan", "ranking"])
def test_times_new_roman_for_every_script(docs, name):
    document = opened(docs, name)
    parts = [document.element, document.styles.element]
    for section in document.sections:
        parts += [section.header._element, section.footer._element, section.first_page_footer._element]
    runs = 0
    for part in parts:
        for fonts in part.iter(qn("w:rFonts")):
            for script in ("ascii", "hAnsi", "eastAsia", "cs"):
                assert fonts.get(qn(f"w:{script}")) == FONT, (script, fonts.attrib)
            assert not any(k.endswith("Theme") or k.endswith("theme") for k in fonts.attrib), fonts.attrib
        for run in part.iter(qn("w:r")):
            if _text(run).strip():
                runs += 1
                assert run.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:ascii")) == FONT
    assert runs > 20
    assert document.styles["Normal"].font.name == FONT
    assert document.styles["Normal"].font.size.pt == 14


def test_body_tables_and_closing_follow_the_decree(docs):
    document = opened(docs, "final")
    paragraphs = {flat(p.text): p for p in document.paragraphs}  # the trích yếu may hold non-breaking spaces
    kind = paragraphs["BÁO CÁO"]
    assert kind.alignment == WD_ALIGN_PARAGRAPH.CENTER and kind.runs[0].bold
    summary = paragraphs["Kết quả thực hiện công tác cải cách hành chính Quý III/2025"]
    assert summary.alignment == WD_ALIGN_PARAGRAPH.CENTER and summary.runs[0].bold
    body = next(p for p in document.paragraphs if p.text.startswith("Thực hiện "))
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert abs(body.paragraph_format.first_line_indent.mm - 10) < 0.1
    assert body.runs[0].font.size.pt == 14
    assert paragraphs[HEADINGS[0]].runs[0].bold

    def borders(table):
        box = table._tbl.tblPr.find(qn("w:tblBorders"))
        return {el.get(qn("w:val")) for el in box}

    assert borders(document.tables[0]) == {"nil"}  # the header: two columns without lines
    left, right = document.tables[0].rows[0].cells
    assert _text(left._tc).startswith("ỦY BAN NHÂN DÂN") and "Số: 245/BC-UBND" in [p.text for p in left.paragraphs]
    assert [p.text for p in right.paragraphs][:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    place = next(p for p in right.paragraphs if flat(p.text) == PLACE_DATE)
    assert place.runs[0].italic
    closing = next(t for t in document.tables if "Nơi nhận:" in _text(t._tbl))
    assert borders(closing) == {"nil"}
    recipients, signature = closing.rows[0].cells
    title = recipients.paragraphs[0]
    assert title.text == "Nơi nhận:" and title.runs[0].bold and title.runs[0].italic and title.runs[0].font.size.pt == 12
    assert all(r.font.size.pt == 11 for p in recipients.paragraphs[1:] for r in p.runs)
    assert recipients.paragraphs[-1].text == "- Lưu: VT, VHXH."
    signed = [p for p in signature.paragraphs if p.text]
    assert [p.text for p in signed][:2] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.CENTER and all(r.bold for r in p.runs) for p in signed)
    assert len(signature.paragraphs) > len(signed)  # room left for the signature
    figures = next(t for t in document.tables if "Biểu" not in _text(t._tbl) and "Hộ tịch" in _text(t._tbl))
    assert borders(figures) == {"single"}


def test_a_final_documents_copy_is_marked_and_a_drafts_says_draft(docs):
    final, draft = opened(docs, "final"), opened(docs, "draft")
    mark = margin_text(final)
    assert COPY in mark and NUMBER in mark
    assert "DỰ THẢO" not in words(final) + mark
    assert all(COPY in _text(footer._element) for footer in (final.sections[0].footer, final.sections[0].first_page_footer))
    assert "DỰ THẢO" in words(draft)
    assert COPY not in margin_text(draft) + words(draft)
    # the PDFs agree: the draft is marked, the final is not
    assert "DỰ THẢO" in pdftotext(docs.files["draft", "pdf"]) and "DỰ THẢO" not in pdftotext(docs.files["final", "pdf"])


# --- the downloads -----------------------------------------------------------------------------------

def test_file_names_and_content_type(docs):
    """The document's file name (builders.Document.filename) with .docx; the ranking's as its PDF's."""
    pdf_name = docs.responses["ranking", "pdf"].headers["Content-Disposition"].split("filename=")[1]
    expected = {**{name: docs.expected[name].filename for name in ("final", "draft", "unit", "plan")},
                "ranking": pdf_name.removesuffix(".pdf") + ".docx"}
    assert expected["ranking"] == f"xep-hang-cchc-ky-{docs.period}-v1.docx"
    for name, filename in expected.items():
        response = docs.responses[name, "docx"]
        assert response.headers["Content-Type"] == DOCX
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment") and f"filename={filename}" in disposition, disposition
        assert response.headers["Cache-Control"] == "private, no-store"


def test_another_unit_gets_neither_file_of_the_draft(docs):
    assert docs.draft_refused["docx"] == docs.draft_refused["pdf"] == 404


@pytest.mark.parametrize("who, url, status", [
    ("ttpvhcc", "/documents/unit-report/{unit}.docx", 200),   # its own report
    ("vp", "/documents/unit-report/{unit}.docx", 404),        # another unit's: hidden
    ("ttpvhcc", "/documents/unit-report/{other}.docx", 404),
    ("thamdinh", "/documents/unit-report/{other}.docx", 200),
    ("vhxh", "/documents/consolidated/{consolidated}.docx", 200),
    ("vp", "/documents/consolidated/{consolidated}.docx", 200),  # accepted: the ward's report, seen by all
    ("vp", "/documents/consolidated/99999.docx", 404),
    ("ttsnc", "/documents/plan.docx", 200),
    ("tiepnhan", "/ranking/export.docx", 200),
    ("vp", "/ranking/export.docx", 403),
    ("chutich", "/ranking/export.docx?period=99999", 404),
    ("chutich", "/documents/unit-report/99999.docx", 404),
])
def test_who_may_download_the_copies(docs, who, url, status):
    """As for the PDF beside each: the same answer, person by person."""
    client = signed_in(docs.app, who)
    url = url.format(unit=docs.unit_report, other=docs.other_report, consolidated=docs.consolidated)
    response = client.get(url)
    assert response.status_code == status, (who, url)
    pdf_url = url.replace(".docx", ".pdf")
    assert client.get(pdf_url).status_code == status, (who, pdf_url)
    if status == 200:
        assert response.mimetype == DOCX and Document(io.BytesIO(response.data)).paragraphs


@pytest.mark.parametrize("url", ["/documents/plan.docx", "/documents/consolidated/1.docx", "/ranking/export.docx"])
def test_nobody_signed_in_is_sent_to_sign_in(docs, url):
    response = docs.app.test_client().get(url)
    assert response.status_code in (302, 303) and response.headers["Location"].startswith("/login")


def test_the_pages_link_the_copies_beside_the_pdfs(docs):
    client = signed_in(docs.app, "chutich")
    page = client.get("/documents").text
    for href in (f"/documents/consolidated/{docs.consolidated}.docx", f"/documents/unit-report/{docs.unit_report}.docx",
                 "/documents/plan.docx"):
        assert f'href="{href}"' in page, href
    ranking = client.get(f"/ranking?period={docs.period}").text
    assert f'href="/ranking/export.docx?period={docs.period}"' in ranking
