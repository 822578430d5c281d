"""The ranking exports (issue #5): the PDF in the Decree 30 layout and the .xlsx workbook, downloaded over HTTP
as the chairman and read back (pdftotext, pdffonts, pdfplumber; openpyxl), checked against the /ranking page
and against services.ranking(), with and without a unit appraised by VHXH."""
import html
import re
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from workflow.items import states
from workflow.ranking import services
from workflow.ranking.assessments import save_appraisal
from workflow.ranking.display import apportion, cents
from workflow.ranking.exports import BAND_TITLE, HEAD_TITLE, SCORE_TITLES, TITLE
from workflow.ranking.maxima import caps, shown_maxima

from .ranking_data import Q3, YEAR, period, plan, realistic_mix, user  # noqa: F401 (fixture)
from .test_documents import flat, layout, nfc, pdffonts, run, table_rows
from .test_self_assessment import submitted

PAGE_ROW = re.compile(r'<tr data-unit="(\w+)">(.*?)</tr>', re.DOTALL)
PAGE_CELL = re.compile(r"<td[^>]*>(.*?)</td>", re.DOTALL)
TAG = re.compile(r"<[^>]+>")
MARK = " (TĐ)"
RIGHT_MARGIN = 20 / 25.4 * 72  # pt: the annex layout's 20 mm


@pytest.fixture
def mix(plan):
    realistic_mix()
    return plan


def _first_line(cell):
    """A page cell's text before any <br> (the unit's note, the basis under the score), tags dropped."""
    return html.unescape(flat(TAG.sub(" ", cell.split("<br>")[0])))


def page_rows(client, scope):
    """Per row of the /ranking page: (rank, tied, code, name, computed, self, appraised, final, band) as shown."""
    page = client.get(f"/ranking?period={scope}").text
    found = []
    for code, row in PAGE_ROW.findall(page):
        rank, unit, _basis, computed, own, appraised, final, band, _head = [_first_line(c) for c in PAGE_CELL.findall(row)]
        found.append((int(rank.split()[0]), "đồng hạng" in rank, code, unit.split(" – ", 1)[1], computed, own,
                      appraised, final, band))
    assert found, page
    return found


def pdf_text(path):
    """pdftotext in reading order (not -layout: a wrapped cell keeps its words together), whitespace collapsed."""
    return flat(nfc(run("pdftotext", str(path), "-")))


def pdf_table(path):
    """The ranking table's body rows read with pdfplumber, the repeated header rows left out."""
    rows = table_rows(path, range(len(layout(path))))
    return [row for row in rows if row[0] != "Hạng"]


def pdf_header(path):
    return next(row for row in table_rows(path, [0]) if row[0] == "Hạng")


def to_cents(text):
    whole, frac = text.split(",")
    return (-1 if whole.startswith("-") else 1) * (abs(int(whole)) * 100 + int(frac))


def download(client, url, tmp_path, name):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.headers["Content-Disposition"].startswith("attachment;")
    path = tmp_path / name
    path.write_bytes(response.data)
    return path, response


def workbook(path):
    """The workbook's header block texts, its column titles, and its rows under them (values and cells)."""
    sheet = load_workbook(path).active
    cells = list(sheet.iter_rows())
    values = [[c.value for c in row] for row in cells]
    head = next(i for i, row in enumerate(values) if row[0] == "Hạng")
    end = next((i for i in range(head + 1, len(values)) if values[i][0] is None), len(values))
    return SimpleNamespace(header=[r[0] for r in values[:head] if r[0]], titles=values[head],
                           rows=values[head + 1:end], cells=cells[head + 1:end])


def _hundredths(value):
    return None if value is None else round(value * 100)


# Both files and the service are brought to the same shape: (rank label, unit name (with " (*)" when
# rescaled), criteria (None: not applicable), computed, self, appraised, final (hundredths), appraised mark
# on the final?, band (its first line)). A criterion cell may carry its own maximum ("16,88 /16,88").
NOT_APPLICABLE = "không áp dụng"


def _criterion(value):
    if value == NOT_APPLICABLE:
        return None
    return to_cents(value.split(" /")[0]) if isinstance(value, str) else _hundredths(value)


def from_workbook(values, cells):
    name = values[1].split(" – ", 1)[1]
    scores = [_hundredths(v) for v in values[-6:-2]]
    marked = MARK.strip() in cells[-3].number_format
    return (values[0], name, [_criterion(v) for v in values[3:-6]], *scores, marked, values[-2].split(" (")[0])


def from_pdf(cells):
    final = cells[-3]
    scores = [None if c == "—" else to_cents(c) for c in cells[-6:-3]] + [to_cents(final.removesuffix(MARK))]
    return (cells[0], cells[1], [_criterion(c) for c in cells[3:-6]], *scores, final.endswith(MARK),
            cells[-2].split(" (")[0])


