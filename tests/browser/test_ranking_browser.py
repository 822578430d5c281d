"""The ranking in a real browser: the scope select swaps the table (htmx) and the URL follows; the
scheme editor posts with its CSRF token, answers 422 beside the field, then saves version 2; no
sideways scrolling on a 360 px phone."""
import re

import pytest
from playwright.sync_api import expect

from workflow.plan.queries import current_plan
from workflow.seed.scoring import load_default_scheme

from .test_pages import TOO_WIDE


@pytest.fixture
def ranked(live_server):
    with live_server.app.app_context():
        load_default_scheme(current_plan())
    return live_server


def test_scope_select_swaps_the_table_and_the_unit_page_explains(page, ranked, login):
    login(page, ranked, "chutich")
    page.get_by_role("link", name="Xếp hạng").click()
    expect(page.locator("#ranking")).to_contain_text("Phạm vi: Cả kế hoạch")
    # A boosted page is swapped in before htmx wires up its elements: wait for that before using them.
    expect(page.locator("main")).not_to_have_class(re.compile(r"\bhtmx-added\b"))
    with page.expect_response(lambda r: "period=" in r.url) as swapped:
        page.get_by_label("Phạm vi").select_option(label="Quý III/2025")
    assert swapped.value.headers.get("vary", "").find("HX-Request") >= 0
    expect(page.locator("#ranking")).to_contain_text("Phạm vi: Quý III/2025")
    expect(page).to_have_url(f"{ranked.url}/ranking?period=1")
    page.get_by_role("link", name="TTPVHCC – Trung tâm phục vụ hành chính công phường").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trung tâm phục vụ hành chính công phường")
    expect(page.locator("tfoot")).to_contain_text("Tổng cộng")


def test_scheme_editor_refuses_then_saves(page, ranked, login):
    login(page, ranked, "thamdinh")
    page.goto(f"{ranked.url}/ranking/scheme")
    page.locator("#criteria-0-max_points").fill("35")
    page.get_by_role("button", name="Lưu thành phiên bản mới").click()
    expect(page.locator("#criteria-0-max_points-errors")).to_contain_text("phải bằng 100. Hiện là 95")
    page.locator("#criteria-2-max_points").fill("20")
    page.locator("#note").fill("Tăng trọng số chất lượng báo cáo")
    page.get_by_role("button", name="Lưu thành phiên bản mới").click()
    expect(page.get_by_role("status")).to_contain_text("Đã lưu bộ tiêu chí phiên bản 2")
    expect(page.locator("main")).to_contain_text("Phiên bản 2 đang áp dụng")
    expect(page.locator("main")).to_contain_text("Tăng trọng số chất lượng báo cáo")


@pytest.mark.parametrize("path", ["/ranking", "/ranking/5", "/ranking/scheme"])
def test_no_horizontal_scroll_at_360px(new_context, ranked, login, path):
    page = new_context(viewport={"width": 360, "height": 740}).new_page()
    login(page, ranked, "thamdinh")
    page.goto(f"{ranked.url}{path}")
    assert page.evaluate(TOO_WIDE, 360) == []


def test_a_proposal_for_the_running_period_is_approved_by_the_chairman(page, ranked, login, new_context):
    """VHXH's reviewer proposes version 2 for the running Quý III from the scheme page (with a reason), the
    proposal page lists the units whose rank would change; the chairman approves it on the same page."""
    with ranked.app.app_context():
        from tests.ranking_data import Q3, finish, period, user
        from tests.test_ranking_sheet import new_weights
        from workflow.items.services import open_period
        from datetime import date
        plan = current_plan()
        open_period(user("admin"), period(Q3))
        finish("1.a", Q3, "done", date(2025, 7, 25))  # VHXH leads on tasks: weights on tasks move it
        new_weights(plan, tasks=10, targets=40)
    login(page, ranked, "thamdinh")
    page.goto(f"{ranked.url}/ranking/scheme")
    expect(page.locator("#running-periods")).to_contain_text("Quý III/2025: đang xếp hạng theo phiên bản 1")
    page.locator("#running-periods textarea").fill("Thống nhất trọng số mới từ Quý III")
    page.get_by_role("button", name="Đề nghị áp dụng cho kỳ đang chạy").click()
    expect(page.get_by_role("status")).to_contain_text("chờ Chủ tịch phê duyệt")
    expect(page.locator("#rank-changes")).to_be_visible()
    proposal_url = page.url
    page = login(new_context().new_page(), ranked, "chutich")
    page.goto(proposal_url)
    expect(page.locator("main")).to_contain_text("Thống nhất trọng số mới từ Quý III")
    page.get_by_role("button", name="Phê duyệt").click()
    expect(page.locator("main")).to_contain_text("Đã phê duyệt, đang áp dụng")
    page.goto(f"{ranked.url}/ranking?period=1")
    expect(page.locator("#ranking")).to_contain_text("Bộ tiêu chí phiên bản 2")
