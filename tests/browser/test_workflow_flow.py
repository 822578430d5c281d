"""The whole approval workflow of one task result, through the real UI, by three people in three browsers.

ttpvhcc (TTPVHCC) fills 7.d for Quý III/2025, attaches a PDF and sends it; thamdinh returns it with a
reason; ttpvhcc corrects and resends; thamdinh sees what changed and approves; tiepnhan accepts.
After set-up the database is only read, to confirm what the pages show.
"""
import re

import pytest
import weasyprint
from playwright.sync_api import expect
from sqlalchemy import select

from workflow.extensions import db
from workflow.items import services
from workflow.models import ItemHistory, ReportingPeriod, Task, TaskResult, User

PERIOD = "Quý III/2025"
REASON = "Thiếu số liệu đánh giá nội bộ ISO quý III; đề nghị bổ sung."
FIRST_TEXT = "Đã rà soát quy trình ISO 9001:2015 tại bộ phận một cửa."
SECOND_TEXT = "Đã rà soát 12 quy trình ISO 9001:2015; hoàn thành đánh giá nội bộ ngày 20/09."


@pytest.fixture
def item_7d(live_server):
    """Quý III/2025 opened by the admin (the only set-up write); the id of 7.d's task result."""
    with live_server.app.app_context():
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        period = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.name == PERIOD))
        services.open_period(admin, period)
        item_id = db.session.scalar(select(TaskResult.id).join(Task)
                                    .where(Task.code == "7.d", TaskResult.period_id == period.id))
        db.session.remove()
    return item_id


@pytest.fixture
def evidence_pdf(tmp_path):
    path = tmp_path / "minh-chung-iso.pdf"
    weasyprint.HTML(string="<p>Minh chứng ISO</p>").write_pdf(path)
    return path


def stored(live_server, item_id):
    """(state, version, [history actions]) as the database has them."""
    with live_server.app.app_context():
        item = db.session.get(TaskResult, item_id)
        rows = db.session.scalars(select(ItemHistory.action).where(
            ItemHistory.item_kind == TaskResult.KIND, ItemHistory.item_id == item_id).order_by(ItemHistory.id)).all()
        found = (item.state, item.version, list(rows))
        db.session.remove()
    return found


def nav(page, name):
    page.get_by_role("navigation", name="Chính").get_by_role("link", name=name).click()


def item_link(page):
    return page.get_by_role("link", name=re.compile(r"^7\.d\. Duy trì áp dụng TCVN ISO 9001"))


def state_badge(page):
    return page.locator("#panel .state").first


def open_from_queue(page, queue_name, item_id):
    nav(page, queue_name)
    expect(page.get_by_role("heading", level=1)).to_contain_text(queue_name)
    item_link(page).click()
    expect(page).to_have_url(re.compile(rf"/items/task-result/{item_id}$"))


def panel_button(page, name):
    return page.locator("#panel").get_by_role("button", name=name, exact=True)


def return_form(page):
    """Open the "Trả lại" disclosure of the panel; the form inside it."""
    page.locator("#panel details.reason-form summary", has_text="Trả lại").click()
    return page.locator("#panel details.reason-form form")


def expect_read_only(page):
    """No edit form, no workflow button, no upload: the item is only to be read."""
    expect(state_badge(page)).to_have_text("Đã tiếp nhận")
    expect(page.locator("#panel")).to_contain_text("Hồ sơ chỉ đọc.")
    expect(page.get_by_role("button", name="Lưu dự thảo")).to_have_count(0)
    expect(page.locator("#item-body form")).to_have_count(0)
    expect(page.locator("#panel form")).to_have_count(0)
    expect(page.locator("#panel button, #panel summary")).to_have_count(0)
    expect(page.locator("#evidence form")).to_have_count(0)  # neither "Đính kèm" nor "Xóa"
    expect(page.locator("#item-body")).to_contain_text(SECOND_TEXT)
    expect(page.locator("#evidence")).to_contain_text("minh-chung-iso.pdf")


def expect_timeline(page, steps):
    timeline = page.locator("#timeline")
    expect(timeline.get_by_role("heading", name="Lịch sử xử lý")).to_be_visible()
    expect(timeline.locator("ol.timeline > li > strong")).to_have_text(steps)


