"""Issue 11, "hold under attack": sign-in limits that hold, sessions that end, answers nobody caches.

- Limits: every attempt is counted before its password is checked, in a store the workers share
  (the database by default, Redis when RATELIMIT_STORAGE_URI names one). Proved on a real gunicorn
  with 2 workers × 8 threads on 127.0.0.1: 32 simultaneous wrong passwords for one username get at
  most LOGIN_LIMIT answers of 401 (a password checked), the rest 429; a restart forgets nothing.
  The Redis run needs TEST_REDIS_URL (.ci/run starts a throwaway redis-server); without it it is skipped.
- An unknown username costs one password hash like a known one (a dummy hash of the same method).
- Sessions: logout, a password change and deactivation end every session of the person (a replayed
  cookie, or remember-me cookie, is sent to /login); a session unused for SESSION_IDLE_MINUTES ends.
- Cache-Control: no-store on answers to a signed-in person and on the sign-in page, not on static
  files; BEHIND_TLS=1 turns on Secure cookies and HSTS; TRUSTED_PROXIES decides whose address counts.
"""
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
from flask import g
from flask_login.utils import encode_cookie
from flask_migrate import upgrade
from sqlalchemy import select
from werkzeug.security import check_password_hash

from workflow import config, security
from workflow.auth import attempts, routes, services
from workflow.extensions import db
from workflow.models import User
from workflow.models.org import LoginAttempt
from workflow.seed import DEMO_PASSWORD

from .conftest import TEST_HASH_METHOD, empty_database, make_app

ROOT = Path(__file__).resolve().parent.parent
WRONG = "sai-mat-khau"
LOCKED = "nhập sai mật khẩu quá nhiều lần"
TIMEOUT = 60


def user_by(username):
    return db.session.scalar(select(User).where(User.username == username))


def login(client, username, password=DEMO_PASSWORD, **kwargs):
    return client.post("/login", data={"username": username, "password": password}, **kwargs)


def attempts_of(key):
    db.session.expire_all()
    row = db.session.get(LoginAttempt, key)
    return row.hits if row else 0


@pytest.fixture(autouse=True)
def fresh_user_per_request(app):
    """The suite's requests share the test's app context, so Flask-Login's cache of the signed-in
    person (g._login_user) would outlive a request and hide what the next one's cookie holds. Here
    every request loads its person from its own cookie, as each does in production."""
    def forget():
        g.pop("_login_user", None)

    app.before_request_funcs.setdefault(None, []).insert(0, forget)


@pytest.fixture
def hash_checks(monkeypatch):
    """Every password hash the sign-in checks: the stored hash it was checked against."""
    seen = []

    def spy(stored, password):
        seen.append(stored)
        return check_password_hash(stored, password)

    monkeypatch.setattr(services, "check_password_hash", spy)
    return seen


# -- counted before the password is checked ----------------------------------------------------


def test_unknown_inactive_and_known_usernames_each_check_one_hash_of_the_same_method(client, seeded, hash_checks):
    user_by("vp").active = False
    db.session.commit()
    for username in ("khong-co-ai", "vhxh", "vp"):
        response = login(client, username, WRONG)
        assert response.status_code == 401
        assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.text
    assert len(hash_checks) == 3
    assert [services.method_of(h) for h in hash_checks] == [TEST_HASH_METHOD] * 3  # the accounts' method
    assert hash_checks[0] != user_by("vhxh").password_hash  # the unknown name's is a dummy
    assert login(client, "vp").status_code == 401  # the right password of an inactive account


def test_over_the_limit_no_password_is_checked_and_the_answer_says_when(client, seeded, hash_checks):
    for _ in range(5):
        assert login(client, "vhxh", WRONG).status_code == 401
    refused = login(client, "vhxh")  # the right password, too late
    assert refused.status_code == 429
    assert LOCKED in refused.text
    assert 1 <= int(refused.headers["Retry-After"]) <= 15 * 60
    assert len(hash_checks) == 5
    assert attempts_of("user:vhxh") == 6


