"""Login, small screens, and the task list without JavaScript, in a real browser."""
import re

import pytest
from playwright.sync_api import expect

from tests.conftest import ROLE_USERS

WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."
# The elements wider than the viewport, to say what overflows when the page scrolls sideways.
TOO_WIDE = """(width) => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > width + 0.5)
  .map(e => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className ? '.' + e.className : ''}`
            + ` (right edge ${Math.round(e.getBoundingClientRect().right)} px)`)"""


def submit_login(page, live_server, username, password):
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/login")) as posted:
        page.get_by_role("button", name="Đăng nhập").click()
    return posted.value


def test_wrong_password_shows_the_message_and_stays_on_login(page, live_server):
    response = submit_login(page, live_server, "vhxh", "not-the-password")
    assert response.status == 401
    expect(page.get_by_role("alert")).to_have_text(WRONG, timeout=2000)
    expect(page).to_have_url(f"{live_server.url}/login")


def test_wrong_password_without_javascript_shows_the_message(new_context, live_server):
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    response = submit_login(page, live_server, "vhxh", "not-the-password")
    assert response.status == 401
    expect(page.get_by_role("alert")).to_have_text(WRONG)
    expect(page).to_have_url(f"{live_server.url}/login")
    expect(page.get_by_label("Tên đăng nhập")).to_have_value("vhxh")


def test_empty_login_shows_field_messages(page, live_server):
    response = submit_login(page, live_server, "", "")
    assert response.status == 422
    expect(page.locator("#username-errors")).to_have_text("Vui lòng nhập tên đăng nhập.")
    expect(page.locator("#password-errors")).to_have_text("Vui lòng nhập mật khẩu.")
    expect(page).to_have_url(f"{live_server.url}/login")


def test_logout_is_a_boosted_post_that_carries_csrf(page, live_server, login):
    login(page, live_server, "vhxh")
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("status")).to_have_text("Bạn đã đăng xuất.")
    expect(page).to_have_url(f"{live_server.url}/login")


@pytest.mark.parametrize("path", ["/login", "/tasks"])
def test_no_horizontal_scroll_at_360px(new_context, live_server, login, path):
    context = new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    if path != "/login":
        login(page, live_server, "vhxh")
    page.goto(live_server.url + path)
    expect(page.locator("main h1")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{path} is {width} px wide; too wide: {page.evaluate(TOO_WIDE, 360)}"


def test_task_filter_works_without_javascript(new_context, live_server, login):
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    login(page, live_server, ROLE_USERS["vhxh"])
    page.goto(f"{live_server.url}/tasks")
    rows = page.locator("#task-rows tbody tr")
    expect(rows).to_have_count(25)

    page.get_by_role("searchbox", name="Tìm kiếm").fill("CNTT")
    with page.expect_navigation(url=re.compile(r"/tasks\?(.*&)?q=CNTT(&|$)")):
        page.get_by_role("button", name="Lọc").click()

    expect(page.locator("#task-rows tbody tr td:first-child")).to_have_text(["3.d", "5.đ", "7.a"])
    expect(page.get_by_role("searchbox", name="Tìm kiếm")).to_have_value("CNTT")