def test_task_result_goes_from_draft_to_accepted_with_one_return(
        page, new_context, live_server, login, item_7d, evidence_pdf):
    item_id = item_7d
    officer = page

    # -- The officer fills the draft, attaches the evidence and sends it.
    login(officer, live_server, "ttpvhcc")
    nav(officer, "Việc của đơn vị")
    expect(officer).to_have_url(f"{live_server.url}/work")
    item_link(officer).click()
    expect(officer).to_have_url(f"{live_server.url}/items/task-result/{item_id}")
    expect(officer.get_by_role("heading", level=1)).to_contain_text("7.d.")
    expect(state_badge(officer)).to_have_text("Dự thảo")

    officer.get_by_label("Tình trạng thực hiện").select_option(label="Đang thực hiện")
    officer.get_by_label("Tiến độ (%)").fill("40")
    officer.get_by_label("Kết quả thực hiện").fill(FIRST_TEXT)
    officer.get_by_role("button", name="Lưu dự thảo").click()
    expect(officer.get_by_role("status").filter(has_text="Đã lưu dự thảo.")).to_be_visible()
    expect(officer.get_by_label("Tiến độ (%)")).to_have_value("40")
    expect(officer.get_by_label("Kết quả thực hiện")).to_have_value(FIRST_TEXT)

    officer.set_input_files("#evidence input[type=file][name=file]", evidence_pdf)
    officer.locator("#evidence").get_by_role("button", name="Đính kèm").click()
    expect(officer.locator("#evidence")).to_contain_text("Đã đính kèm “minh-chung-iso.pdf”.")
    expect(officer.locator("#evidence table")).to_contain_text("minh-chung-iso.pdf")

    officer.evaluate("window.__marker = 1")
    panel_button(officer, "Gửi").click()
    expect(state_badge(officer)).to_have_text("Đã gửi")
    expect(officer.locator("#item-body form")).to_have_count(0)  # the body came out of band, as a view
    expect(officer.locator("#item-body")).to_contain_text(FIRST_TEXT)
    expect(officer.locator("#evidence form")).to_have_count(0)  # and the evidence, without "Đính kèm"/"Xóa"
    expect(officer.locator("#evidence")).to_contain_text("minh-chung-iso.pdf")
    expect_timeline(officer, ["Gửi"])
    assert officer.evaluate("window.__marker") == 1, "sending reloaded the whole page instead of swapping #panel"

    # -- The reviewer is told, opens it from the queue and returns it with a reason.
    reviewer = new_context().new_page()
    login(reviewer, live_server, "thamdinh")
    expect(reviewer.get_by_role("navigation", name="Chính").locator(".count")).to_have_text("1")
    expect(reviewer.get_by_label("1 chưa đọc")).to_be_visible()
    open_from_queue(reviewer, "Chờ thẩm định", item_id)
    expect(state_badge(reviewer)).to_have_text("Đã gửi")
    expect(reviewer.locator("#evidence")).to_contain_text("minh-chung-iso.pdf")
    reviewer.evaluate("window.__marker = 2")
    form = return_form(reviewer)
    form.get_by_label("Lý do trả lại").fill(REASON)
    form.get_by_role("button", name="Trả lại").click()
    expect(state_badge(reviewer)).to_have_text("Dự thảo")
    expect(reviewer.locator("#panel")).to_contain_text(REASON)
    expect(reviewer.locator("#panel form[action*='/do/']")).to_have_count(0)  # no step left (a reminder may be)
    expect_timeline(reviewer, ["Gửi", "Trả lại"])
    assert reviewer.evaluate("window.__marker") == 2

    # -- The officer sees why, on the item and in the unit's work list, corrects and resends.
    officer.reload()
    expect(officer.locator("#panel .reason")).to_have_text(f"Lý do trả lại: {REASON}")
    expect(officer.locator("#timeline")).to_contain_text(f"Lý do: {REASON}")
    nav(officer, "Việc của đơn vị")
    returned = officer.locator("table.work tr", has=item_link(officer))
    expect(returned.locator(".reason")).to_have_text(f"Lý do trả lại: {REASON}")
    expect(returned.locator(".state-returned")).to_have_text("Bị trả lại")
    expect(officer.get_by_role("heading", name=re.compile("^Bị trả lại"))).to_contain_text("1")
    item_link(officer).click()
    expect(officer.get_by_label("Tiến độ (%)")).to_have_value("40")
    officer.get_by_label("Tiến độ (%)").fill("75")
    officer.get_by_label("Kết quả thực hiện").fill(SECOND_TEXT)
    officer.get_by_role("button", name="Lưu dự thảo").click()
    expect(officer.get_by_role("status").filter(has_text="Đã lưu dự thảo.")).to_be_visible()
    expect(officer.get_by_label("Tiến độ (%)")).to_have_value("75")
    panel_button(officer, "Gửi").click()
    expect(state_badge(officer)).to_have_text("Đã gửi")
    expect(officer.locator("#panel .reason")).to_have_count(0)  # the reason goes once it is sent again
    expect_timeline(officer, ["Gửi", "Trả lại", "Gửi"])

    # -- The reviewer sees exactly what changed, and approves.
    open_from_queue(reviewer, "Chờ thẩm định", item_id)
    changes = reviewer.locator("section.changes")
    expect(changes.get_by_role("heading", name="Thay đổi sau lần trả lại gần nhất")).to_be_visible()
    expect(changes.locator("tbody tr td:first-child")).to_have_text(["Tiến độ (%)", "Kết quả thực hiện"])
    progress_row = changes.locator("tbody tr", has_text="Tiến độ (%)")
    expect(progress_row.locator("td.before")).to_have_text("40")
    expect(progress_row.locator("td.after")).to_have_text("75")
    text_row = changes.locator("tbody tr", has_text="Kết quả thực hiện")
    expect(text_row.locator("td.before")).to_have_text(FIRST_TEXT)
    expect(text_row.locator("td.after")).to_have_text(SECOND_TEXT)
    panel_button(reviewer, "Thẩm định đạt").click()
    expect(state_badge(reviewer)).to_have_text("Đã thẩm định")
    expect(reviewer.locator("#panel")).to_contain_text("Hồ sơ chỉ đọc.")

    # -- The acceptor takes it in.
    acceptor = new_context().new_page()
    login(acceptor, live_server, "tiepnhan")
    open_from_queue(acceptor, "Chờ tiếp nhận", item_id)
    expect(state_badge(acceptor)).to_have_text("Đã thẩm định")
    panel_button(acceptor, "Tiếp nhận").click()
    expect(state_badge(acceptor)).to_have_text("Đã tiếp nhận")

    # -- Read-only for all three, with the five steps in order.
    steps = ["Gửi", "Trả lại", "Gửi", "Thẩm định đạt", "Tiếp nhận"]
    for who in (officer, reviewer, acceptor):
        who.goto(f"{live_server.url}/items/task-result/{item_id}")
        expect_read_only(who)
        expect_timeline(who, steps)
    assert stored(live_server, item_id) == ("accepted", 8, ["submit", "return", "submit", "review", "accept"])