def test_a_success_clears_the_username_counter(client, seeded):
    for _ in range(4):
        assert login(client, "vhxh", WRONG).status_code == 401
    assert login(client, "VHXH ").status_code == 303  # normalised like the counter's key
    assert attempts_of("user:vhxh") == 0
    client.post("/logout")
    for _ in range(5):
        assert login(client, "vhxh", WRONG).status_code == 401
    assert login(client, "vhxh", WRONG).status_code == 429


def test_the_window_starts_with_the_first_attempt_and_ends_after_its_period(client, seeded, monkeypatch):
    clock = [1_000_000.0]
    monkeypatch.setattr(attempts, "now", lambda: clock[0])
    for _ in range(5):
        assert login(client, "vhxh", WRONG).status_code == 401
    clock[0] += 15 * 60 - 1
    assert login(client, "vhxh").status_code == 429
    clock[0] += 1
    assert login(client, "vhxh").status_code == 303
    # a new window opened: the ended ones are gone
    assert db.session.scalar(select(LoginAttempt.key).where(LoginAttempt.expires_at <= clock[0])) is None


class TestClientAddress:
    @pytest.fixture
    def app_config(self):
        return {"LOGIN_IP_LIMIT": "3 per 15 minutes", "TRUSTED_PROXIES": 1}

    def test_behind_a_trusted_proxy_each_client_counts_apart(self, client, seeded):
        office, home = {"X-Forwarded-For": "203.0.113.5"}, {"X-Forwarded-For": "198.51.100.7"}
        for username in ("vp", "vhxh", "kthtdt"):
            assert login(client, username, WRONG, headers=office).status_code == 401
        assert login(client, "ttsnc", WRONG, headers=office).status_code == 429
        assert login(client, "ttsnc", WRONG, headers=home).status_code == 401  # another client
        assert attempts_of("ip:203.0.113.5") == 4 and attempts_of("ip:127.0.0.1") == 0

    def test_successes_give_the_address_its_attempt_back(self, client, seeded):
        office = {"X-Forwarded-For": "203.0.113.5"}
        assert login(client, "vp", WRONG, headers=office).status_code == 401
        for username in ("vp", "vhxh", "kthtdt", "ttsnc", "ttpvhcc"):  # a morning at the ward office
            assert login(client, username, headers=office).status_code == 303
            client.post("/logout")
        assert attempts_of("ip:203.0.113.5") == 1


class TestNoTrustedProxy:
    @pytest.fixture
    def app_config(self):
        return {"LOGIN_IP_LIMIT": "3 per 15 minutes"}

    def test_forwarded_for_is_not_believed(self, client, seeded):
        for n, username in enumerate(("vp", "vhxh", "kthtdt")):
            response = login(client, username, WRONG, headers={"X-Forwarded-For": f"10.0.0.{n}"})
            assert response.status_code == 401
        assert login(client, "ttsnc", WRONG, headers={"X-Forwarded-For": "10.0.0.9"}).status_code == 429
        assert attempts_of("ip:127.0.0.1") == 4


def test_an_unknown_store_is_refused():
    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI"):
        attempts.store_for("memcached://127.0.0.1:11211")
    assert isinstance(attempts.store_for("memory://"), attempts.DatabaseCounters)


