import time

import pytest

from workflow.extensions import db
from workflow.models import User


def test_login_page_renders(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert "Đăng nhập" in response.text


@pytest.mark.parametrize("who", ["admin", "chutich", "thamdinh", "tiepnhan", "vhxh", "vp", "kthtdt",
                                 "ttsnc", "ttpvhcc"])
def test_every_demo_account_logs_in(auth, client, who):
    response = auth.login(who)
    assert response.status_code == 303
    home = client.get("/")
    assert home.status_code == 200
    assert db.session.scalar(db.select(User).where(User.username == who)).full_name in home.text


def test_password_is_hashed(seeded):
    user = db.session.scalar(db.select(User).where(User.username == "admin"))
    assert user.password_hash.startswith("scrypt:")
    assert "PhuLien" not in user.password_hash


def test_wrong_password_message_and_401(auth):
    response = auth.login("admin", "sai-mat-khau")
    assert response.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.text


def test_empty_form_gets_field_messages(client, seeded):
    response = client.post("/login", data={"username": "", "password": ""})
    assert response.status_code == 422
    assert "Vui lòng nhập tên đăng nhập." in response.text
    assert "Vui lòng nhập mật khẩu." in response.text


def test_pages_need_login(client, seeded):
    response = client.get("/tasks")
    assert response.status_code == 302
    assert "/login?next=%2Ftasks" in response.location


@pytest.mark.parametrize("target,expected", [
    ("/tasks?area=1", "/tasks?area=1"),
    ("https://evil.example/", "/"),
    ("//evil.example/", "/"),
    ("/\\evil.example", "/"),
    ("javascript:alert(1)", "/"),
])
def test_next_is_only_followed_to_local_paths(client, seeded, target, expected):
    response = client.post("/login", query_string={"next": target},
                           data={"username": "admin", "password": "PhuLien@2025"})
    assert response.status_code == 303
    assert response.location == expected


def test_session_cookie_flags(client, seeded):
    response = client.post("/login", data={"username": "admin", "password": "PhuLien@2025"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_login_replaces_the_session(client, seeded):
    with client.session_transaction() as sess:
        sess["planted"] = "by-attacker"
    client.post("/login", data={"username": "admin", "password": "PhuLien@2025"})
    with client.session_transaction() as sess:
        assert "planted" not in sess


def test_logout_needs_post_and_ends_session(auth, client):
    auth.login("admin")
    assert client.get("/logout").status_code == 405
    assert auth.logout().status_code == 303
    assert client.get("/").status_code == 302


def test_inactive_user_cannot_login(auth, app):
    user = db.session.scalar(db.select(User).where(User.username == "vp"))
    user.active = False
    db.session.commit()
    assert auth.login("vp").status_code == 401


def test_security_headers(client):
    headers = client.get("/login").headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"


class TestRateLimit:
    @pytest.fixture
    def app_config(self):
        return {"LOGIN_LIMIT": "5 per 2 seconds"}

    def test_sixth_attempt_refused_even_with_right_password_until_window_passes(self, auth, client):
        for _ in range(5):
            assert auth.login("vhxh", "sai").status_code == 401
        refused = auth.login("vhxh")
        assert refused.status_code == 429
        assert "nhập sai mật khẩu quá nhiều lần" in refused.text
        assert client.get("/").status_code == 302  # still not signed in
        time.sleep(2.1)
        assert auth.login("vhxh").status_code == 303

    def test_other_usernames_are_not_locked(self, auth):
        for _ in range(5):
            auth.login("vhxh", "sai")
        assert auth.login("vp").status_code == 303

    def test_successful_logins_do_not_count(self, auth):
        for _ in range(7):
            assert auth.login("vhxh").status_code == 303
            auth.logout()


def test_csrf_is_enforced_on_login(tmp_path):
    from tests.conftest import make_app
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    with app.app_context():
        db.create_all()
        response = app.test_client().post("/login", data={"username": "a", "password": "b"})
        assert response.status_code == 400
        assert "Phiên làm việc đã hết hạn" in response.text
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
