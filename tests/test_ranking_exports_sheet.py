"""Exports of a period's frozen ranking sheet (?sheet=<id>, issue #5): the sheet's own rows and scheme version,
whatever changed since it was made; the same viewers as the live ranking; DỰ THẢO until the VP office accepts it."""
import pytest

from workflow.items import states
from workflow.ranking import schemes, sheets

from .ranking_data import Q3, YEAR, apply_to_running, period, plan, realistic_mix, unit, user  # noqa: F401 (fixture)
from .test_ranking_exports import (appraise_tasks_down, download, from_pdf, from_workbook, pdf_header, pdf_table,
                                   pdf_text, workbook)

APPROVER = "chutich"  # the VP office checks the sheet, the chairman approves it


@pytest.fixture
def sheet(plan):
    """The Q3 sheet, made by VHXH's reviewer from a realistic quarter with one unit appraised."""
    realistic_mix()
    appraise_tasks_down("TTPVHCC")
    return sheets.make(user("thamdinh"), period(Q3))


def sheet_url(sheet, ext, period_id=None):
    return f"/ranking/export.{ext}?period={period_id or sheet.period_id}&sheet={sheet.id}"


def frozen(sheet):
    """The sheet's stored rows in the shape test_ranking_exports compares files in."""
    return [(f"{r['rank']} (đồng hạng)" if r["tied"] else str(r["rank"]), r["name"] + (" (*)" if r["rescaled"] else ""),
             [None if top is None else c for c, top in zip(r["criteria"], r["maxima"])], r["computed"], r["self"],
             r["appraised"], r["final"], r["basis"] == "appraised", r["band"])
            for r in sheet.rows]


def both(client, tmp_path, pdf_url, xlsx_url, name):
    """(PDF path, its rows, workbook) downloaded from these URLs, the rows of both checked equal."""
    pdf_path, _ = download(client, pdf_url, tmp_path, f"{name}.pdf")
    book = workbook(download(client, xlsx_url, tmp_path, f"{name}.xlsx")[0])
    rows = [from_pdf(cells) for cells in pdf_table(pdf_path)]
    assert rows == [from_workbook(v, c) for v, c in zip(book.rows, book.cells)]
    return pdf_path, rows, book


def new_weights(plan_):
    """Scheme version 2: tasks 40 → 30, targets 10 → 20 (as in test_self_assessment)."""
    base = schemes.active_scheme(plan_)
    weights = {"tasks": 30, "targets": 20}
    data = {"criteria": [{"code": c.code, "label": c.label, "max_points": weights.get(c.code, c.max_points),
                          "params": c.params} for c in base.criteria],
            "bands": [{"min_score": b.min_score, "label": b.label} for b in base.bands], "note": ""}
    return schemes.save_version(user("thamdinh"), plan_, base.version, data)


def test_a_sheet_keeps_its_figures_and_scheme_version_after_new_weights(auth, client, plan, sheet, tmp_path):
    auth.login("chutich")
    q3 = sheet.period_id
    live_urls = (f"/ranking/export.pdf?period={q3}", f"/ranking/export.xlsx?period={q3}")
    _, live_before, _ = both(client, tmp_path, *live_urls, "live-1")
    pdf_path, rows, book = both(client, tmp_path, sheet_url(sheet, "pdf"), sheet_url(sheet, "xlsx"), "sheet-1")
    assert rows == frozen(sheet) == live_before  # made from the live ranking just now
    assert [r[1] for r in rows if r[7]] == [unit("TTPVHCC").name]  # its appraised score, marked (TĐ)

    assert new_weights(plan).version == 2
    apply_to_running(Q3)  # Q3 is running: the live ranking takes version 2 once the chairman approves it
    _, live_after, live_book = both(client, tmp_path, *live_urls, "live-2")
    pdf_path, rows_after, book = both(client, tmp_path, sheet_url(sheet, "pdf"), sheet_url(sheet, "xlsx"), "sheet-2")
    assert live_after != live_before and any("phiên bản 2" in h for h in live_book.header)
    assert live_book.titles[3] == "Nhiệm vụ chủ trì hoàn thành đúng hạn (tối đa 30,00)"
    assert rows_after == rows == frozen(sheet)
    assert "Bộ tiêu chí chấm điểm phiên bản 1" in pdf_text(pdf_path)
    assert any("Bộ tiêu chí chấm điểm phiên bản 1" in h for h in book.header)
    assert pdf_header(pdf_path)[3] == book.titles[3] == "Nhiệm vụ chủ trì hoàn thành đúng hạn (tối đa 40,00)"
    assert "(trừ tối đa 10,00)" in book.titles[9]
    response = client.get(sheet_url(sheet, "xlsx"))
    assert f"bang-xep-hang-cchc-ky-{q3}-v1.xlsx" in response.headers["Content-Disposition"]


@pytest.mark.parametrize("who, status", [("chutich", 200), ("thamdinh", 200), ("tiepnhan", 200), ("admin", 200),
                                         ("vhxh", 200), ("vp", 403), ("ttpvhcc", 403)])
def test_the_ranking_viewers_and_the_vhxh_office_that_makes_it(auth, client, sheet, who, status):
    auth.login(who)
    for ext in ("pdf", "xlsx"):
        assert client.get(sheet_url(sheet, ext)).status_code == status


def test_a_sheet_of_another_period_or_none_is_404(auth, client, sheet):
    auth.login("chutich")
    year = period(YEAR).id
    for url in (sheet_url(sheet, "pdf", period_id=year),               # the Q3 sheet asked for as the year's
                f"/ranking/export.xlsx?period={sheet.period_id}&sheet=99999",
                f"/ranking/export.xlsx?period={sheet.period_id}&sheet=abc",
                f"/ranking/export.pdf?period=all&sheet={sheet.id}",
                f"/ranking/export.pdf?sheet={sheet.id}"):
        assert client.get(url).status_code == 404, url


def draft_marks(client, tmp_path, sheet, name):
    """(DỰ THẢO on the PDF?, DỰ THẢO on the workbook?)"""
    text = pdf_text(download(client, sheet_url(sheet, "pdf"), tmp_path, f"{name}.pdf")[0])
    book = workbook(download(client, sheet_url(sheet, "xlsx"), tmp_path, f"{name}.xlsx")[0])
    return "DỰ THẢO" in text, any("DỰ THẢO" in h for h in book.header)


def test_only_an_accepted_sheet_loses_the_draft_mark(auth, client, sheet, tmp_path):
    auth.login("chutich")
    assert draft_marks(client, tmp_path, sheet, "draft") == (True, True)
    for who, action, state in (("vhxh", "submit", "submitted"), ("tiepnhan", "review", "reviewed"),
                               (APPROVER, "accept", "accepted")):
        states.perform(user(who), sheet, action, sheet.version)
        assert sheet.state == state
        marked = state != "accepted"
        assert draft_marks(client, tmp_path, sheet, state) == (marked, marked), state
    live = pdf_text(download(client, f"/ranking/export.pdf?period={sheet.period_id}", tmp_path, "live.pdf")[0])
    assert "DỰ THẢO" in live  # the live ranking stays a draft