# -- real servers: 2 gunicorn workers, 32 attempts at once, a restart ---------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """`gunicorn wsgi:app` on 127.0.0.1, 2 workers × 8 threads, its own settings (not gunicorn.conf.py)."""

    def __init__(self, folder, settings):
        self.folder, self.settings, self.proc, self.starts = folder, settings, None, 0
        (folder / "empty.conf.py").write_text("")

    def start(self):
        self.port, self.starts = free_port(), self.starts + 1
        env = {k: v for k, v in os.environ.items() if k not in config.ENV_OVERRIDES and k != "TEST_DATABASE_URL"}
        env.update(self.settings, CCHC_INSTANCE_PATH=str(self.folder / "instance"), PYTHONUNBUFFERED="1")
        self.log = self.folder / f"gunicorn-{self.starts}.log"
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--config", str(self.folder / "empty.conf.py"),
                 "--no-control-socket", "--workers", "2", "--worker-class", "gthread", "--threads", "8",
                 "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning", "wsgi:app"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"gunicorn stopped:\n{self.log.read_text()}"
            try:
                if self.request("GET", "/login")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"gunicorn did not answer:\n{self.log.read_text()}")

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def request(self, method, path, body=None, headers=None, connection=None, before=None):
        """(status, headers, text); `connection` already open, `before()` called just before sending."""
        conn = connection or http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        try:
            if before:
                before()
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.headers, response.read().decode()
        finally:
            conn.close()

    def login_form(self):
        """A session cookie and its CSRF token (CSRF is on: the server runs the real configuration)."""
        status, headers, text = self.request("GET", "/login")
        assert status == 200
        cookie = headers["Set-Cookie"].split(";", 1)[0]
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', text).group(1)
        return cookie, token

    def post_login(self, form, username, password, **kwargs):
        cookie, token = form
        body = urllib.parse.urlencode({"csrf_token": token, "username": username, "password": password})
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
        return self.request("POST", "/login", body, headers, **kwargs)


def fire_together(server, form, username, password, count):
    """`count` sign-ins on open connections, released by one barrier; their statuses."""
    barrier = threading.Barrier(count, timeout=TIMEOUT)
    statuses = [None] * count

    def run(i):
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=TIMEOUT)
        try:
            conn.connect()
            statuses[i] = server.post_login(form, username, password, connection=conn, before=barrier.wait)[0]
        except Exception as err:  # noqa: BLE001 - reported by the assertion below
            statuses[i] = err

    threads = [threading.Thread(target=run, args=(i,), name=f"login-{i}") for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT + 5)
    assert not any(t.is_alive() for t in threads), "a sign-in never came back"
    return statuses


def redis_url():
    return os.environ.get("TEST_REDIS_URL")


@pytest.fixture(params=["database", "redis"])
def store(request):
    if request.param == "redis":
        if not redis_url():
            pytest.skip("TEST_REDIS_URL is not set (.ci/run starts a redis-server for this)")
        import redis
        client = redis.Redis.from_url(redis_url())
        client.flushdb()
        yield request.param, redis_url(), client
        client.flushdb()
        client.close()
    else:
        yield request.param, "memory://", None


@pytest.fixture
def server(tmp_path, seeded, store):
    """The seeded test database (SQLite file, or TEST_DATABASE_URL's server), served by gunicorn."""
    url = db.engine.url.render_as_string(hide_password=False)
    db.session.remove()
    gunicorn = Gunicorn(tmp_path, {"DATABASE_URL": url, "SECRET_KEY": "gunicorn-test-secret",
                                   "LOGIN_LIMIT": "5 per 15 minutes", "LOGIN_IP_LIMIT": "1000 per 15 minutes",
                                   "RATELIMIT_STORAGE_URI": store[1]})
    try:
        yield gunicorn.start()
    finally:
        gunicorn.stop()


@pytest.mark.db
def test_32_simultaneous_wrong_passwords_check_at_most_the_limit_and_a_restart_keeps_the_count(server, store):
    form = server.login_form()
    statuses = fire_together(server, form, "vhxh", WRONG, 32)
    assert all(s in (401, 429) for s in statuses), statuses
    checked = statuses.count(401)
    print(f"\n[{store[0]}] 32 simultaneous wrong passwords on 2 workers: {checked} checked (401), "
          f"{statuses.count(429)} refused (429)")
    assert checked == 5
    assert server.post_login(form, "vhxh", DEMO_PASSWORD)[0] == 429  # the right one waits too
    assert server.post_login(form, "vp", DEMO_PASSWORD)[0] == 303  # nobody else is locked

    server.stop()
    server.start()
    form = server.login_form()
    status, _, text = server.post_login(form, "vhxh", DEMO_PASSWORD)
    assert status == 429 and LOCKED in text
    if store[0] == "database":
        assert attempts_of("user:vhxh") == 34
    else:
        assert int(store[2].get(f"{attempts.REDIS_PREFIX}:user:vhxh")) == 34
        assert attempts_of("user:vhxh") == 0  # nothing went to the database