def from_service(standings):
    rows = []
    for s in standings:
        score = s.score
        final = cents(score.final)
        name = score.unit.name + (" (*)" if score.scale != 1 else "")
        optional = [None if v is None else cents(v) for v in (score.self_total, score.appraised_total)]
        maxima = shown_maxima(score.parts)
        criteria = apportion(score.final_points(), final, caps(maxima))
        rows.append((f"{s.rank} (đồng hạng)" if s.tied else str(s.rank), name,
                     [None if top is None else c for c, top in zip(criteria, maxima)], cents(score.total), *optional, final,
                     score.basis == "appraised", score.band))
    return rows


def appraise_tasks_down(unit_code):
    """The unit claims full task points; VHXH appraises them at 10, agrees with the rest, marks it reviewed."""
    item = submitted(unit_code, {"tasks": 40}, {"tasks": "Đã hoàn thành các nhiệm vụ."})
    lines = [(10, "Có nhiệm vụ trễ hạn") if line.code == "tasks" else (line.self_points, "") for line in item.lines]
    save_appraisal(user("thamdinh"), item, {"lines": lines, "awards": []}, item.version)
    states.perform(user("thamdinh"), item, "review", item.version)
    return item


def scopes():
    return ["all", str(period(Q3).id), str(period(YEAR).id)]


def test_both_exports_agree_with_the_page_and_with_each_other(auth, client, mix, tmp_path):
    auth.login("chutich")
    for scope in scopes():
        page = page_rows(client, scope)
        pdf_path, pdf_response = download(client, f"/ranking/export.pdf?period={scope}", tmp_path, f"r-{scope}.pdf")
        xlsx_path, xlsx_response = download(client, f"/ranking/export.xlsx?period={scope}", tmp_path, f"r-{scope}.xlsx")
        assert pdf_response.mimetype == "application/pdf"
        assert xlsx_response.mimetype.endswith("spreadsheetml.sheet")

        text = pdf_text(pdf_path)
        assert flat(TITLE) in text
        assert "DỰ THẢO" in text and "Số: /BC-UBND" in text and "Nơi nhận:" in text and "TM. ỦY BAN NHÂN DÂN" in text
        assert "điểm tính tự động" in text and "(TĐ) là điểm thẩm định" in text
        scope_name = "Cả kế hoạch" if scope == "all" else period(Q3 if scope == scopes()[1] else YEAR).name
        assert f"Phạm vi: {scope_name}" in text
        bands = {cells[-2].split(" (")[0] for cells in pdf_table(pdf_path)}  # wrapped beside the head's column
        for *_, name, computed, own, appraised, final, band in page:
            assert name in text, name
            assert final in text, final
            assert band and band in bands, band

        book = workbook(xlsx_path)
        assert book.header[0] == "UBND phường Phù Liễn" and book.header[1] == TITLE
        assert any(scope_name in h for h in book.header) and any("phiên bản 1" in h for h in book.header)
        assert any("DỰ THẢO" in h for h in book.header)
        assert list(book.titles[-6:]) == SCORE_TITLES + [BAND_TITLE, HEAD_TITLE] == pdf_header(pdf_path)[-6:]
        assert len(book.titles) == 3 + 7 + 6
        formats = {c.number_format for row in book.cells for c in row[-6:] if isinstance(c.value, (int, float))}
        assert formats == {"0.00"}  # nobody appraised yet: no (TĐ) mark
        assert len(book.rows) == len(page)
        xlsx_rows = [from_workbook(v, c) for v, c in zip(book.rows, book.cells)]
        for row, (rank, tied, code, name, computed, own, appraised, final, band) in zip(xlsx_rows, page):
            assert row[0] == (f"{rank} (đồng hạng)" if tied else str(rank))
            assert row[1].removesuffix(" (*)") == name
            assert row[3:7] == (to_cents(computed), None, None, to_cents(final)) and own == appraised == "—"
            assert row[8] == band
            assert sum(c or 0 for c in row[2]) == row[6], code  # the criteria add up to the final score
        # the PDF has the same rows, number for number
        assert [from_pdf(cells) for cells in pdf_table(pdf_path)] == xlsx_rows


