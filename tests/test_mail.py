"""E-mail that cannot be lost: the outbox is written in the event's transaction and drained by
workflow/mail/sender.py to a real SMTP server on loopback (aiosmtpd) or, with no MAIL_SERVER, to .eml
files; two senders at once send each message once; the one-click stop link."""
import email
import re
import socket
import threading
from datetime import timedelta
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from itsdangerous import URLSafeSerializer
from sqlalchemy import select

from workflow.extensions import db
from workflow.mail import cli as mail_cli
from workflow.mail import compose, outbox, preferences, routes, sender
from workflow.models import MAIL_CATEGORIES, MailOptOut, OutboxMessage, User
from workflow.models.org import utcnow

SUBJECT = "Còn 3 ngày đến hạn gửi hồ sơ Quý III/2025 – Phòng Văn hóa"
SLUG = "con-3-ngay-den-han-gui-ho-so-quy-iii-2025-phong-van-hoa"


class Inbox:
    """What the server received, parsed; it refuses recipients whose address starts with "refused"."""

    def __init__(self):
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refused"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


class SmtpServer:
    """A real SMTP server on 127.0.0.1 that can be stopped (the port then refuses) and started again."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.inbox, self.controller = Inbox(), None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()
        self.controller = None

    def message_ids(self):
        return [m["Message-ID"] for m in self.inbox.messages]


@pytest.fixture
def smtp():
    server = SmtpServer()
    server.start()
    yield server
    if server.controller:
        server.stop()


@pytest.fixture
def wired(app, seeded):
    """The mail blueprint and commands on the test app, unless create_app already has them."""
    if "mail" not in app.blueprints:
        app.register_blueprint(routes.bp)
    mail_cli.init_app(app)
    return app


@pytest.fixture
def smtp_app(wired, smtp):
    wired.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
    return wired


def people(count=1):
    users = db.session.scalars(select(User).order_by(User.id).limit(count)).all()
    for user in users:
        user.email = f"{user.username}@example.test"
    db.session.commit()
    return users


def write(user, key, category="due"):
    return outbox.enqueue(compose.message("test_message", key=key, category=category, user=user,
                                          subject=SUBJECT, link="/tasks", note="kiểm thử"))


def rows():
    db.session.expire_all()
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def parts(mail):
    return mail.get_body(("plain",)).get_content(), mail.get_body(("html",)).get_content()


def test_a_message_exists_only_if_its_transaction_committed(smtp_app, smtp):
    user, = people()
    assert write(user, "rolled-back")
    db.session.rollback()  # the event failed: its message goes with it
    assert sender.drain().sent == 0 and smtp.inbox.messages == []

    assert write(user, "committed")
    db.session.commit()
    assert not write(user, "committed")  # the same decision twice is one message
    assert (sender.drain().sent, sender.drain().sent) == (1, 0)
    [mail] = smtp.inbox.messages
    [row] = rows()
    assert mail["Subject"] == SUBJECT and mail["Message-ID"] == f"<outbox-{row.id}@localhost>"
    assert mail["To"].addresses[0].addr_spec == user.email and mail["To"].addresses[0].display_name == user.full_name
    assert row.sent_at is not None and row.claimed_by is None and row.attempts == 0
    text, html = parts(mail)
    stop = compose.stop_link(user, "due")
    assert mail["List-Unsubscribe"].strip() == f"<{stop}>"  # folded: the URL is longer than a line
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert text.startswith(f"Kính gửi {user.full_name},") and "đã hoạt động: kiểm thử." in text
    assert "Mở trên hệ thống: http://127.0.0.1:5000/tasks" in text and stop in text
    assert f"({MAIL_CATEGORIES['due']})" in text and "UBND phường Phù Liễn – Hệ thống CCHC" in text
    assert all(len(line) <= 72 for line in text.splitlines() if "http" not in line)
    assert 'href="http://127.0.0.1:5000/tasks"' in html and f'href="{stop}"' in html and "<link" not in html


def test_an_account_message_has_no_stop_link(smtp_app, smtp):
    user, = people()
    write(user, "reset", category="account")
    db.session.commit()
    sender.drain()
    [mail] = smtp.inbox.messages
    assert mail["List-Unsubscribe"] is None and "/mail/stop/" not in parts(mail)[0]


def test_smtp_down_rows_wait_their_backoff_then_arrive_once(smtp_app, smtp):
    users = people(3)
    for user in users:
        write(user, f"down:{user.id}")
    db.session.commit()
    smtp.stop()
    result = sender.drain()
    assert (result.sent, result.failed, result.pending) == (0, 3, 3)
    now = utcnow()
    for row in rows():
        assert row.sent_at is None and row.attempts == 1 and row.claimed_by is None
        assert now < row.next_attempt_at <= now + timedelta(minutes=1) and "Connection" in row.last_error

    later = now + timedelta(minutes=2)
    sender.drain(now=later)  # still down: the second wait is longer
    assert {(r.attempts, r.next_attempt_at) for r in rows()} == {(2, later + timedelta(minutes=5))}

    smtp.start()
    assert sender.drain(now=later + timedelta(minutes=4)).sent == 0  # not due yet: the backoff holds
    assert sender.drain(now=later + timedelta(minutes=6)).sent == 3
    assert sender.drain(now=later + timedelta(hours=7)).sent == 0
    assert sorted(smtp.message_ids()) == sorted({f"<outbox-{r.id}@localhost>" for r in rows()})
    assert all(r.sent_at for r in rows())


def test_a_refused_recipient_waits_and_the_rest_go(smtp_app, smtp):
    first, second = people(2)
    first.email = "refused@example.test"
    write(first, "refused")
    write(second, "accepted")
    db.session.commit()
    result = sender.drain()
    assert (result.sent, result.failed, result.pending) == (1, 1, 1)
    refused, accepted = rows()
    assert refused.sent_at is None and refused.attempts == 1 and "550" in refused.last_error
    assert accepted.sent_at and [m["To"].addresses[0].addr_spec for m in smtp.inbox.messages] == [second.email]
    assert [sender.backoff(n).total_seconds() / 60 for n in range(1, 7)] == [1, 5, 15, 60, 360, 360]


def test_two_senders_at_once_send_each_message_once(smtp_app, smtp):
    users = people(10)
    for number in range(30):
        write(users[number % 10], f"race:{number}")
    db.session.commit()
    start, results, errors = threading.Barrier(2), [], []

    def run(worker):
        with smtp_app.app_context():
            try:
                start.wait()
                results.append(sender.drain(worker=worker))
            except Exception as exc:  # noqa: BLE001 — reported by the assertion below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(name,)) for name in ("sender-a", "sender-b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert len(results) == 2 and errors == []
    assert sum(r.sent for r in results) == 30 and sum(r.failed for r in results) == 0
    ids = smtp.message_ids()
    assert len(ids) == 30 and len(set(ids)) == 30
    assert all(r.sent_at and r.claimed_by is None for r in rows())


def test_a_claim_is_respected_until_it_is_stale(smtp_app, smtp):
    user, = people()
    write(user, "claimed")
    db.session.commit()
    [row] = rows()
    row.claimed_at, row.claimed_by = utcnow(), "another-sender"
    db.session.commit()
    assert sender.drain().sent == 0 and smtp.inbox.messages == []
    assert sender.drain(now=utcnow() + sender.STALE + timedelta(seconds=1)).sent == 1  # that sender died
    assert len(smtp.inbox.messages) == 1


def test_without_a_server_messages_become_eml_files(wired, runner):
    wired.config["MAIL_SERVER"] = ""
    users = people(2)
    for user in users:
        write(user, f"file:{user.id}")
    db.session.commit()
    sent = runner.invoke(args=["mail", "send"])
    assert sent.exit_code == 0 and "Đã gửi 2, lỗi 0, còn chờ 0" in sent.output and "tệp .eml" in sent.output
    folder = Path(wired.instance_path) / "outbox"
    files = sorted(folder.iterdir())
    assert [f.name for f in files] == [f"{r.id:06d}-{SLUG}.eml" for r in rows()]
    for path, user in zip(files, users):
        mail = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        assert mail["Subject"] == SUBJECT and mail["To"].addresses[0].addr_spec == user.email
        assert f"Kính gửi {user.full_name}," in parts(mail)[0] and user.full_name in parts(mail)[1]
        # as written, not decoded: a mail client needs "<https://…>" here, never an encoded-word
        assert re.search(rb"^List-Unsubscribe: <http://[^>\s]+/mail/stop/[^>\s]+>\r?$", path.read_bytes(), re.M)

    test = runner.invoke(args=["mail", "send", "--test", "thu@example.test"])
    assert "Thư thử đã gửi đến thu@example.test" in test.output and len(list(folder.iterdir())) == 3
    shown = runner.invoke(args=["mail", "show"])
    assert "Đang chờ gửi: 0" in shown.output and "Đã gửi: 3" in shown.output


def _opted_out(user):
    return set(db.session.scalars(select(MailOptOut.category).where(MailOptOut.user_id == user.id)))


def test_the_stop_link(wired, client):
    user, = people()
    url = f"/mail/stop/{compose.stop_token(user, 'due')}"
    page = client.get(url)
    assert page.status_code == 200 and MAIL_CATEGORIES["due"] in page.text
    assert "Ngừng nhận loại thư này" in page.text
    assert "no-store" in page.headers["Cache-Control"]

    wired.config["WTF_CSRF_ENABLED"] = True
    assert client.post(url).status_code == 400 and _opted_out(user) == set()  # the button carries its token
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).text).group(1)
    done = client.post(url, data={"csrf_token": token})
    assert done.status_code == 200 and "Đã ngừng gửi loại thư này" in done.text
    assert "/nhan-thu" in done.text  # how to turn it back on
    assert client.post(url, data={"csrf_token": token}).status_code == 200  # twice is once
    assert _opted_out(user) == {"due"}
    assert not write(user, "after-stop", "due") and write(user, "other-kind", "overdue")

    one_click = wired.test_client()  # a mail reader: no session, no CSRF token
    answer = one_click.post(f"/mail/stop/{compose.stop_token(user, 'weekly')}", data={"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200 and _opted_out(user) == {"due", "weekly"}

    forged = URLSafeSerializer("another-secret", salt=compose.STOP_SALT).dumps([user.id, "overdue"])
    for bad in ("garbage", forged, compose.stop_token(user, "account"), compose.stop_token(User(id=10**6), "due")):
        assert client.get(f"/mail/stop/{bad}").status_code == 404
        assert one_click.post(f"/mail/stop/{bad}", data={"List-Unsubscribe": "One-Click"}).status_code == 404
    assert _opted_out(user) == {"due", "weekly"}


def test_a_person_takes_a_stop_back_on_the_receive_page(wired, client, auth):
    """"Nhận thư": the kinds the person receives are ticked; unticking stops one, ticking a stopped one
    (stopped with a link at the foot of a message) takes the stop back, and mail of that kind is written again."""
    user = db.session.scalar(select(User).where(User.username == "ttsnc"))
    client.post(f"/mail/stop/{compose.stop_token(user, 'due')}", data={"List-Unsubscribe": "One-Click"})
    assert _opted_out(user) == {"due"}
    auth.login("ttsnc")
    page = client.get("/nhan-thu").text
    assert user.email in page and "Thư về tài khoản (đặt lại mật khẩu) luôn được gửi" in page
    ticked = set(re.findall(r'<input checked[^>]*value="([a-z]+)"|<input[^>]*value="([a-z]+)"[^>]*checked', page)) 
    ticked = {a or b for a, b in ticked}
    assert "due" not in ticked and {"overdue", "manual", "period"} <= ticked and "account" not in page.split("<form")[1].split("</form>")[0]
    keep = sorted((ticked | {"due"}) - {"weekly"})
    saved = client.post("/nhan-thu", data={"receive": keep})
    assert saved.status_code == 303
    assert _opted_out(user) == {"weekly"}
    assert write(user, "due-again", "due") and not write(user, "weekly-stopped", "weekly")
    refused = client.post("/nhan-thu", data={"receive": ["due", "not-a-kind"]})
    assert refused.status_code == 422 and _opted_out(user) == {"weekly"}
    assert client.post("/nhan-thu", data={}).status_code == 303  # none ticked: every kind stopped
    assert _opted_out(user) == {key for key, _ in preferences.CHOICES}


def test_a_stop_made_after_a_message_was_written_keeps_it_from_going(wired, runner, client):
    """Written at 07:00, stopped at 07:05, drained at 07:10: it is not sent, and is not tried again."""
    wired.config.update(MAIL_SERVER=None)
    folder = Path(wired.instance_path) / "outbox"
    user, = people()
    assert write(user, "written-before-stop", "due") and write(user, "other-kind", "overdue")
    db.session.commit()
    client.post(f"/mail/stop/{compose.stop_token(user, 'due')}", data={"List-Unsubscribe": "One-Click"})
    result = runner.invoke(args=["mail", "send"])
    assert "Đã gửi 1, lỗi 0, bỏ qua 1 (người nhận đã ngừng nhận)" in result.output, result.output
    stopped_row = next(r for r in rows() if r.key == "written-before-stop")
    assert stopped_row.sent_at is not None and stopped_row.last_error == sender.STOPPED
    assert [p.name.split("-", 1)[0] for p in folder.iterdir()] == [
        f"{next(r for r in rows() if r.key == 'other-kind').id:06d}"]
