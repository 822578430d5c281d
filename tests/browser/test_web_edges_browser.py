"""The web edges in a real browser, with htmx doing what it does:

- the session ends while a page is open; the next htmx action lands on the sign-in page, and signing
  in brings the person back to that page (not to a POST-only URL);
- a refusal answering an htmx swap shows as a message in the page's message area, the page intact;
- a page where someone else acts next says who.
"""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from workflow.extensions import db
from workflow.items import services, states
from workflow.models import Evidence, ReportingPeriod, Task, TaskResult, User

from ..items_support import ready

PERIOD = "Quý III/2025"


def _user(name):
    return db.session.scalar(select(User).where(User.username == name))


@pytest.fixture
def item_7d(live_server):
    with live_server.app.app_context():
        period = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.name == PERIOD))
        services.open_period(_user("admin"), period)
        item_id = db.session.scalar(select(TaskResult.id).join(Task)
                                    .where(Task.code == "7.d", TaskResult.period_id == period.id))
        db.session.remove()
    return item_id


def test_expired_session_during_an_htmx_action_returns_to_the_page(live_server, item_7d, page, login):
    login(page, live_server, "ttpvhcc")
    item_url = f"{live_server.url}/items/task-result/{item_7d}"
    page.goto(item_url)
    page.context.clear_cookies()  # the session ends (logout elsewhere, expiry) while the page is open
    page.locator("#panel").get_by_role("button", name="Gửi", exact=True).click()
    page.wait_for_url(re.compile(r"/login\?next="))
    expect(page.get_by_text("Vui lòng đăng nhập để tiếp tục.")).to_be_visible()
    page.get_by_label("Tên đăng nhập").fill("ttpvhcc")
    page.get_by_label("Mật khẩu").fill("PhuLien@2025")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(item_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("7.d.")
    with live_server.app.app_context():
        assert db.session.get(TaskResult, item_7d).is_draft  # the action did not happen without a session
        db.session.remove()


def test_a_refusal_to_an_htmx_swap_shows_in_the_message_area(live_server, item_7d, page, login, tmp_path):
    login(page, live_server, "ttpvhcc")
    page.goto(f"{live_server.url}/items/task-result/{item_7d}")
    upload = tmp_path / "anh.png"
    upload.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    page.locator("#evidence-file").set_input_files(str(upload))
    page.get_by_role("button", name="Đính kèm").click()
    delete = page.get_by_role("button", name=re.compile("^Xóa tệp"))
    expect(delete).to_be_visible()
    with live_server.app.app_context():  # someone else removes the file meanwhile
        db.session.execute(Evidence.__table__.delete())
        db.session.commit()
        db.session.remove()
    page.once("dialog", lambda dialog: dialog.accept())
    delete.click()
    expect(page.locator("#messages [role=alert]")).to_contain_text("Không tìm thấy")
    expect(page.locator("#evidence")).to_be_visible()  # the section is still there, not replaced by a page
    assert page.locator("#evidence html, #panel html").count() == 0


def test_the_item_page_says_who_acts_next(live_server, item_7d, page, login):
    with live_server.app.app_context():
        item = db.session.get(TaskResult, item_7d)
        states.perform(_user("ttpvhcc"), ready(item), "submit", item.version)
        db.session.remove()
    login(page, live_server, "chutich")
    page.goto(f"{live_server.url}/items/task-result/{item_7d}")
    expect(page.locator("#panel")).to_contain_text(
        re.compile(r"Đang chờ bước “Thẩm định đạt” của người có vai trò Thẩm định:\s+Nguyễn Thị Thẩm Định\."))
