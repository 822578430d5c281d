"""Accounts that mail needs: demo addresses, a forgotten password reset by e-mail (the same answer for
any address, a link that works once and expires), and the forced change of a password an admin chose."""
import re
import time
from functools import partial

import pytest
import time_machine
from flask import g
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from workflow.auth import reset
from workflow.extensions import db
from workflow.models import OutboxMessage, Unit, User
from workflow.models import org
from workflow.seed import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_email, seed_demo_accounts

from .conftest import TEST_HASH_METHOD

NEW = "Mat-khau-moi-2026"
SENT = "Nếu địa chỉ này thuộc một tài khoản đang hoạt động, chúng tôi đã gửi thư hướng dẫn"
LINK = re.compile(r"http://127\.0\.0\.1:5000(/dat-lai-mat-khau/[A-Za-z0-9_.-]+)")


@pytest.fixture(autouse=True)
def fresh_user_per_request(app):
    """Every request loads its person from its own cookie (the test's app context would keep
    Flask-Login's cache of the last one), as in production."""
    def forget():
        g.pop("_login_user", None)

    app.before_request_funcs.setdefault(None, []).insert(0, forget)


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch):
    """New passwords hashed with the suite's cheaper scrypt (a third of a second each otherwise)."""
    for module in (org, reset):
        monkeypatch.setattr(module, "generate_password_hash", partial(generate_password_hash, method=TEST_HASH_METHOD))


def user_by(username):
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.username == username))


def login(client, username, password=DEMO_PASSWORD):
    return client.post("/login", data={"username": username, "password": password})


def ask(client, address):
    return client.post("/quen-mat-khau", data={"email": address})


def outbox(username=None):
    stmt = select(OutboxMessage).order_by(OutboxMessage.id)
    if username:
        stmt = stmt.where(OutboxMessage.user_id == user_by(username).id)
    return db.session.scalars(stmt).all()


def link_for(client, username):
    assert ask(client, demo_email(username)).status_code == 200
    row = outbox(username)[-1]
    path = LINK.search(row.body_text).group(1)
    assert f'href="http://127.0.0.1:5000{path}"' in row.body_html
    return path


# -- demo addresses --------------------------------------------------------------------------------

def test_demo_accounts_get_addresses_and_seeding_again_keeps_what_an_admin_set(seeded, demo_hash):
    assert {u.username: u.email for u in db.session.scalars(select(User))} == \
           {name: demo_email(name) for name, *_ in DEMO_ACCOUNTS}
    assert demo_email("vhxh") == "vhxh@phulien.example"
    user_by("vp").email, user_by("vhxh").email = None, "hoa@phulien.gov.vn"  # a database made before
    db.session.commit()
    assert seed_demo_accounts(password_hash=demo_hash) == []
    assert (user_by("vp").email, user_by("vhxh").email) == ("vp@phulien.example", "hoa@phulien.gov.vn")


# -- asking for a link -----------------------------------------------------------------------------

def test_the_answer_is_the_same_for_any_address_and_only_a_real_account_is_mailed(client, seeded):
    user_by("vp").active = False
    db.session.commit()
    assert 'href="/quen-mat-khau"' in client.get("/login").text
    assert client.get("/quen-mat-khau").status_code == 200
    answers = [ask(client, address) for address in (" VHXH@phulien.example ", "khong-co@phulien.example",
                                                    demo_email("vp"))]  # known, unknown, inactive
    assert {a.status_code for a in answers} == {200}
    assert answers[0].text == answers[1].text == answers[2].text
    assert SENT in answers[0].text and "phulien.example" not in answers[0].text
    [row] = outbox()  # the unknown address's stand-in row was deleted in its own transaction
    assert (row.to_addr, row.category, row.user_id) == ("vhxh@phulien.example", "account", user_by("vhxh").id)
    assert row.key.startswith(f"reset:{row.user_id}:") and "Lê Thị Hoa" in row.body_text
    assert "Tên đăng nhập của bạn: vhxh" in row.body_text and "60 phút" in row.body_text
    bad = ask(client, "khong-phai-email")
    assert bad.status_code == 422 and "Địa chỉ email không hợp lệ." in bad.text