def test_return_cannot_be_sent_without_a_reason(page, new_context, live_server, login, item_7d):
    item_id = item_7d
    officer = new_context().new_page()
    login(officer, live_server, "ttpvhcc")
    officer.goto(f"{live_server.url}/items/task-result/{item_id}")
    officer.get_by_label("Kết quả thực hiện").fill("Đã duy trì ISO 9001:2015.")
    panel_button(officer, "Gửi").click()
    expect(state_badge(officer)).to_have_text("Đã gửi")

    login(page, live_server, "thamdinh")
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" and "/do/" in r.url else None)
    page.goto(f"{live_server.url}/items/task-result/{item_id}")
    form = return_form(page)
    reason = form.get_by_label("Lý do trả lại")
    expect(reason).to_be_visible()
    expect(reason).to_have_attribute("required", "")
    form.get_by_role("button", name="Trả lại").click()

    # The browser refused: the field reports the missing value and nothing was posted.
    assert reason.evaluate("e => e.validity.valueMissing") is True
    assert form.evaluate("f => f.checkValidity()") is False
    expect(reason).to_be_focused()
    page.reload()  # a full round trip after the click: any post it had started is in `posts` by now
    expect(state_badge(page)).to_have_text("Đã gửi")
    assert posts == []
    expect_timeline(page, ["Gửi"])
    assert stored(live_server, item_id)[::2] == ("submitted", ["submit"])
