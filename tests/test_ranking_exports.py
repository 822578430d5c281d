"""The ranking exports (issue #5): the PDF in the Decree 30 layout and the .xlsx workbook, downloaded over HTTP
as the chairman and read back (pdftotext, pdffonts, pdfplumber; openpyxl), checked against the /ranking page."""
import re

import pytest
from openpyxl import load_workbook

from workflow.ranking.exports import TITLE

from .ranking_data import Q3, YEAR, period, plan, realistic_mix  # noqa: F401 (fixture)
from .test_documents import flat, layout, nfc, pdffonts, run, table_rows

ROW = re.compile(r'<tr>\s*<td class="nowrap">(\d+)( <span class="badge">đồng hạng</span>)?</td>\s*'
                 r'<td><a href="[^"]+">(\w+) – ([^<]+)</a>.*?</td>\s*'
                 r'<td class="nowrap">([-\d,]+)</td>\s*<td>([^<]*)</td>', re.DOTALL)


@pytest.fixture
def mix(plan):
    realistic_mix()
    return plan


def page_rows(client, scope):
    """(rank, tied, code, name, total as shown, band) per row of the /ranking page."""
    html = client.get(f"/ranking?period={scope}").text
    found = [(int(r), bool(t), code, name.strip(), total, band) for r, t, code, name, total, band in ROW.findall(html)]
    assert found, html
    return found


def pdf_text(path):
    """pdftotext in reading order (not -layout: a wrapped cell keeps its words together), whitespace collapsed."""
    return flat(nfc(run("pdftotext", str(path), "-")))


def pdf_table(path):
    """The ranking table's body rows read with pdfplumber, the repeated header rows left out."""
    rows = table_rows(path, range(len(layout(path))))
    return [row for row in rows if row[0] != "Hạng"]


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


def sheet_table(path):
    """The workbook's header block texts and its rows under the Hạng header: (rank, code, [criteria], total, band)."""
    sheet = load_workbook(path).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    head = next(i for i, row in enumerate(values) if row[0] == "Hạng")
    table, formats = [], []
    for row, cells in zip(values[head + 1:], list(sheet.iter_rows())[head + 1:]):
        if row[0] is None:
            break
        table.append(row)
        formats += [c.number_format for c in cells if isinstance(c.value, (int, float))]
    return [r[0] for r in values[:head] if r[0]], values[head], table, formats


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
        assert "Điểm tính tự động" in text
        scope_name = "Cả kế hoạch" if scope == "all" else period(Q3 if scope == scopes()[1] else YEAR).name
        assert f"Phạm vi: {scope_name}" in text
        for _, _, _, name, total, band in page:
            assert name in text, name
            assert total in text, total
            assert band and band in text, band

        header, titles, table, formats = sheet_table(xlsx_path)
        assert header[0] == "UBND phường Phù Liễn" and header[1] == TITLE
        assert any(scope_name in h for h in header) and any("phiên bản 1" in h for h in header)
        assert list(titles[-2:]) == ["Tổng điểm", "Xếp loại"]
        assert len(titles) == 2 + 7 + 2
        assert formats and set(formats) == {"0.00"}
        assert len(table) == len(page)
        for row, (rank, tied, code, name, total, band) in zip(table, page):
            assert row[0] == (f"{rank} (đồng hạng)" if tied else str(rank))
            assert row[1].startswith(f"{code} – {name}")
            assert round(row[-2] * 100) == to_cents(total)
            assert row[-1] == band
            criteria = [round(v * 100) for v in row[2:-2]]
            assert sum(criteria) == to_cents(total), code  # the criteria add up to the total shown
        # the PDF has the same rows, number for number
        for row, cells in zip(table, pdf_table(pdf_path), strict=True):
            assert cells[0] == row[0]
            assert row[1].split(" – ", 1)[1] == cells[1]  # the same unit, (*) on both when rescaled
            assert [to_cents(c) for c in cells[2:-1]] == [round(v * 100) for v in row[2:-1]]
            assert cells[-1] == row[-1]


def test_ties_are_marked_in_both_exports(auth, client, plan, tmp_path):
    auth.login("chutich")  # nothing done yet: every unit scores the same, all share rank 1
    page = page_rows(client, "all")
    assert all(tied for _, tied, *_ in page)
    text = pdf_text(download(client, "/ranking/export.pdf", tmp_path, "t.pdf")[0])
    assert text.count("(đồng hạng)") == len(page)
    _, _, table, _ = sheet_table(download(client, "/ranking/export.xlsx", tmp_path, "t.xlsx")[0])
    assert all(row[0] == f"{page[0][0]} (đồng hạng)" for row in table)


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


def test_the_page_links_to_both_exports_for_its_scope(auth, client, mix):
    auth.login("chutich")
    q3 = period(Q3).id
    html = client.get(f"/ranking?period={q3}").text
    assert f'href="/ranking/export.pdf?period={q3}" hx-boost="false">Tải PDF' in html
    assert f'href="/ranking/export.xlsx?period={q3}" hx-boost="false">Tải Excel' in html


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