class TestLimits:
    @pytest.fixture
    def app_config(self):
        return {"PASSWORD_RESET_LIMIT": "2 per hour", "PASSWORD_RESET_IP_LIMIT": "4 per hour"}

    def test_an_address_gets_few_links_and_a_client_few_answers(self, client, seeded):
        answers = [ask(client, demo_email("vhxh")) for _ in range(3)] + [ask(client, "ai@phulien.example")]
        assert [a.status_code for a in answers] == [200] * 4 and answers[2].text == answers[3].text
        assert len(outbox("vhxh")) == 2  # the third was answered alike, and not sent
        refused = ask(client, demo_email("vp"))
        assert refused.status_code == 429 and "quá nhiều yêu cầu" in refused.text
        assert int(refused.headers["Retry-After"]) > 0 and outbox("vp") == []


# -- using it --------------------------------------------------------------------------------------

def test_the_link_sets_a_new_password_once_and_ends_every_session(app, client, seeded):
    other = app.test_client()  # the same person signed in elsewhere
    assert login(other, "vhxh").status_code == 303 and other.get("/").status_code == 200
    user_by("vhxh").must_change_password = True
    db.session.commit()
    path = link_for(client, "vhxh")
    form = client.get(path)
    assert form.status_code == 200 and "vhxh" in form.text and "Mật khẩu mới" in form.text
    assert "no-store" in form.headers["Cache-Control"]
    mismatch = client.post(path, data={"new_password": NEW, "confirm": NEW + "x"})
    assert mismatch.status_code == 422 and "Mật khẩu nhập lại không khớp." in mismatch.text
    short = client.post(path, data={"new_password": "ngan", "confirm": "ngan"})
    assert short.status_code == 422 and "Mật khẩu cần từ 8 đến 128 ký tự." in short.text
    same = client.post(path, data={"new_password": DEMO_PASSWORD, "confirm": DEMO_PASSWORD})
    assert same.status_code == 422 and "Mật khẩu mới phải khác mật khẩu hiện tại." in same.text
    done = client.post(path, data={"new_password": NEW, "confirm": NEW})
    assert done.status_code == 303 and done.location == "/login"
    assert "Đã đặt mật khẩu mới" in client.get("/login").text
    assert not user_by("vhxh").must_change_password
    assert other.get("/").status_code == 302  # the other session has ended
    for again in (client.get(path), client.post(path, data={"new_password": NEW + "2", "confirm": NEW + "2"})):
        assert again.status_code == 400 and "đã được sử dụng" in again.text and 'href="/quen-mat-khau"' in again.text
    assert login(client, "vhxh").status_code == 401
    assert login(client, "vhxh", NEW).status_code == 303


def test_a_link_made_before_another_one_was_used_no_longer_works(client, seeded):
    first, second = link_for(client, "vhxh"), link_for(client, "vhxh")
    assert first != second
    assert client.post(second, data={"new_password": NEW, "confirm": NEW}).status_code == 303
    assert client.get(first).status_code == 400


def test_the_link_expires(client, seeded):
    path = link_for(client, "vhxh")
    with time_machine.travel(time.time() + 59 * 60, tick=False):
        assert client.get(path).status_code == 200
    with time_machine.travel(time.time() + 61 * 60, tick=False):
        expired = client.get(path)
        assert expired.status_code == 400 and "đã hết hạn" in expired.text
        assert client.post(path, data={"new_password": NEW, "confirm": NEW}).status_code == 400
    assert user_by("vhxh").check_password(DEMO_PASSWORD)


def test_forged_and_malformed_links_are_refused(app, client, seeded):
    vhxh = user_by("vhxh")
    payload = [vhxh.id, reset.fingerprint(vhxh.password_hash, vhxh.session_token), "00"]
    genuine = link_for(client, "vhxh").rsplit("/", 1)[1]
    forged = [
        URLSafeTimedSerializer("another-key", salt=reset.SALT).dumps(payload),   # not our key
        URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="mail-stop").dumps(payload),  # not our salt
        URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=reset.SALT).dumps([vhxh.id, "0" * 32, "00"]),
        URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=reset.SALT).dumps({"u": 1}),
        genuine[:-2] + ("AA" if not genuine.endswith("AA") else "BB"),             # a changed signature
        "x" * 5000, "abc", "%00",
    ]
    for token in forged:
        for response in (client.get(f"/dat-lai-mat-khau/{token}"),
                         client.post(f"/dat-lai-mat-khau/{token}", data={"new_password": NEW, "confirm": NEW})):
            assert response.status_code == 400, token[:40]
            assert "không hợp lệ hoặc đã được sử dụng" in response.text
    assert user_by("vhxh").check_password(DEMO_PASSWORD)


