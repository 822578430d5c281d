"""The web edges, one contract for every page:

- an error answering an htmx request that swaps part of a page is a small fragment aimed at the
  page's message area, never a whole page inside a panel (boosted navigation still gets the page);
- an htmx request without a session is sent to the sign-in page, and from there back to the page the
  person was on (not to the POST-only URL it called); a plain form post the same, by its Referer;
- every HTML answer varies on HX-Request, so no cache serves a fragment for a page or the reverse;
- no button is shown that answers 403 when pressed.
"""
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from sqlalchemy import select

from workflow.consolidated import services as consolidation
from workflow.extensions import db
from workflow.items import states
from workflow.models import ConsolidatedReport, RankingSheet, SelfAssessment, TaskResult, UnitReport
from workflow.ranking import sheets
from workflow.seed.scoring import load_default_scheme

from .items_support import open_q3, ready, report_of, result_of, user

HTMX = {"HX-Request": "true"}


def is_fragment(response):
    return "<html" not in response.text and 'role="alert"' in response.text


def test_404_under_htmx_is_a_fragment_for_the_message_area(auth, client, period):
    auth.login("ttpvhcc")
    response = client.get("/items/task-result/999999", headers=HTMX)
    assert response.status_code == 404 and is_fragment(response)
    assert "Không tìm thấy" in response.text
    assert (response.headers["HX-Retarget"], response.headers["HX-Reswap"]) == ("#messages", "innerHTML")
    page = client.get("/items/task-result/999999")
    assert page.status_code == 404 and "<html" in page.text and 'id="messages"' in page.text


def test_403_under_htmx_is_a_fragment(auth, client, period):
    auth.login("ttpvhcc")
    response = client.post("/queue/review/bulk", headers=HTMX, data={"item": []})
    assert response.status_code == 403 and is_fragment(response)
    assert "không có quyền" in response.text


def test_409_of_an_evidence_delete_under_htmx_is_a_fragment(auth, client, period):
    """A refusal raised inside a view that answers a panel: the message, not a page in the panel."""
    auth.login("kthtdt")
    response = client.post("/evidence/999999/delete", headers=HTMX)
    assert response.status_code == 404 and is_fragment(response)


def test_boosted_navigation_gets_the_whole_error_page(auth, client, period):
    auth.login("ttpvhcc")
    response = client.get("/ranking", headers={**HTMX, "HX-Boosted": "true"})
    assert response.status_code == 403 and "<html" in response.text and "HX-Retarget" not in response.headers


