"""VHXH appraises a unit's self-assessment in a real browser, and the ranking and its two files follow.

What it proves, end to end (CSRF on, Chromium):
- the reviewer opens TTPVHCC's submitted self-assessment from "Chờ thẩm định" and gives the criterion
  "Nhiệm vụ chủ trì hoàn thành đúng hạn" 25 points instead of the unit's 40: without a reason
  "Lưu và thẩm định đạt" saves the score but does not move the item on (it stays "Đã gửi", with the message
  why); with a reason it becomes "Đã thẩm định";
- the ranking for Quý III/2025 shows TTPVHCC's appraised total in "Thẩm định" and as its "Điểm xếp hạng",
  marked "thẩm định" (every other unit by its computed score), and the unit's page shows the reason;
- "Tải PDF" and "Tải Excel", downloaded from that page and read back (pdftotext -layout, openpyxl), hold the
  same rows in the same order as the browser's table with the same computed, appraised and final scores.

The quarter gets the realistic mix of tests/ranking_data.py (on time, late, not done, ...) so the units have
different scores and the order of the rows means something.
"""
import re
import subprocess
import unicodedata

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from workflow.extensions import db
from workflow.items.services import open_period
from workflow.plan.queries import current_plan
from workflow.seed.scoring import load_default_scheme

from ..ranking_data import Q3, period, realistic_mix, unit, user
from ..test_self_assessment import submitted

UNIT = "TTPVHCC"
UNIT_LINK = "TTPVHCC – Trung tâm phục vụ hành chính công phường"
CRITERION = "Nhiệm vụ chủ trì hoàn thành đúng hạn"
SELF_POINTS, APPRAISED_POINTS = 40, 25
REASON = "Nhiệm vụ 3.b hoàn thành trễ hạn so với kế hoạch."
REFUSED = f"Điểm thẩm định tiêu chí “{CRITERION}” khác điểm tự chấm: vui lòng nêu lý do"
SCORE_TITLES = ("Tính tự động", "Tự đánh giá", "Thẩm định", "Điểm xếp hạng")  # the last columns but Xếp loại
FIGURE = r"-?\d+,\d{2}|—"  # a score as the page and the PDF write it, or none
PDF_ROW = re.compile(r"^\s*(\d+)\s+(\S.*?)\s{2,}(?:-?\d+,\d{2})")  # rank, the first line of the unit's name, ...


@pytest.fixture
def sent(live_server):
    """The plan's periods opened under the default scheme with a realistic quarter; TTPVHCC's self-assessment
    of Quý III/2025 submitted with 40 points (more than computed, explained) for the tasks it leads.
    Returns (item id, period id)."""
    with live_server.app.app_context():
        plan = current_plan()
        load_default_scheme(plan)
        for each in plan.periods:
            open_period(user("admin"), each)
        realistic_mix()
        item = submitted(UNIT, {"tasks": SELF_POINTS}, {"tasks": "Đã hoàn thành các nhiệm vụ chủ trì."})
        ids = item.id, period(Q3).id
        assert item.state == "submitted" and unit(UNIT).id == item.unit_id
        db.session.remove()
    return ids


def cents(text):
    """"12,34" → 1234, "—" → None: hundredths, as the page and the PDF write them (decimal comma)."""
    if text == "—":
        return None
    whole, frac = text.split(",")
    return (-1 if whole.startswith("-") else 1) * (abs(int(whole)) * 100 + int(frac))


def browser_rows(page):
    """[{code, name, computed, appraised, final, basis}] of #ranking-table top to bottom; scores in hundredths."""
    rows = []
    for tr in page.locator("#ranking-table tbody tr").all():
        cells = [c.inner_text().strip() for c in tr.locator("td").all()]
        code, name = cells[1].splitlines()[0].split(" – ", 1)
        final, *_, basis = cells[6].splitlines()  # after the "Cơ sở" column (the items the score rests on)
        assert code == tr.get_attribute("data-unit")
        rows.append({"code": code, "name": name.removesuffix(" (*)").strip(), "computed": cents(cells[3]),
                     "appraised": cents(cells[5]), "final": cents(final.strip()), "basis": basis.strip()})
    return rows


def htmx_settled(page):
    """A boosted link swaps the new page in at once but htmx wires up its elements only in the settle step that
    follows, dropping the class htmx-added: wait for that before using what only htmx drives (the scope select
    posts nothing without it)."""
    expect(page.locator("main")).not_to_have_class(re.compile(r"\bhtmx-added\b"))


def download(page, link_name, tmp_path):
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path


def pdf_rows(path):
    """The ranking's rows in the PDF, from pdftotext -layout: each row's first line holds its rank, the start of
    the unit's name and every figure; the last four figures are SCORE_TITLES. [{name_start, scores}]."""
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    rows = []
    for line in unicodedata.normalize("NFC", text).splitlines():
        found = PDF_ROW.match(line)
        if found:
            figures = [cents(f) for f in re.findall(FIGURE, line)]
            name_start = re.split(r"\s{2,}", found.group(2))[0]  # the basis column ("1 nhiệm vụ, …") follows it
            rows.append({"name_start": name_start, "scores": dict(zip(SCORE_TITLES, figures[-4:]))})
    return rows