# -- sessions end ------------------------------------------------------------------------------


def session_cookie(client):
    return client.get_cookie("session").value


def replay(app, cookie, name="session"):
    other = app.test_client()
    other.set_cookie(name, cookie)
    return other


def test_a_cookie_captured_before_logout_opens_nothing_after_it(app, auth, client):
    auth.login("vhxh")
    captured = session_cookie(client)
    elsewhere = app.test_client()  # the same person on another computer
    assert login(elsewhere, "vhxh").status_code == 303
    assert replay(app, captured).get("/").status_code == 200
    assert auth.logout().status_code == 303
    response = replay(app, captured).get("/")
    assert response.status_code == 302 and response.location.startswith("/login")
    assert elsewhere.get("/").status_code == 302  # logout ends every session of the person
    assert login(client, "vhxh").status_code == 303 and client.get("/").status_code == 200


def edit_user(client, user, **changes):
    data = {"username": user.username, "full_name": user.full_name, "unit": user.unit_id,
            "roles": [r.value for r in user.roles], "active": "y"}
    data.update(changes)
    return client.post(f"/admin/users/{user.id}", data={k: v for k, v in data.items() if v is not None})


def test_a_password_change_ends_the_persons_sessions(app, auth, client):
    first, second = app.test_client(), app.test_client()
    for c in (first, second):
        assert login(c, "vp").status_code == 303
    auth.login("admin")
    assert edit_user(client, user_by("vp"), password="mat-khau-moi-2025").status_code == 303
    for c in (first, second):
        assert c.get("/").status_code == 302
    assert login(first, "vp", "mat-khau-moi-2025").status_code == 303
    assert client.get("/").status_code == 200  # the admin's own session goes on


def test_editing_without_a_new_password_keeps_sessions(app, auth, client):
    other = app.test_client()
    login(other, "vp")
    auth.login("admin")
    assert edit_user(client, user_by("vp"), full_name="Tên mới").status_code == 303
    assert other.get("/").status_code == 200


def test_deactivation_ends_the_session_and_reactivation_does_not_revive_it(app, auth, client):
    other = app.test_client()
    login(other, "vp")
    captured = session_cookie(other)
    auth.login("admin")
    assert edit_user(client, user_by("vp"), active=None).status_code == 303
    assert other.get("/").status_code == 302
    assert edit_user(client, user_by("vp")).status_code == 303  # active again
    assert replay(app, captured).get("/").status_code == 302


def test_a_remember_me_cookie_respects_the_token(app, seeded):
    user = user_by("vhxh")
    remembered = replay(app, encode_cookie(user.session_id()), name="remember_token")
    assert remembered.get("/").status_code == 200
    stale = encode_cookie(user.session_id())
    user.end_sessions()
    db.session.commit()
    assert replay(app, stale, name="remember_token").get("/").status_code == 302
    assert replay(app, encode_cookie(str(user.id)), name="remember_token").get("/").status_code == 302


def test_a_session_from_before_tokens_is_ended(app, seeded):
    old = app.test_client()
    with old.session_transaction() as sess:
        sess["_user_id"] = str(user_by("admin").id)  # what a session held before migration 0010
        sess["_fresh"] = True
    assert old.get("/").status_code == 302


def test_the_migration_gives_every_account_its_own_token(app):
    empty_database()
    upgrade(revision="0009")
    with db.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO units (code, name, active, receives_dossiers, consolidates, created_at) "
                             "VALUES ('VP', 'Văn phòng', true, false, false, '2025-07-01')")
        for name in ("a", "b"):
            conn.exec_driver_sql("INSERT INTO users (username, full_name, password_hash, unit_id, active, created_at) "
                                 f"VALUES ('{name}', '{name}', 'x', 1, true, '2025-07-01')")
    upgrade()
    with db.engine.connect() as conn:
        tokens = [t for (t,) in conn.exec_driver_sql("SELECT session_token FROM users")]
    assert len(tokens) == 2 and len(set(tokens)) == 2 and all(len(t) >= 40 for t in tokens)
    empty_database()


