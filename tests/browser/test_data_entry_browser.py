"""Data entry a unit can trust, in a Chromium started with --lang=en-US (so the browser's language is
shown not to matter):

- the panel's "Gửi" sends what is on the screen, typed a moment ago and not yet saved;
- "95,5" is 95.5: stored so, shown "95,5" on the page and in the PDF;
- 15/08/2025 stays 15/08/2025 through a save and a reload, and the calendar writes dd/mm/yyyy;
- two paragraphs stay two paragraphs, on the page and in the PDF (read back with pdftotext);
- leaving a form with unsaved changes asks first.
"""
import re
import subprocess
from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from workflow.extensions import db
from workflow.items import services
from workflow.models import ReportingPeriod, Task, TaskResult, UnitReport, User

PERIOD = "Quý III/2025"
FIRST, SECOND = "Đã rà soát 12 quy trình ISO 9001:2015.", "Hoàn thành đánh giá nội bộ ngày 20/09."


@pytest.fixture
def english_page(browser_type, browser_type_launch_args):
    """A page of its own Chromium, in American English (dates month first, decimal point)."""
    args = [*browser_type_launch_args.get("args", []), "--lang=en-US"]
    browser = browser_type.launch(**{**browser_type_launch_args, "args": args})
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()
    browser.close()


@pytest.fixture
def opened(live_server):
    """Quý III/2025 opened; the ids of 7.d's task result and of TTPVHCC's report."""
    with live_server.app.app_context():
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        period = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.name == PERIOD))
        services.open_period(admin, period)
        result = db.session.scalar(select(TaskResult.id).join(Task).where(Task.code == "7.d",
                                                                           TaskResult.period_id == period.id))
        unit = db.session.scalar(select(User).where(User.username == "ttpvhcc")).unit_id
        report = db.session.scalar(select(UnitReport.id).where(UnitReport.unit_id == unit,
                                                               UnitReport.period_id == period.id))
        db.session.remove()
    return result, report


def stored(live_server, model, item_id):
    with live_server.app.app_context():
        item = db.session.get(model, item_id)
        db.session.expunge(item)
        db.session.remove()
    return item


def pdf_text(page, url, tmp_path):
    path = tmp_path / "doc.pdf"
    path.write_bytes(page.request.get(url).body())
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_panel_send_sends_what_was_just_typed(live_server, opened, english_page, login):
    page, (result_id, _) = english_page, opened
    login(page, live_server, "ttpvhcc")
    page.goto(f"{live_server.url}/items/task-result/{result_id}")
    page.get_by_label("Tình trạng thực hiện").select_option(label="Đang thực hiện")
    page.get_by_label("Tiến độ (%)").fill("60")
    page.get_by_label("Kết quả thực hiện").fill(f"{FIRST}\n\n{SECOND}")
    expect(page.locator("#unsaved")).to_be_visible()  # says there are unsaved changes
    page.locator("#panel").get_by_role("button", name="Gửi", exact=True).click()
    expect(page.locator("#panel .state").first).to_have_text("Đã gửi")
    expect(page.get_by_role("status").filter(has_text="Đã lưu và gửi.")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Đã lưu dự thảo.")).to_have_count(0)
    sent = stored(live_server, TaskResult, result_id)
    assert (sent.state, sent.work_status, sent.progress, sent.done_text, sent.version) == (
        "submitted", "in_progress", 60, f"{FIRST}\n\n{SECOND}", 2)
    paragraphs = page.locator("#item-body dd p")
    expect(paragraphs.filter(has_text=FIRST)).to_have_count(1)
    expect(paragraphs.filter(has_text=SECOND)).to_have_count(1)  # two paragraphs, not one run of text


def test_decimal_comma_and_paragraphs_reach_the_page_and_the_pdf(live_server, opened, english_page, login,
                                                                 tmp_path):
    page, (_, report_id) = english_page, opened
    login(page, live_server, "ttpvhcc")
    page.goto(f"{live_server.url}/items/unit-report/{report_id}")
    page.get_by_label("Tỷ lệ hài lòng (%)").fill("95,5")
    page.get_by_label("3. Cải cách thủ tục hành chính").fill(f"{FIRST}\n\n{SECOND}")
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.get_by_role("status").filter(has_text="Đã lưu dự thảo.")).to_be_visible()
    expect(page.get_by_label("Tỷ lệ hài lòng (%)")).to_have_value("95,5")
    assert stored(live_server, UnitReport, report_id).satisfaction_rate == 95.5
    text = pdf_text(page, f"{live_server.url}/documents/unit-report/{report_id}.pdf", tmp_path)
    assert "95,5%" in text and "95.5" not in text
    lines = [line.strip() for line in text.splitlines()]
    first = next(i for i, line in enumerate(lines) if line.startswith("Đã rà soát 12 quy trình"))
    assert lines[first + 1] == "" or lines[first + 1].startswith("Hoàn thành đánh giá"), lines[first:first + 3]
    assert not lines[first].endswith(SECOND)  # the second paragraph starts a line of its own


def test_a_day_first_date_survives_an_english_browser(live_server, opened, english_page, login):
    page, (result_id, _) = english_page, opened
    login(page, live_server, "ttpvhcc")
    page.goto(f"{live_server.url}/items/task-result/{result_id}")
    page.get_by_label("Tình trạng thực hiện").select_option(label="Hoàn thành")
    page.get_by_label("Tiến độ (%)").fill("100")
    page.get_by_label("Kết quả thực hiện").fill(FIRST)
    page.get_by_label("Ngày hoàn thành").fill("15/08/2025")
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.get_by_role("status").filter(has_text="Đã lưu dự thảo.")).to_be_visible()
    page.reload()
    expect(page.get_by_label("Ngày hoàn thành")).to_have_value("15/08/2025")
    assert stored(live_server, TaskResult, result_id).completed_on == date(2025, 8, 15)
    # The calendar only picks a day; the field gets dd/mm/yyyy.
    page.locator("input.date-picker").first.fill("2025-08-16", force=True)
    expect(page.get_by_label("Ngày hoàn thành")).to_have_value("16/08/2025")


def test_leaving_a_form_with_unsaved_changes_asks_first(live_server, opened, english_page, login):
    page, (result_id, _) = english_page, opened
    login(page, live_server, "ttpvhcc")
    item_url = f"{live_server.url}/items/task-result/{result_id}"
    page.goto(item_url)
    page.get_by_label("Kết quả thực hiện").fill("Chưa lưu")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.get_by_role("navigation", name="Chính").get_by_role("link", name="Nhiệm vụ").click()
    page.wait_for_timeout(300)
    assert asked == ["confirm"] and page.url == item_url
    expect(page.get_by_label("Kết quả thực hiện")).to_have_value("Chưa lưu")
    page.once("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.evaluate("location.href = '/tasks'")  # a real unload
    page.wait_for_timeout(500)
    assert asked[-1] == "beforeunload" and re.search(r"/items/task-result/\d+$", page.url)
