"""What every signed-in request pays before its own work: the person is loaded in one statement (with
their unit, ward, roles and whether anything is lent to them: security.load_user), and the menu's
queues ask lending at most once a request (none at all for a person lent nothing), while a delegation
still opens its queue at once and closes it as soon as it ends."""
from datetime import timedelta

import pytest
from flask import g
from flask_login import login_user

from workflow import lending
from workflow.access import menu
from workflow.extensions import db
from workflow.issuance import delegations
from workflow.items import states
from workflow.models import Role

from .items_support import user

pytestmark = pytest.mark.db

# /notifications signed in: the person (one statement), the page's notifications, the header's unread
# count; the menu adds the delegations lent to the person only when some delegation is.
NOTIFICATIONS_STATEMENTS = 3


@pytest.fixture(autouse=True)
def fresh_user_per_request(app):
    """Every request loads its person from its own cookie, as in production (the test's app context
    would keep Flask-Login's cache of the last one, g._login_user, and skip load_user)."""
    def forget():
        g.pop("_login_user", None)

    app.before_request_funcs.setdefault(None, []).insert(0, forget)


def delegation_queries(counter):
    """The statements that read delegations themselves (load_user's EXISTS test is not one)."""
    return [s for s in counter.statements if s.lstrip().upper().startswith("SELECT DELEGATIONS.")]


def user_queries(counter):
    return [s for s in counter.statements if s.lstrip().upper().startswith("SELECT USERS.")]


def lend(what="signer", lender="chutich", to="phochutich", days=3):
    today = states.today()
    return delegations.create(user(lender), user(lender), user(to), what, None, today, today + timedelta(days=days),
                              "Chủ tịch đi công tác.", today)


def signed_in_get(client, count_queries, path="/notifications"):
    client.get(path)  # the first page after signing in may write the session's bookkeeping
    with count_queries() as counter:
        response = client.get(path)
    assert response.status_code == 200
    return response, counter


# ---- (a) a fixed, small number of statements -------------------------------------------------------

@pytest.mark.parametrize("who", ["chairman", "member", "reviewer", "admin"])
def test_a_signed_in_page_issues_a_fixed_small_number_of_statements(auth, client, count_queries, who):
    auth.login(who)
    _, counter = signed_in_get(client, count_queries)
    assert counter.count == NOTIFICATIONS_STATEMENTS, counter.statements
    assert len(user_queries(counter)) == 1  # the person, unit, ward and roles together
    assert delegation_queries(counter) == []  # nothing is lent to them: the menu needs no query


def test_the_person_is_loaded_with_everything_the_header_and_menu_read(auth, client, count_queries):
    auth.login("vhxh")
    response, counter = signed_in_get(client, count_queries)
    loaded = user_queries(counter)[0].lower()
    assert "join units" in loaded and "join wards" in loaded and "join user_roles" in loaded
    assert "Việc của đơn vị" in response.text and user("vhxh").unit.code in response.text


def test_the_delegation_query_runs_once_though_the_menu_asks_for_three_queues(auth, client, count_queries):
    lend("signer")
    lend("acceptor", lender="tiepnhan")
    auth.login("vicechairman")  # holds none of the queues' roles: review, accept and sign are each asked
    response, counter = signed_in_get(client, count_queries)
    assert len(delegation_queries(counter)) == 1
    assert counter.count == NOTIFICATIONS_STATEMENTS + 1, counter.statements
    assert "/queue/sign" in response.text and "/queue/accept" in response.text
    assert "/queue/review" not in response.text


def test_within_one_request_the_lookup_is_memoised_and_forgotten_when_a_delegation_changes(app, seeded, count_queries):
    vice, chairman, today = user("phochutich"), user("chutich"), states.today()
    with app.test_request_context("/"):
        login_user(vice)
        with count_queries() as counter:
            assert menu(vice).sign_queue is False
            assert lending.acts_as(vice, Role.SIGNER, today) is False
        assert len(delegation_queries(counter)) == 1
        lent = lend("signer")  # made in this very request: the memo is forgotten
        with count_queries() as counter:
            flags = menu(vice)
            assert flags.sign_queue and not flags.review_queue and not flags.accept_queue
        assert len(delegation_queries(counter)) == 1
        delegations.revoke(chairman, lent)
        assert menu(vice).sign_queue is False


def test_the_nothing_lent_answer_of_load_user_is_forgotten_when_a_delegation_is_made(app, seeded, count_queries):
    vice, today = user("phochutich"), states.today()
    with app.test_request_context("/"):
        lending.none_lent(vice.id)  # what load_user notes for a person lent nothing
        with count_queries() as counter:
            assert lending.acts_as(vice, Role.SIGNER, today) is False
        assert counter.count == 0
        lend("signer")
        assert lending.acts_as(vice, Role.SIGNER, today) is True


# ---- (b) the delegation's queues: given at once, gone when it ends ---------------------------------

def test_a_vice_chairman_sees_the_lent_queue_and_loses_it_when_the_delegation_is_revoked(auth, client, seeded):
    auth.login("vicechairman")
    assert "/queue/sign" not in client.get("/notifications").text
    assert client.get("/queue/sign").status_code == 403
    lent = lend("signer")
    page = client.get("/notifications").text
    assert "Chờ ký" in page and "/queue/sign" in page
    assert client.get("/queue/sign").status_code == 200
    auth.logout()
    auth.login("chairman")
    assert client.post(f"/delegations/{lent.id}/revoke").status_code == 303
    auth.logout()
    auth.login("vicechairman")
    assert "/queue/sign" not in client.get("/notifications").text
    assert client.get("/queue/sign").status_code == 403


def test_a_delegation_that_ended_yesterday_opens_nothing(auth, client, seeded):
    today = states.today()
    delegations.create(user("chutich"), user("chutich"), user("phochutich"), "signer", None,
                       today - timedelta(days=3), today, "Đi công tác.", today)
    auth.login("vicechairman")
    assert "/queue/sign" in client.get("/notifications").text
    lent = db.session.scalars(db.select(delegations.Delegation)).one()
    lent.ends_on = today - timedelta(days=1)  # as it stands the day after its last day
    db.session.commit()
    assert "/queue/sign" not in client.get("/notifications").text
    assert client.get("/queue/sign").status_code == 403


def test_a_lender_who_loses_the_role_lends_nothing_from_the_next_request(auth, client, seeded):
    lend("signer")
    auth.login("vicechairman")
    assert "/queue/sign" in client.get("/notifications").text
    chairman = user("chutich")
    chairman.roles = ["chairman"]  # no longer the signer
    db.session.commit()
    assert "/queue/sign" not in client.get("/notifications").text