def test_an_appraised_unit_is_ranked_by_its_appraised_score_in_both_exports(auth, client, mix, tmp_path):
    q3 = period(Q3)
    before = services.ranking(user("chutich"), mix, str(q3.id))["standings"]
    assert before[0].score.unit.code == "TTPVHCC"  # first on its computed score
    appraise_tasks_down("TTPVHCC")

    standings = services.ranking(user("chutich"), mix, str(q3.id))["standings"]
    expected = from_service(standings)
    appraised = next(s.score for s in standings if s.score.unit.code == "TTPVHCC")
    assert appraised.basis == "appraised" and cents(appraised.final) < cents(appraised.total)
    assert standings[0].score.unit.code != "TTPVHCC"  # it went down with its appraised score
    finals = [row[6] for row in expected]
    assert finals == sorted(finals, reverse=True)

    auth.login("chutich")
    pdf_path, _ = download(client, f"/ranking/export.pdf?period={q3.id}", tmp_path, "a.pdf")
    book = workbook(download(client, f"/ranking/export.xlsx?period={q3.id}", tmp_path, "a.xlsx")[0])
    assert [from_workbook(v, c) for v, c in zip(book.rows, book.cells)] == expected
    assert [from_pdf(cells) for cells in pdf_table(pdf_path)] == expected
    row = next(r for r in expected if r[7])
    assert row[4:7] == (cents(appraised.self_total), cents(appraised.appraised_total), cents(appraised.final))
    assert [r[1] for r in expected if r[7]] == [appraised.unit.name]  # only that unit carries the mark


def test_ties_are_marked_in_both_exports(auth, client, plan, tmp_path):
    auth.login("chutich")  # nothing done yet: every unit scores the same, all share rank 1
    page = page_rows(client, "all")
    assert all(tied for _, tied, *_ in page)
    text = pdf_text(download(client, "/ranking/export.pdf", tmp_path, "t.pdf")[0])
    assert text.count("(đồng hạng)") == len(page)
    book = workbook(download(client, "/ranking/export.xlsx", tmp_path, "t.xlsx")[0])
    assert all(row[0] == f"{page[0][0]} (đồng hạng)" for row in book.rows)


def test_pdf_is_landscape_with_only_the_embedded_serif(auth, client, mix, tmp_path):
    auth.login("chutich")
    path, _ = download(client, "/ranking/export.pdf", tmp_path, "r.pdf")
    rows = pdffonts(path)
    assert rows
    for font, embedded in rows:
        assert "CCHC-Serif" in font and embedded == "yes", font
    pages = layout(path)
    used = {c["fontname"] for page in pages for c in page.chars}
    assert used and all("CCHC-Serif" in f for f in used), used
    assert all(p.width > p.height for p in pages)


def test_the_table_fits_the_landscape_page(auth, client, mix, tmp_path):
    """Sixteen columns: every character inside the right margin, every header whole in its own cell."""
    auth.login("chutich")
    path, _ = download(client, f"/ranking/export.pdf?period={period(Q3).id}", tmp_path, "w.pdf")
    for page in layout(path):
        assert max(c["x1"] for c in page.chars) <= page.width - RIGHT_MARGIN + 1, page.number
    header = pdf_header(path)
    assert header[:3] == ["Hạng", "Đơn vị", "Cơ sở chấm điểm"] and header[-6:] == SCORE_TITLES + [BAND_TITLE, HEAD_TITLE]
    # TTSNC has no task due in Q3: its cell is "không áp dụng", every other unit's maximum is 40 (issue 15)
    assert header[3] == "Nhiệm vụ chủ trì hoàn thành đúng hạn (tối đa 40,00)"
    assert header[4] == "Báo cáo định kỳ gửi đúng hạn (tối đa theo đơn vị)"  # TTSNC's is 45,00
    assert header[9] == "Hồ sơ quá hạn chưa gửi (điểm trừ) (trừ tối đa 10,00)"
    assert all(len(row) == 16 and all(row) for row in pdf_table(path))


def test_the_page_links_to_both_exports_for_its_scope(auth, client, mix):
    auth.login("chutich")
    q3 = period(Q3).id
    html_text = client.get(f"/ranking?period={q3}").text
    assert f'href="/ranking/export.pdf?period={q3}" hx-boost="false">Tải PDF' in html_text
    assert f'href="/ranking/export.xlsx?period={q3}" hx-boost="false">Tải Excel' in html_text


@pytest.mark.parametrize("who, status", [("chutich", 200), ("thamdinh", 200), ("tiepnhan", 200), ("admin", 200),
                                         ("vp", 403), ("ttsnc", 403)])
def test_same_permission_as_the_ranking_page(auth, client, plan, who, status):
    auth.login(who)
    for ext in ("pdf", "xlsx"):
        assert client.get(f"/ranking/export.{ext}").status_code == status


def test_bad_scope_is_404_and_signed_out_goes_to_login(auth, client, plan):
    assert client.get("/ranking/export.pdf").headers["Location"].startswith("/login")
    auth.login("chutich")
    for url in ("/ranking/export.pdf?period=99999", "/ranking/export.xlsx?period=abc", "/ranking/export.xlsx?scheme=7"):
        assert client.get(url).status_code == 404, url