def xlsx_rows(path):
    """The workbook's rows under its "Hạng" header: [{code, scores (numbers or None), final_format}]."""
    sheet = load_workbook(path).active
    values = list(sheet.iter_rows())
    head = next(i for i, row in enumerate(values) if row[0].value == "Hạng")
    titles = [c.value for c in values[head]]
    columns = {title: titles.index(title) for title in SCORE_TITLES}
    rows = []
    for row in values[head + 1:]:
        if row[0].value is None:
            break
        final = row[columns["Điểm xếp hạng"]]
        rows.append({"code": row[1].value.split(" – ")[0], "final_format": final.number_format,
                     "scores": {title: row[col].value for title, col in columns.items()}})
    return rows


def same_number(value, hundredths):
    """A workbook cell (a number, or empty) against a figure shown in the browser, to 0.01."""
    if hundredths is None:
        return value is None
    return isinstance(value, (int, float)) and value == pytest.approx(hundredths / 100, abs=0.005)


def test_reviewer_appraises_with_a_reason_and_the_ranking_and_its_files_follow(page, live_server, sent, login,
                                                                                tmp_path):
    item_id, period_id = sent
    login(page, live_server, "thamdinh")

    # The queue lists the submitted self-assessment; open it.
    page.get_by_role("navigation", name="Chính").get_by_role("link", name="Chờ thẩm định").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chờ thẩm định")
    queued = page.locator("table.queue tbody tr", has_text=UNIT)
    queued.get_by_role("link", name=f"Tự đánh giá, chấm điểm CCHC {Q3}").click()
    expect(page).to_have_url(f"{live_server.url}/items/self-assessment/{item_id}")
    expect(page.locator("#panel")).to_contain_text("Đã gửi")
    expect(page.locator("#line-tasks")).to_contain_text("40,00")  # the unit's own score

    # A different score without a reason: the score is saved, the review step refused.
    points = page.get_by_label(f"Điểm thẩm định: {CRITERION}")
    points.fill(str(APPRAISED_POINTS))
    page.get_by_role("button", name="Lưu và thẩm định đạt").click()
    expect(page.get_by_role("status")).to_contain_text(REFUSED)
    expect(page.locator("#panel")).to_contain_text("Đã gửi")
    expect(points).to_have_value(re.compile(rf"^{APPRAISED_POINTS}(\.0+)?$"))

    # With the reason it passes.
    page.get_by_label(f"Lý do: {CRITERION}").fill(REASON)
    page.get_by_role("button", name="Lưu và thẩm định đạt").click()
    expect(page.get_by_role("status")).to_contain_text("Đã lưu điểm thẩm định và chuyển Văn phòng tiếp nhận")
    expect(page.locator("#panel")).to_contain_text("Đã thẩm định")
    expect(page.locator("#line-tasks")).to_contain_text(REASON)
    expect(page.locator("#line-tasks")).to_contain_text("25,00")

    # The quarter's ranking puts TTPVHCC at its appraised total.
    page.get_by_role("navigation", name="Chính").get_by_role("link", name="Xếp hạng").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xếp hạng thi đua cải cách hành chính")
    htmx_settled(page)
    with page.expect_response(lambda r: f"period={period_id}" in r.url):
        page.get_by_label("Phạm vi").select_option(label=Q3)
    expect(page.locator("#ranking")).to_contain_text(f"Phạm vi: {Q3}")
    expect(page).to_have_url(f"{live_server.url}/ranking?period={period_id}")
    shown = browser_rows(page)
    ours = next(row for row in shown if row["code"] == UNIT)
    assert ours["appraised"] is not None and ours["appraised"] != ours["computed"]
    assert ours["final"] == ours["appraised"] and ours["basis"] == "thẩm định"
    others = [row for row in shown if row["code"] != UNIT]
    assert len(others) == 4 and all(row["appraised"] is None and row["basis"] == "tính tự động" for row in others)
    assert all(row["final"] == row["computed"] for row in others)
    assert [row["final"] for row in shown] == sorted((row["final"] for row in shown), reverse=True)
    assert len({row["final"] for row in shown}) > 2  # the mix gives the units different scores

    # The files hold the same rows in the same order, with the same figures.
    in_pdf = pdf_rows(download(page, "Tải PDF", tmp_path))
    in_xlsx = xlsx_rows(download(page, "Tải Excel", tmp_path))
    assert len(in_pdf) == len(in_xlsx) == len(shown)
    for row, pdf_row, xlsx_row in zip(shown, in_pdf, in_xlsx):
        assert row["name"].startswith(pdf_row["name_start"]), (row, pdf_row)
        assert xlsx_row["code"] == row["code"]
        wanted = {"Tính tự động": row["computed"], "Thẩm định": row["appraised"], "Điểm xếp hạng": row["final"]}
        for title, hundredths in wanted.items():
            assert pdf_row["scores"][title] == hundredths, (row["code"], title, pdf_row)
            assert same_number(xlsx_row["scores"][title], hundredths), (row["code"], title, xlsx_row)
        assert ("(TĐ)" in xlsx_row["final_format"]) == (row["code"] == UNIT)  # the appraised final is marked

    # The unit's page gives the reason beside the appraised score.
    page.get_by_role("link", name=UNIT_LINK).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trung tâm phục vụ hành chính công phường")
    expect(page.locator("#part-tasks")).to_contain_text(REASON)
    expect(page.locator("#part-tasks")).to_contain_text("25,00")
