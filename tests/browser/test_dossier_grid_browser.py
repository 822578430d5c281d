"""Biểu II.06a as a grid and a send refused as incomplete, in Chromium (--lang=en-US):

- typing a count updates the row's total, its check and the column sums from one request to the
  server, with no page load (the typed cell keeps the focus);
- "Thêm dòng" adds a row without saving, and what was typed stays;
- "Gửi" on an empty report keeps the draft and marks every gap beside its field.
"""
from playwright.sync_api import expect

from workflow.models import UnitReport

from .test_data_entry_browser import english_page, opened, stored  # noqa: F401 - fixtures reused


def test_typing_updates_the_totals_in_one_request_without_a_reload(live_server, opened, english_page, login):
    page, (_, report_id) = english_page, opened
    login(page, live_server, "ttpvhcc")
    page.goto(f"{live_server.url}/items/unit-report/{report_id}")
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads
    grid_requests = []
    page.on("request", lambda r: grid_requests.append(r) if r.url.endswith(f"/{report_id}/dossier") else None)
    online = page.get_by_label("Tiếp nhận, trực tuyến, dòng 1")
    online.fill("1.080")
    expect(page.locator("#dossier-0-received_total")).to_have_text("1.080")
    expect(page.locator("#dossier-sum-received_total")).to_have_text("1.080")
    expect(page.locator("#dossier-0-check")).to_contain_text("phải bằng đã giải quyết + đang giải quyết = 0")
    assert len(grid_requests) == 1 and grid_requests[0].headers.get("hx-request") == "true"
    page.get_by_label("Đã giải quyết, đúng hạn, dòng 1").fill("1.080")
    expect(page.locator("#dossier-0-check")).to_have_text("✓ Khớp")
    expect(page.locator("#dossier-0-resolved_total")).to_have_text("1.080")
    assert len(grid_requests) == 2
    assert page.evaluate("window.__sameDocument") is True
    expect(page.get_by_label("Đã giải quyết, đúng hạn, dòng 1")).to_be_focused()
    assert stored(live_server, UnitReport, report_id).version == 1  # typing saves nothing

    rows = page.locator("#dossier-body tr")
    before = rows.count()
    page.get_by_role("button", name="Thêm dòng").click()
    expect(rows).to_have_count(before + 1)
    expect(online).to_have_value("1.080")
    assert page.evaluate("window.__sameDocument") is True


def test_an_empty_send_keeps_the_draft_and_marks_each_gap(live_server, opened, english_page, login):
    page, (_, report_id) = english_page, opened
    login(page, live_server, "ttpvhcc")
    page.goto(f"{live_server.url}/items/unit-report/{report_id}")
    page.get_by_label("Tồn tại, hạn chế").fill("Còn hồ sơ trễ hẹn.")
    page.locator("#panel").get_by_role("button", name="Gửi", exact=True).click()
    expect(page.get_by_role("alert").filter(has_text="Đã lưu dự thảo nhưng chưa gửi")).to_be_visible()
    expect(page.locator("#panel .state").first).to_have_text("Dự thảo")
    expect(page.locator("ul.errors", has_text="Vui lòng ghi kết quả chỉ tiêu.")).to_have_count(3)
    expect(page.get_by_label("Tồn tại, hạn chế")).to_have_value("Còn hồ sơ trễ hẹn.")
    saved = stored(live_server, UnitReport, report_id)
    assert (saved.state, saved.limitations) == ("draft", "Còn hồ sơ trễ hẹn.")
