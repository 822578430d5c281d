"""Nominations for commendation through the real pages, with the demo accounts only (CSRF on, Chromium):
KTHTDT nominates an individual and sends it; the reviewer (thamdinh) agrees to it and marks it appraised, and
returns VHXH's nomination with a reason; the VP office (tiepnhan) may send it back but not approve it; the
chairman (chutich) approves it from his queue; the draft Quyết định khen thưởng downloaded from
"Khen thưởng" lists the person (pdftotext); /cong-khai, signed out, shows the person's name and
achievement and nothing of the returned nomination."""
import re
import subprocess

import pytest
from playwright.sync_api import expect

from workflow.extensions import db
from workflow.items.services import open_period
from workflow.items.states import perform
from workflow.nominations import services
from workflow.plan.queries import current_plan
from workflow.seed.scoring import load_default_scheme

from ..ranking_data import Q3, period, user
from ..test_public_commended import sheet

NAME, POSITION = "Đỗ Thị Khen Thưởng", "Chuyên viên Phòng Kinh tế"
ACHIEVEMENT = "Số hóa toàn bộ hồ sơ đất đai tồn đọng, rút ngắn thời gian giải quyết còn 3 ngày"
RETURNED_NAME, RETURNED_ACHIEVEMENT = "Lê Văn Bị Trả", "Thành tích chưa có minh chứng"
REASON = "Chưa có minh chứng về thành tích."


@pytest.fixture
def approved_sheet(live_server):
    """Both periods opened under the default scheme; Quý III/2025's ranking sheet made by VHXH, checked by the
    VP office and approved by the chairman; VHXH's own nomination sent (the reviewer returns it in the test).
    Returns the id of VHXH's nomination."""
    with live_server.app.app_context():
        plan = current_plan()
        load_default_scheme(plan)
        for each in plan.periods:
            open_period(user("admin"), each)
        sheet(period(Q3))
        officer = user("vhxh")
        item = services.open_for(officer, period(Q3))
        services.save_entries(officer, item, [services.EntryData("individual", RETURNED_NAME, "Công chức",
                                                                 RETURNED_ACHIEVEMENT, "")], item.version)
        perform(officer, item, "submit", item.version)
        found = item.id
        db.session.remove()
    return found


def panel(page):
    return page.locator("#panel")


def test_nominate_appraise_approve_decide_and_publish(live_server, page, login, new_context, tmp_path, approved_sheet):
    # -- KTHTDT nominates one of its officers and sends it.
    login(page, live_server, "kthtdt")
    page.get_by_role("navigation", name="Chính").get_by_role("link", name="Khen thưởng").click()
    page.get_by_role("button", name="Lập đề nghị khen thưởng của đơn vị").click()
    page.wait_for_url(re.compile(r"/items/nomination/\d+$"))
    item_url = page.url
    page.get_by_label("Loại").select_option(label="Cá nhân")
    page.get_by_label("Tên tập thể / Họ và tên").fill(NAME)
    page.get_by_label("Chức vụ (cá nhân)").fill(POSITION)
    page.get_by_label("Thành tích trong công tác CCHC").fill(ACHIEVEMENT)
    page.get_by_label("Minh chứng").first.fill("Báo cáo kết quả số hóa quý III")
    page.get_by_role("button", name="Lưu và gửi").click()
    expect(panel(page)).to_contain_text("Chờ thẩm định")
    page.screenshot(path=str(tmp_path / "1-sent.png"), full_page=True)

    # -- The reviewer agrees from the "Chờ thẩm định" queue, and returns VHXH's nomination with a reason.
    reviewer = new_context().new_page()
    login(reviewer, live_server, "thamdinh")
    reviewer.get_by_role("navigation", name="Chính").get_by_role("link", name="Chờ thẩm định").click()
    reviewer.locator(f"a[href$='{item_url.removeprefix(live_server.url)}']").first.click()
    reviewer.wait_for_url(item_url)
    reviewer.get_by_label(f"Thẩm định: {NAME}", exact=True).select_option(label="Đồng ý")
    reviewer.get_by_role("button", name="Lưu và thẩm định đạt").click()
    expect(panel(reviewer)).to_contain_text("Chờ Chủ tịch phê duyệt")
    reviewer.goto(f"{live_server.url}/items/nomination/{approved_sheet}")
    reviewer.locator("#panel details.reason-form summary", has_text="Trả lại").click()
    form = reviewer.locator("#panel details.reason-form form")
    form.get_by_label("Lý do trả lại").fill(REASON)
    form.get_by_role("button", name="Trả lại").click()
    expect(panel(reviewer)).to_contain_text(REASON)

    # -- The VP office checks: it may send it back, it may not approve.
    clerk = new_context().new_page()
    login(clerk, live_server, "tiepnhan")
    clerk.goto(item_url)
    expect(panel(clerk)).to_contain_text("Chờ Chủ tịch phê duyệt")
    expect(panel(clerk).locator("summary", has_text="Trả lại")).to_have_count(1)
    expect(panel(clerk).get_by_role("button", name="Phê duyệt", exact=True)).to_have_count(0)

    # -- The chairman approves from his queue.
    chairman = new_context().new_page()
    login(chairman, live_server, "chutich")
    chairman.get_by_role("navigation", name="Chính").get_by_role("link", name="Chờ ký").click()
    chairman.locator(f"a[href$='{item_url.removeprefix(live_server.url)}']").first.click()
    chairman.wait_for_url(item_url)
    chairman.get_by_role("button", name="Phê duyệt", exact=True).click()
    expect(panel(chairman)).to_contain_text("Đã phê duyệt")
    chairman.screenshot(path=str(tmp_path / "2-approved.png"), full_page=True)

    # -- The draft decision lists the person.
    chairman.get_by_role("navigation", name="Chính").get_by_role("link", name="Khen thưởng").click()
    with chairman.expect_download() as download:
        chairman.get_by_role("link", name=re.compile("Dự thảo Quyết định khen thưởng")).click()
    pdf = tmp_path / "quyet-dinh.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "QUYẾT ĐỊNH" in text and "DỰ THẢO" in text and "Điều 1." in text and "/QĐ-UBND" in text
    assert NAME in flat and POSITION in flat and "Số hóa toàn bộ hồ sơ đất đai" in flat
    assert RETURNED_NAME not in flat

    # -- The public page, signed out: the name and the achievement, nothing of the returned nomination.
    public = new_context().new_page()
    public.goto(f"{live_server.url}/cong-khai")
    table = public.locator("#commended")
    expect(table).to_contain_text(NAME)
    expect(table).to_contain_text(ACHIEVEMENT)
    body = public.locator("body").inner_text()
    assert RETURNED_NAME not in body and RETURNED_ACHIEVEMENT not in body and REASON not in body
    assert POSITION not in body  # nothing about the officer beyond the name and the achievement
    public.screenshot(path=str(tmp_path / "3-public.png"), full_page=True)
