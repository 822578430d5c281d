"""Nominations for commendation and the decision through the real pages, with the demo accounts only
(CSRF on, Chromium): KTHTDT nominates an individual and sends it; the reviewer (thamdinh) agrees to it and
marks it appraised, and returns VHXH's nomination with a reason; the VP office (tiepnhan) takes KTHTDT's into
the consolidated list; VHXH's reviewer makes the Quyết định khen thưởng from it and VHXH's officer sends it;
the VP office checks it; the chairman (chutich) approves and signs it from his queue and the register gives it
01/QĐ-UBND; the decision's PDF lists the person (pdftotext); /cong-khai, signed out, shows the person's name
and achievement and nothing of the returned nomination."""
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
    expect(panel(reviewer)).to_contain_text("Chờ Văn phòng tổng hợp")
    expect(panel(reviewer)).not_to_contain_text("Gửi muộn")
    reviewer.goto(f"{live_server.url}/items/nomination/{approved_sheet}")
    reviewer.locator("#panel details.reason-form summary", has_text="Trả lại").click()
    form = reviewer.locator("#panel details.reason-form form")
    form.get_by_label("Lý do trả lại").fill(REASON)
    form.get_by_role("button", name="Trả lại").click()
    expect(panel(reviewer)).to_contain_text(REASON)

    # -- The VP office takes it into the consolidated list from "Chờ tiếp nhận" (the chairman cannot).
    clerk = new_context().new_page()
    login(clerk, live_server, "tiepnhan")
    clerk.get_by_role("navigation", name="Chính").get_by_role("link", name="Chờ tiếp nhận").click()
    clerk.locator(f"a[href$='{item_url.removeprefix(live_server.url)}']").first.click()
    clerk.wait_for_url(item_url)
    clerk.get_by_role("button", name="Tiếp nhận, tổng hợp", exact=True).click()
    expect(panel(clerk)).to_contain_text("Đã tổng hợp")

    # -- VHXH's reviewer makes the decision from the consolidated list; VHXH's officer sends it.
    reviewer.get_by_role("navigation", name="Chính").get_by_role("link", name="Khen thưởng").click()
    reviewer.get_by_role("button", name="Lập quyết định khen thưởng từ các đề nghị đã tổng hợp").click()
    reviewer.wait_for_url(re.compile(r"/items/commendation/\d+$"))
    decision_url = reviewer.url
    expect(reviewer.locator("#decision-rows")).to_contain_text(NAME)
    expect(reviewer.locator("#decision-rows")).not_to_contain_text(RETURNED_NAME)
    officer = new_context().new_page()
    login(officer, live_server, "vhxh")
    officer.goto(decision_url)
    officer.get_by_role("button", name="Cập nhật và gửi").click()
    expect(panel(officer)).to_contain_text("Chờ thẩm tra")

    # -- The VP office checks it; the chairman approves and signs it from his queue.
    clerk.goto(decision_url)
    clerk.get_by_role("button", name="Thẩm tra đạt", exact=True).click()
    expect(panel(clerk)).to_contain_text("Chờ Chủ tịch ký")
    chairman = new_context().new_page()
    login(chairman, live_server, "chutich")
    chairman.get_by_role("navigation", name="Chính").get_by_role("link", name="Chờ ký").click()
    chairman.locator(f"a[href$='{decision_url.removeprefix(live_server.url)}']").first.click()
    chairman.wait_for_url(decision_url)
    chairman.get_by_role("button", name="Phê duyệt, ký ban hành", exact=True).click()
    expect(panel(chairman)).to_contain_text("Đã ban hành")
    expect(chairman.locator("main")).to_contain_text("01/QĐ-UBND")
    chairman.screenshot(path=str(tmp_path / "2-signed.png"), full_page=True)

    # -- The decision's PDF lists the person, with its number.
    with chairman.expect_download() as download:
        chairman.get_by_role("link", name="Tải PDF quyết định khen thưởng").click()
    pdf = tmp_path / "quyet-dinh.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "QUYẾT ĐỊNH" in text and "Số: 01/QĐ-UBND" in flat and "Điều 1." in text and "DỰ THẢO" not in text
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