# -- the forced change of a password an admin chose --------------------------------------------------

def test_an_account_an_admin_creates_must_change_its_password_on_every_page_first(app, auth, client):
    auth.login("admin")
    unit = db.session.scalar(select(Unit).where(Unit.code == "VP"))
    created = client.post("/admin/users/new", data={
        "username": "moi", "full_name": "Người Mới", "email": "moi@phulien.example", "unit": unit.id,
        "roles": ["member"], "active": "y", "password": "matkhau-quan-tri"})
    assert created.status_code == 303 and user_by("moi").must_change_password
    auth.logout()
    assert login(client, "moi", "matkhau-quan-tri").status_code == 303
    for page in ("/", "/tasks", "/documents", "/cong-khai", "/quen-mat-khau"):
        response = client.get(page)
        assert response.status_code == 302 and response.location.startswith("/doi-mat-khau"), page
    assert client.get("/tasks").location == "/doi-mat-khau?next=/tasks"
    posted = client.post("/notifications/read")
    assert posted.status_code == 303 and posted.location.startswith("/doi-mat-khau")
    htmx = client.get("/tasks", headers={"HX-Request": "true"})
    assert htmx.status_code == 204 and htmx.headers["HX-Redirect"].startswith("/doi-mat-khau")
    assert client.get("/static/app.css").status_code == 200
    page = client.get("/doi-mat-khau")
    assert page.status_code == 200 and "Mật khẩu của tài khoản này do quản trị hệ thống đặt" in page.text
    wrong = client.post("/doi-mat-khau", data={"current_password": "sai-mat-khau", "new_password": NEW, "confirm": NEW})
    assert wrong.status_code == 422 and "Mật khẩu hiện tại không đúng." in wrong.text
    same = client.post("/doi-mat-khau", data={"current_password": "matkhau-quan-tri",
                                              "new_password": "matkhau-quan-tri", "confirm": "matkhau-quan-tri"})
    assert same.status_code == 422 and "Mật khẩu mới phải khác mật khẩu hiện tại." in same.text
    empty = client.post("/doi-mat-khau", data={})
    assert empty.status_code == 422 and "Vui lòng nhập mật khẩu hiện tại." in empty.text
    done = client.post("/doi-mat-khau?next=/tasks",
                       data={"current_password": "matkhau-quan-tri", "new_password": NEW, "confirm": NEW})
    assert done.status_code == 303 and done.location == "/tasks"
    assert not user_by("moi").must_change_password
    assert all(client.get(page).status_code == 200 for page in ("/", "/tasks", "/documents"))
    client.post("/logout")
    assert login(client, "moi", "matkhau-quan-tri").status_code == 401
    assert login(client, "moi", NEW).status_code == 303 and client.get("/").status_code == 200


def test_an_admin_setting_someones_password_forces_a_change_but_not_their_own(auth, client):
    auth.login("admin")
    for who in ("vp", "admin"):
        user = user_by(who)
        client.post(f"/admin/users/{user.id}", data={
            "username": who, "full_name": user.full_name, "unit": user.unit_id, "active": "y",
            "roles": [r.value for r in user.roles], "password": "matkhau-quan-tri"})
    assert user_by("vp").must_change_password and not user_by("admin").must_change_password


def test_demo_and_command_line_accounts_are_not_forced(auth, client, runner):
    result = runner.invoke(args=["create-user", "--username", "cli", "--full-name", "Dòng Lệnh", "--unit", "VP",
                                 "--password", "matkhau-dong-lenh"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count()).where(User.must_change_password.is_(True))) == 0
    for who, password in (("vhxh", DEMO_PASSWORD), ("cli", "matkhau-dong-lenh")):
        assert login(client, who, password).status_code == 303
        assert client.get("/tasks").status_code == 200
        client.post("/logout")


def test_changing_ones_password_keeps_this_session_and_ends_the_others(app, client, seeded):
    other = app.test_client()
    assert login(other, "vhxh").status_code == 303 and login(client, "vhxh").status_code == 303
    changed = client.post("/doi-mat-khau", data={"current_password": DEMO_PASSWORD, "new_password": NEW, "confirm": NEW})
    assert changed.status_code == 303 and changed.location == "/"
    assert client.get("/").status_code == 200 and other.get("/").status_code == 302
