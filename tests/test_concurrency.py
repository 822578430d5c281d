"""Two sessions act on the same item at the same moment, on a real threaded server: exactly one wins,
the other gets 409, and the history has one row.

The app runs on werkzeug's threaded server on 127.0.0.1 (port 0), on a SQLite file, or on the
server TEST_DATABASE_URL names (make_app's choice, so the PostgreSQL pass of CI races there too).
CSRF is off (make_app's default) to keep the HTTP plain; the browser tests cover CSRF.
Clients are urllib openers with their own cookie jars: two separate sign-ins, two sessions.
"""
import http.cookiejar
import threading
import urllib.error
import urllib.parse
import urllib.request
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from workflow.extensions import db, limiter
from workflow.items import services, states
from workflow.models import ItemHistory, ReportingPeriod, Role, Task, TaskResult, User
from workflow.seed import DEMO_PASSWORD, load_plan, seed_demo_accounts
from workflow.validation import STALE_MESSAGE

from .conftest import make_app
from .live_server import serving
from .items_support import ready

pytestmark = pytest.mark.db

PERIOD = "Quý III/2025"
EDITED = "3.a"  # a TTPVHCC task kept in draft for the edit races
# 7.d (TTPVHCC) first, then nineteen other task results, submitted each by its own lead unit.
REVIEWED = ["7.d", "1.a", "1.b", "1.c", "2.a", "2.b", "3.b", "3.d", "3.e", "4.a", "4.b", "5.a", "5.b",
            "6.a", "6.b", "6.c", "7.a", "7.b", "7.c", "7.đ"]
WRONG_STATE_TAIL = "Vui lòng tải lại trang."  # the end of states.WRONG_STATE
TIMEOUT = 30


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report the 303 itself instead of following it."""

    def redirect_request(self, *args, **kwargs):
        return None


class Session:
    """One signed-in browser, as far as the server can tell: its own cookie jar."""

    def __init__(self, base, username, password=DEMO_PASSWORD):
        self.base, self.username = base, username
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())
        status, _, location = self.post("/login", {"username": username, "password": password})
        assert status == 303 and not location.endswith("/login"), f"{username} could not sign in ({status})"

    def post(self, path, data):
        """(status, body, Location) of one form post; redirects are not followed."""
        request = urllib.request.Request(self.base + path, data=urllib.parse.urlencode(data).encode(), method="POST")
        try:
            with self.opener.open(request, timeout=TIMEOUT) as response:
                return response.status, response.read().decode(), response.headers.get("Location", "")
        except urllib.error.HTTPError as err:
            with err:
                return err.code, err.read().decode(), err.headers.get("Location", "")


def race(posts):
    """Run each (session, path, data) in its own thread, released together; the answers in order."""
    barrier = threading.Barrier(len(posts), timeout=TIMEOUT)
    answers = [None] * len(posts)

    def run(i, session, path, data):
        barrier.wait()
        try:
            answers[i] = session.post(path, data)
        except Exception as err:  # noqa: BLE001 - reported by the assertion below
            answers[i] = err

    threads = [threading.Thread(target=run, args=(i, *post), name=f"racer-{i}") for i, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT + 5)
    assert not any(t.is_alive() for t in threads), "a request never came back"
    for answer in answers:
        assert isinstance(answer, tuple), f"a request failed: {answer!r}"
    return answers


@pytest.fixture(scope="module")
def live(tmp_path_factory, demo_hash):
    """The seeded app with Quý III/2025 open and a second reviewer, on a threaded server on 127.0.0.1."""
    app = make_app(tmp_path_factory.mktemp("concurrency"))
    with app.app_context():
        db.drop_all()
        db.create_all()
        limiter.reset()
        load_plan()
        seed_demo_accounts(password_hash=demo_hash)
        second = User(username="thamdinh2", full_name="Người thẩm định thứ hai",
                      unit_id=db.session.scalar(select(User.unit_id).where(User.username == "thamdinh")))
        second.roles = [Role.REVIEWER.value]
        second.password_hash = demo_hash
        db.session.add(second)
        db.session.commit()
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        services.open_period(admin, db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.name == PERIOD)))
        db.session.remove()
    with serving(app, "concurrency-server") as live:
        yield live


@pytest.fixture(scope="module")
def reviewers(live):
    return Session(live.url, "thamdinh"), Session(live.url, "thamdinh2")


@pytest.fixture(scope="module")
def officers(live):
    """ttpvhcc signed in twice: two sessions of the same person, each with its own cookie jar.
    (Flask's session lives in a signed cookie, so two sign-ins in the same second may carry the same value.)"""
    first, second = Session(live.url, "ttpvhcc"), Session(live.url, "ttpvhcc")
    assert all(any(c.name == "session" for c in s.jar) for s in (first, second))
    return first, second


def result_id(code):
    period = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.name == PERIOD))
    return db.session.scalar(select(TaskResult.id).join(Task).where(Task.code == code, TaskResult.period_id == period.id))