@pytest.fixture
def clock(monkeypatch):
    """The clock of idle expiry, moved by hand."""
    moment = [1_800_000_000.0]
    monkeypatch.setattr(security, "now", lambda: moment[0])
    return moment


class TestIdle:
    def test_an_unused_session_ends_after_the_idle_minutes(self, auth, client, clock):
        auth.login("vhxh")
        clock[0] += 480 * 60 - 1
        assert client.get("/").status_code == 200  # used: the idle time starts again
        clock[0] += 480 * 60 - 1
        assert client.get("/").status_code == 200
        clock[0] += 480 * 60 + 1
        response = client.get("/tasks")
        assert response.status_code == 302 and "/login?next=%2Ftasks" in response.location
        assert "lâu không thao tác" in client.get(response.location).text
        clock[0] += 1
        assert client.get("/").status_code == 302  # stays ended

    def test_last_seen_is_written_at_most_once_a_minute(self, auth, client, clock):
        auth.login("vhxh")
        client.get("/")
        clock[0] += 30
        assert "session=" not in client.get("/").headers.get("Set-Cookie", "")
        clock[0] += 31
        assert "session=" in client.get("/").headers.get("Set-Cookie", "")


class TestIdleSetting:
    @pytest.fixture
    def app_config(self):
        return {"SESSION_IDLE_MINUTES": 10}

    def test_the_idle_minutes_are_a_setting(self, auth, client, clock):
        auth.login("vhxh")
        clock[0] += 10 * 60 + 1
        assert client.get("/").status_code == 302


# -- what answers carry ------------------------------------------------------------------------


def test_no_store_on_signed_in_answers_and_the_login_page_not_on_static_files(auth, client):
    assert "no-store" in client.get("/login").headers["Cache-Control"]
    assert "no-store" in auth.login("vhxh", WRONG).headers["Cache-Control"]
    assert "no-store" not in client.get("/cong-khai").headers.get("Cache-Control", "")
    auth.login("vhxh")
    for url in ("/", "/tasks", "/cong-khai"):
        assert "no-store" in client.get(url).headers["Cache-Control"], url
    static = client.get("/static/app.css")
    assert static.status_code == 200 and "no-store" not in static.headers.get("Cache-Control", "")


def test_by_default_cookies_are_not_secure_and_there_is_no_hsts(client, seeded):
    response = login(client, "vhxh")
    assert "Secure" not in response.headers["Set-Cookie"]
    assert "Strict-Transport-Security" not in response.headers


class TestBehindTls:
    @pytest.fixture
    def app_config(self):
        return {"BEHIND_TLS": True}

    def test_secure_cookies_and_hsts(self, app, client, seeded):
        response = login(client, "vhxh", base_url="https://localhost")
        assert response.status_code == 303
        assert "; Secure" in response.headers["Set-Cookie"]
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
        assert app.config["REMEMBER_COOKIE_SECURE"] is True
        assert client.get("/static/app.css").headers["Strict-Transport-Security"] == "max-age=31536000"


def test_behind_tls_is_one_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("BEHIND_TLS", "1")
    monkeypatch.setenv("TRUSTED_PROXIES", "2")
    monkeypatch.setenv("SESSION_IDLE_MINUTES", "60")
    app = make_app(tmp_path)
    assert app.config["SESSION_COOKIE_SECURE"] is True and app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["TRUSTED_PROXIES"] == 2 and app.config["SESSION_IDLE_MINUTES"] == 60
    monkeypatch.delenv("BEHIND_TLS")
    assert not make_app(tmp_path).config.get("SESSION_COOKIE_SECURE")


def test_the_lock_message_stays_vietnamese():
    assert routes.LOCKED_MESSAGE.startswith("Bạn đã nhập sai mật khẩu quá nhiều lần.")
