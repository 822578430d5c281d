"""Kept pages (workflow/pagecache.py): a page asked again with nothing changed comes back kept, for the same
person and session only; any write, a new ward day or MAX_AGE makes it again; flashed messages, htmx
fragments and downloads are never kept; a kept page's form token still posts."""
import re
from datetime import timedelta

import pytest
from flask import g

from workflow import pagecache
from workflow.extensions import db
from workflow.models import TaskResult
from workflow.formats import local_date
from workflow.models.org import utcnow

from .conftest import QueryCounter
from .items_support import result_of, user
from .test_items_edit import result_form

pytestmark = pytest.mark.db

KEPT_STATEMENTS = 2  # the person (security.load_user) and the revision `pages`; nothing of the page's own


@pytest.fixture(autouse=True)
def fresh_g_per_request(app):
    """Each request starts from an empty `g`, as in production: the test's app context would otherwise keep
    the last request's person (g._login_user) and CSRF token (g.csrf_token) for the next."""
    def forget():
        g.__dict__.clear()

    app.before_request_funcs.setdefault(None, []).insert(0, forget)


def asked(client, path, **headers):
    """(the page's text, the statements its request ran)."""
    with QueryCounter(db.engine) as counter:
        response = client.get(path, headers=headers)
    assert response.status_code == 200, response.status_code
    return response.text, counter.count


def kept_after_two(client, path):
    """The page asked until it is kept (the first page of a session also makes its CSRF token)."""
    first, _ = asked(client, path)
    second, made = asked(client, path)
    third, statements = asked(client, path)
    return first, second, made, third, statements


def test_a_page_asked_again_with_nothing_changed_comes_back_kept(auth, client, period):
    auth.login("chairman")
    _, second, made, third, statements = kept_after_two(client, "/")
    assert made > KEPT_STATEMENTS and statements == KEPT_STATEMENTS
    assert third == second


def test_any_write_makes_the_page_again(auth, client, period):
    item = result_of("7.d", period)
    auth.login("ttpvhcc")
    path = f"/items/task-result/{item.id}"
    kept_after_two(client, path)
    item.done_text = "Ghi mới qua một phiên khác"  # a write by anyone, through any session
    db.session.commit()
    page, statements = asked(client, path)
    assert "Ghi mới qua một phiên khác" in page and statements > KEPT_STATEMENTS


def test_a_save_through_the_page_shows_its_message_once_and_the_new_text(auth, client, period):
    item = result_of("7.d", period)
    auth.login("ttpvhcc")
    path = f"/items/task-result/{item.id}"
    kept_after_two(client, path)
    response = client.post(path, data=result_form(item, done_text="Đã số hóa 100% hồ sơ"))
    assert response.status_code == 303
    with_message, _ = asked(client, path)
    assert "Đã lưu dự thảo." in with_message and "Đã số hóa 100% hồ sơ" in with_message
    again, _ = asked(client, path)
    assert "Đã lưu dự thảo." not in again and "Đã số hóa 100% hồ sơ" in again


def test_each_person_gets_their_own_page(app, period):
    from .conftest import Auth
    pages = {}
    for who in ("chutich", "vhxh"):
        client = app.test_client()
        Auth(client).login(who)
        *_, pages[who], statements = kept_after_two(client, "/")
        assert statements == KEPT_STATEMENTS
    for who, other in (("chutich", "vhxh"), ("vhxh", "chutich")):  # the header names the person and unit
        me, them = user(who), user(other)
        assert f"{me.full_name} · {me.unit.code}" in pages[who]
        assert f"{them.full_name} · {them.unit.code}" not in pages[who]


def test_a_new_session_of_the_same_person_is_not_given_the_old_sessions_page(auth, client, period):
    auth.login("chairman")
    kept_after_two(client, "/")
    auth.logout()
    auth.login("chairman")  # a new session token: the old key names the old session
    _, statements = asked(client, "/")
    assert statements > KEPT_STATEMENTS


def test_a_new_ward_day_makes_the_page_again(app, auth, client, period):
    auth.login("chairman")
    kept_after_two(client, "/")
    app.config["DEMO_TODAY"] = local_date(utcnow()) + timedelta(days=1)  # the ward's next day, in demo mode
    _, statements = asked(client, "/")
    assert statements > KEPT_STATEMENTS


def test_a_kept_page_is_served_at_most_max_age(auth, client, period, monkeypatch):
    auth.login("chairman")
    kept_after_two(client, "/")
    monkeypatch.setattr(pagecache, "MAX_AGE", -1)
    _, statements = asked(client, "/")
    assert statements > KEPT_STATEMENTS


def test_htmx_fragments_are_never_kept(auth, client, period):
    auth.login("chairman")
    for _ in range(3):
        _, statements = asked(client, "/", **{"HX-Request": "true"})
    assert statements > KEPT_STATEMENTS


def test_kept_pages_can_be_switched_off(app, auth, client, period):
    app.config["PAGE_CACHE"] = False
    auth.login("chairman")
    *_, statements = kept_after_two(client, "/")
    assert statements > KEPT_STATEMENTS


class TestWithCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_a_kept_pages_token_posts(self, client, period):
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/login").text).group(1)
        response = client.post("/login", data={"username": "ttpvhcc", "password": "PhuLien@2025", "csrf_token": token})
        assert response.status_code == 303
        item = result_of("7.d", period)
        path = f"/items/task-result/{item.id}"
        *_, kept, statements = kept_after_two(client, path)
        assert statements == KEPT_STATEMENTS
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', kept).group(1)
        data = {**result_form(item, done_text="Gửi từ trang đã lưu"), "csrf_token": token}
        response = client.post(path, data=data)
        assert response.status_code == 303, response.text[-3000:]
        db.session.expire_all()
        assert db.session.get(TaskResult, item.id).done_text == "Gửi từ trang đã lưu"