def submitted(live, code):
    """Send the task result as a member of its lead unit (ttpvhcc for 7.d), through the service."""
    with live.app.app_context():
        item = db.session.get(TaskResult, result_id(code))
        member = next(u for u in db.session.scalars(select(User).where(User.unit_id == item.unit_id, User.active)
                                                    .order_by(User.id)) if u.has_role(Role.MEMBER))
        if code == "7.d":
            assert member.username == "ttpvhcc"
        states.perform(member, ready(item), "submit", item.version)
        found = item.id, item.version
        db.session.remove()
    return found


def stored(live, item_id):
    with live.app.app_context():
        item = db.session.get(TaskResult, item_id)
        rows = db.session.execute(select(ItemHistory.action, ItemHistory.actor_id).where(
            ItemHistory.item_kind == TaskResult.KIND, ItemHistory.item_id == item_id).order_by(ItemHistory.id)).all()
        reviewer = db.session.scalar(select(User.username).where(User.id == item.reviewed_by_id))
        found = SimpleNamespace(state=item.state, version=item.version, history=[r.action for r in rows],
                                reviewed_by=reviewer, work_status=item.work_status, progress=item.progress,
                                done_text=item.done_text, output_text=item.output_text)
        db.session.remove()
    return found


def assert_one_winner(answers):
    statuses = sorted(status for status, _, _ in answers)
    assert statuses == [303, 409], f"expected one 303 and one 409, got {statuses}"
    winner = next(i for i, (status, _, _) in enumerate(answers) if status == 303)
    loser_body = answers[1 - winner][1]
    assert STALE_MESSAGE in loser_body or WRONG_STATE_TAIL in loser_body, "the 409 does not say why"
    return winner


@pytest.mark.parametrize("code", REVIEWED)
def test_two_reviewers_approve_the_same_item_at_once(live, reviewers, code):
    item_id, version = submitted(live, code)
    path = f"/items/task-result/{item_id}/do/review"
    answers = race([(session, path, {"version": version}) for session in reviewers])

    winner = assert_one_winner(answers)
    assert answers[winner][2].endswith(f"/items/task-result/{item_id}")
    after = stored(live, item_id)
    assert (after.state, after.version) == ("reviewed", version + 1)
    assert after.history == ["submit", "review"]  # exactly one "review" row
    assert after.reviewed_by == reviewers[winner].username


def edit(label, version):
    return {"version": version, "work_status": "in_progress", "progress": label["progress"],
            "done_text": label["text"], "completed_on": "", "output_text": label["output"], "blocked_reason": ""}


@pytest.mark.parametrize("round_", range(10))
def test_two_sessions_of_the_owner_save_the_same_draft_at_once(live, officers, round_):
    with live.app.app_context():
        item_id = result_id(EDITED)
        db.session.remove()
    before = stored(live, item_id)
    assert before.state == "draft"
    texts = [{"progress": 10 + round_, "text": f"Lượt {round_}: phiên A ghi kết quả A. " * 40,
              "output": f"Sản phẩm A{round_}"},
             {"progress": 60 + round_, "text": f"Lượt {round_}: phiên B ghi kết quả B. " * 40,
              "output": f"Sản phẩm B{round_}"}]
    path = f"/items/task-result/{item_id}"
    answers = race([(session, path, edit(text, before.version)) for session, text in zip(officers, texts)])

    winner = assert_one_winner(answers)
    after = stored(live, item_id)
    assert after.version == before.version + 1 and after.state == "draft"
    won = texts[winner]
    # The winner's text, whole: never the loser's, never a mix of the two.
    assert (after.work_status, after.progress, after.done_text, after.output_text) == (
        "in_progress", won["progress"], won["text"].strip(), won["output"])
    assert after.history == []  # saving a draft is not a transition