def test_htmx_post_after_logout_goes_to_login_then_back_to_the_page(auth, client, period):
    item = result_of("7.d", period)
    page = f"/items/task-result/{item.id}"
    auth.login("ttpvhcc")
    assert client.get(page).status_code == 200
    auth.logout()
    response = client.post(f"{page}/do/submit", data={"version": item.version},
                           headers={**HTMX, "HX-Current-URL": f"http://localhost{page}"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == f"/login?next={quote(page, safe='')}"
    db.session.expire_all()
    assert db.session.get(TaskResult, item.id).is_draft  # nothing happened
    back = client.post(response.headers["HX-Redirect"], data={"username": "ttpvhcc", "password": "PhuLien@2025"})
    assert back.status_code == 303 and back.location == page


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_with_csrf_on_an_ended_session_is_sent_to_login_not_refused(client, period, app_config):
    """The session's end takes its CSRF token with it: that is a sign-in to redo, not a bad form."""
    item = result_of("7.d", period)
    page = f"/items/task-result/{item.id}"
    response = client.post(f"{page}/do/submit", data={"version": item.version},
                           headers={**HTMX, "HX-Current-URL": f"http://localhost{page}", "X-CSRFToken": "cu"})
    assert response.status_code == 401 and response.headers["HX-Redirect"] == f"/login?next={quote(page, safe='')}"


def test_htmx_request_from_another_site_is_sent_to_login_without_next(client, period):
    response = client.post("/items/task-result/1/do/submit", headers={**HTMX, "HX-Current-URL": "https://evil.example/x"})
    assert response.status_code == 401 and response.headers["HX-Redirect"] == "/login"


def test_plain_post_after_logout_returns_to_the_page_it_came_from(auth, client, period):
    item = result_of("7.d", period)
    page = f"/items/task-result/{item.id}"
    response = client.post(f"{page}/do/submit", data={"version": item.version},
                           headers={"Referer": f"http://localhost{page}"})
    assert response.status_code == 302
    assert response.location == f"/login?next={quote(page, safe='')}"


@pytest.mark.parametrize("url", ["/tasks", "/", "/items/task-result/999999"])
def test_every_html_answer_varies_on_hx_request(auth, client, period, url):
    auth.login("ttpvhcc")
    for headers in ({}, HTMX):
        response = client.get(url, headers=headers)
        assert response.mimetype == "text/html"
        assert "HX-Request" in response.headers.get("Vary", ""), (url, headers)


def test_the_sign_in_page_varies_too(client, seeded):
    assert "HX-Request" in client.get("/login").headers["Vary"]


# No button answers 403 -------------------------------------------------------------------------

class Forms(HTMLParser):
    """The POST forms of a page, each with the values a person would send: hidden fields as they are,
    a reason, a grade, a number and a date filled in."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = {"action": attrs.get("action"), "data": {}}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and attrs.get("name"):
            self._form["data"][attrs["name"]] = attrs.get("value") or self._fill(attrs)
        elif tag == "textarea" and attrs.get("name"):
            self._form["data"][attrs["name"]] = "Nội dung kiểm tra nút bấm."
        elif tag == "select" and attrs.get("name"):
            self._select = attrs["name"]
        elif tag == "option" and self._select and attrs.get("value") and self._select not in self._form["data"]:
            self._form["data"][self._select] = attrs["value"]

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None

    @staticmethod
    def _fill(attrs):
        return {"date": "2025-09-05", "checkbox": "on"}.get(attrs.get("type"), "245/BC-UBND")


def forms_on(html):
    parser = Forms()
    parser.feed(html)
    return [f for f in parser.forms if f["action"] and f["action"] != "/logout"]


def _items_in_every_state(period):
    """Items each role has a button for: a result sent, a report reviewed, the ward's drafts."""
    result = result_of("7.d", period)
    states.perform(user("ttpvhcc"), ready(result), "submit", result.version)
    report = report_of("ttpvhcc", period)
    states.perform(user("ttpvhcc"), ready(report), "submit", report.version)
    states.perform(user("thamdinh"), report, "review", report.version, grade="B")
    consolidation.prefill(user("vhxh"), period)
    sheets.make(user("vhxh"), period)
    return [f"/items/{item.KIND}/{item.id}" for item in (result, report)]


def _pages(username, period, waiting):
    own = user(username).unit_id
    pages = [*waiting, "/", "/work", "/queue/review", "/queue/accept", "/documents", f"/periods/{period.id}/consolidated",
             f"/ranking?period={period.id}", f"/ranking/{own}?period={period.id}", "/notifications", "/tasks",
             "/admin/periods"]
    for model in (TaskResult, UnitReport, SelfAssessment, ConsolidatedReport, RankingSheet):
        ids = db.session.scalars(select(model.id).where(model.period_id == period.id)
                                 .order_by((model.unit_id == own).desc(), model.id).limit(1)).all()
        pages += [f"/items/{model.KIND}/{item_id}" for item_id in ids]
    return pages


@pytest.fixture
def every_kind(seeded):
    """Quý III opened under the default scoring scheme: all five kinds of item exist."""
    load_default_scheme(seeded)
    period = open_q3()
    return period, _items_in_every_state(period)


@pytest.mark.parametrize("username", ["admin", "chutich", "thamdinh", "tiepnhan", "vhxh", "ttpvhcc", "kthtdt"])
def test_no_button_shown_answers_403(auth, client, every_kind, username):
    period, waiting = every_kind
    auth.login(username)
    pressed, refused = 0, []
    for page in _pages(username, period, waiting):
        response = client.get(page)
        if response.status_code != 200:
            continue
        for form in forms_on(response.text):
            answer = client.post(form["action"], data=form["data"])
            pressed += 1
            if answer.status_code == 403:
                refused.append((page, form["action"]))
    assert pressed >= 1 and refused == [], refused


@pytest.mark.parametrize("username,shown", [("vhxh", True), ("thamdinh", True), ("chutich", False),
                                            ("tiepnhan", False), ("admin", False)])
def test_only_the_consolidating_unit_is_offered_to_draft_the_report(auth, client, period, username, shown):
    auth.login(username)
    page = client.get(f"/periods/{period.id}/consolidated")
    assert page.status_code == 200
    assert ("Tạo dự thảo tổng hợp" in page.text) is shown
