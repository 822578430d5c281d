"""Đôn đốc through the real pages, with the demo accounts only: on an overdue item VHXH's reviewer presses
"Nhắc nhở" with a message; KTHTDT's officer sees it in the notifications and in the item's history, and
the e-mail reaches a real SMTP server on loopback (aiosmtpd) when the sender runs."""
import re

from playwright.sync_api import expect
from sqlalchemy import select

from workflow.extensions import db
from workflow.mail import sender
from workflow.models import Task, TaskResult

from ..test_mail import SmtpServer
from .test_issuing_browser import open_q3

MESSAGE = "Đề nghị Phòng gửi kết quả nhiệm vụ 6.a trước 17 giờ hôm nay."


def result_id(live_server, period_id, code):
    with live_server.app.app_context():
        found = db.session.scalar(select(TaskResult.id).join(Task).where(Task.code == code,
                                                                          TaskResult.period_id == period_id))
        db.session.remove()
    return found


def test_vhxh_reminds_a_unit_and_it_arrives(live_server, page, login, new_context, tmp_path):
    smtp = SmtpServer()
    smtp.start()
    try:
        live_server.app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
        period_id = open_q3(live_server)
        item = result_id(live_server, period_id, "6.a")  # KTHTDT's; due 05/09/2025, so overdue today

        login(page, live_server, "thamdinh")
        page.goto(f"{live_server.url}/items/task-result/{item}")
        expect(page.locator("#panel")).to_contain_text("Quá hạn")
        page.get_by_text("Nhắc nhở", exact=True).click()
        page.get_by_label(re.compile("^Lời nhắc gửi")).fill(MESSAGE)
        page.get_by_role("button", name="Gửi nhắc nhở").click()
        expect(page.locator("#messages")).to_contain_text("Đã nhắc nhở Phòng Kinh tế")
        expect(page.locator("main")).to_contain_text(MESSAGE)  # in the item's history
        page.screenshot(path=str(tmp_path / "1-reminded.png"), full_page=True)

        officer = new_context().new_page()
        login(officer, live_server, "kthtdt")
        officer.get_by_role("link", name=re.compile("^Thông báo")).click()
        expect(officer.locator("main")).to_contain_text(MESSAGE)
        officer.goto(f"{live_server.url}/items/task-result/{item}")
        expect(officer.locator("main")).to_contain_text("Nhắc nhở")
        expect(officer.locator("main")).to_contain_text(MESSAGE)
        officer.screenshot(path=str(tmp_path / "2-seen.png"), full_page=True)

        with live_server.app.app_context():
            sent = sender.drain()
            db.session.remove()
        assert sent.sent >= 1
        reminders = [m for m in smtp.inbox.messages if m["Subject"].startswith("Nhắc nhở")]
        assert len(reminders) == 1 and reminders[0]["To"].addresses[0].username == "kthtdt"
        body = reminders[0].get_body(("plain",)).get_content()
        assert MESSAGE in " ".join(body.split()) and f"/items/task-result/{item}" in body
    finally:
        smtp.stop()
