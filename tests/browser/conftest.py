"""Real-browser fixtures: Debian's Chromium through Playwright, the app served on a free port.

CSRF stays on here, so every form the browser submits (boosted or htmx) must carry its token.
"""
import os
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from werkzeug.security import generate_password_hash
from werkzeug.serving import make_server

from workflow.extensions import db, limiter
from workflow.seed import DEMO_PASSWORD, load_plan, seed_demo_accounts

from ..conftest import ROLE_USERS, TEST_HASH_METHOD, make_app

HERE = Path(__file__).parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]


def pytest_collection_modifyitems(items):
    """Every test under tests/browser is a `browser` test (pytestmark in a conftest has no effect)."""
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session", autouse=True)
def chromium_home(tmp_path_factory):
    """Keep Chromium's profile and cache out of the real home directory."""
    home = tmp_path_factory.mktemp("chromium-home")
    saved = {name: os.environ.get(name) for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME")}
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")
    os.environ["XDG_CACHE_HOME"] = str(home / "cache")
    yield home
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, chromium_home):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def demo_password_hash():
    """Hashed once: nine scrypt hashes per test would cost over a second each time."""
    return generate_password_hash(DEMO_PASSWORD, method=TEST_HASH_METHOD)


@pytest.fixture
def live_server(tmp_path, demo_password_hash):
    """The seeded app, served by werkzeug in a daemon thread; `.url` is its base address."""
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)

    def hash_password(password, *args, **kwargs):
        if password == DEMO_PASSWORD:
            return demo_password_hash
        return generate_password_hash(password, *args, **kwargs)

    with app.app_context(), pytest.MonkeyPatch.context() as patch:
        patch.setattr("workflow.models.org.generate_password_hash", hash_password)
        db.drop_all()
        db.create_all()
        limiter.reset()
        load_plan()
        seed_demo_accounts()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield SimpleNamespace(app=app, url=f"http://127.0.0.1:{server.server_port}")
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()
    with app.app_context():
        db.engine.dispose()


def _login(page, live_server, who="admin", password=DEMO_PASSWORD):
    """Sign in through the real form and wait until the app has let us in."""
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Tên đăng nhập").fill(ROLE_USERS.get(who, who))
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("button", name="Đăng xuất").wait_for()
    return page


@pytest.fixture
def new_context(browser):
    """new_context(**options): another browser context (viewport, no JavaScript...), closed after the test."""
    contexts = []

    def make(**options):
        contexts.append(browser.new_context(**options))
        return contexts[-1]

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def login():
    """login(page, live_server, who): sign `who` (a ROLE_USERS key or a username) in through the form."""
    return _login
