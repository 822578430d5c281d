"""The transition table, walked: every state × action × role is done or refused with the right status."""
import pytest
from sqlalchemy import func, select

from workflow.extensions import db
from workflow.items import services, states
from workflow.models import ItemHistory, Notification, Task, TaskResult, UnitReport, User

from . import items_support
from .items_support import add_user, ready, result_of


DONE = 303
ROLES = ["owner", "other_unit", "reviewer", "acceptor", "admin", "chairman"]
USERNAMES = {"owner": "ttpvhcc", "other_unit": "vp", "reviewer": "thamdinh", "acceptor": "tiepnhan",
             "admin": "admin", "chairman": "chutich"}
# Who may ever take each action (403 for the rest), and from which state (409 from the others).
MAY = {"submit": ("owner", "draft"), "withdraw": ("owner", "submitted"), "review": ("reviewer", "submitted"),
       "accept": ("acceptor", "reviewed"), "reopen": ("admin", "accepted")}


def expected(state, action, role):
    if role == "other_unit":
        return 404  # another unit's item is not even visible to it
    if action == "return":
        allowed = {"reviewer": "submitted", "acceptor": "reviewed"}
        return 403 if role not in allowed else (DONE if allowed[role] == state else 409)
    who, source = MAY[action]
    return 403 if role != who else (DONE if source == state else 409)


def user(name):
    return items_support.user(USERNAMES.get(name, name))


PATH = {"submitted": [("owner", "submit")], "reviewed": [("owner", "submit"), ("reviewer", "review")],
        "accepted": [("owner", "submit"), ("reviewer", "review"), ("acceptor", "accept")], "draft": []}


def bring_to(item, state):
    ready(item)
    for role, action in PATH[state]:
        states.perform(user(role), item, action, item.version)
    assert item.state == state


@pytest.mark.parametrize("state", ["draft", "submitted", "reviewed", "accepted"])
@pytest.mark.parametrize("action", ["submit", "withdraw", "review", "return", "accept", "reopen"])
@pytest.mark.parametrize("role", ROLES)
def test_transition_table(auth, client, period, state, action, role):
    item = result_of("7.d", period)
    bring_to(item, state)
    rows_before = db.session.scalar(select(func.count(ItemHistory.id)))
    auth.login(USERNAMES[role])
    response = client.post(f"/items/task-result/{item.id}/do/{action}",
                           data={"version": item.version, "reason": "Bổ sung số liệu"})
    assert response.status_code == expected(state, action, role)
    db.session.expire_all()
    rows_after = db.session.scalar(select(func.count(ItemHistory.id)))
    assert rows_after == rows_before + (1 if response.status_code == DONE else 0)


def test_the_table_covers_every_action():
    assert set(states.ACTIONS) == {"submit", "withdraw", "review", "return", "accept", "reopen"}


def test_stale_version_is_409_and_changes_nothing(auth, client, period):
    item = result_of("7.d", period)
    stale = item.version
    states.perform(user("owner"), ready(item), "submit", item.version)
    auth.login("thamdinh")
    response = client.post(f"/items/task-result/{item.id}/do/review", data={"version": stale},
                           headers={"HX-Request": "true"})
    assert response.status_code == 409
    assert "vừa được người khác thay đổi" in response.text
    assert 'id="panel"' in response.text and "Thẩm định đạt" in response.text  # the fresh panel
    db.session.expire_all()
    assert db.session.get(TaskResult, item.id).state == "submitted"


def test_return_needs_a_reason(auth, client, period):
    item = result_of("7.d", period)
    bring_to(item, "submitted")
    auth.login("thamdinh")
    response = client.post(f"/items/task-result/{item.id}/do/return", data={"version": item.version, "reason": "  "})
    assert response.status_code == 422 and "Vui lòng nêu lý do." in response.text
    assert db.session.get(TaskResult, item.id).state == "submitted"


def test_reason_shows_until_resubmitted(auth, client, period):
    item = result_of("7.d", period)
    bring_to(item, "submitted")
    states.perform(user("reviewer"), item, "return", item.version, "Thiếu minh chứng ISO")
    auth.login("ttpvhcc")
    assert "Thiếu minh chứng ISO" in client.get(f"/items/task-result/{item.id}").text
    assert "Thiếu minh chứng ISO" in client.get("/work").text
    states.perform(user("owner"), ready(item), "submit", item.version)
    assert item.return_reason is None
    assert "Lý do trả lại" not in client.get(f"/items/task-result/{item.id}").text


def test_nobody_takes_two_steps_in_a_row(period):
    both = add_user("hai.vai", user("ttpvhcc").unit, ["member", "reviewer", "acceptor"])
    item = result_of("7.d", period)
    states.perform(both, ready(item), "submit", item.version)
    assert not states.can(both, item, "review")
    with pytest.raises(Exception) as refused:
        states.perform(both, item, "review", item.version)
    assert refused.value.code == 403
    states.perform(user("reviewer"), item, "review", item.version)
    with pytest.raises(Exception) as refused:  # submitted it, so may not accept it either
        states.perform(both, item, "accept", item.version)
    assert refused.value.code == 403


def test_reviewer_cannot_accept_what_they_reviewed(period):
    both = add_user("tham.dinh.tiep.nhan", user("reviewer").unit, ["reviewer", "acceptor"])
    item = result_of("7.d", period)
    states.perform(user("owner"), ready(item), "submit", item.version)
    states.perform(both, item, "review", item.version)
    assert states.available_actions(both, item) == []


def test_viewing_changes_nothing_and_the_unit_may_withdraw_until_the_reviewer_acts(auth, client, period):
    item = result_of("7.d", period)
    bring_to(item, "submitted")
    version = item.version
    auth.login("thamdinh")
    assert client.get(f"/items/task-result/{item.id}").status_code == 200  # a GET only reads
    db.session.expire_all()
    assert db.session.get(TaskResult, item.id).version == version
    auth.logout()
    auth.login("ttpvhcc")
    response = client.post(f"/items/task-result/{item.id}/do/withdraw", data={"version": version})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(TaskResult, item.id).state == "draft"


def test_a_withdraw_after_the_reviewer_acted_is_refused(auth, client, period):
    item = result_of("7.d", period)
    bring_to(item, "submitted")
    sent = item.version
    states.perform(user("reviewer"), item, "review", item.version)
    auth.login("ttpvhcc")
    response = client.post(f"/items/task-result/{item.id}/do/withdraw", data={"version": sent})
    assert response.status_code == 409


def test_each_transition_writes_one_history_row_with_role(period):
    item = result_of("7.d", period)
    bring_to(item, "accepted")
    rows = services.history(item)
    assert [(r.action, r.from_state, r.to_state, r.actor_role) for r in rows] == [
        ("submit", "draft", "submitted", "member"), ("review", "submitted", "reviewed", "reviewer"),
        ("accept", "reviewed", "accepted", "acceptor")]
    assert item.version == 4


def test_history_is_append_only(period):
    item = result_of("7.d", period)
    bring_to(item, "submitted")
    row = services.history(item)[0]
    row.reason = "sửa lịch sử"
    with pytest.raises(RuntimeError):
        db.session.commit()
    db.session.rollback()
    db.session.delete(services.history(item)[0])
    with pytest.raises(RuntimeError):
        db.session.commit()
    db.session.rollback()


def test_notifications_go_to_the_right_people(period):
    item = result_of("7.d", period)
    bring_to(item, "submitted")

    def notified(action_word):
        rows = db.session.execute(select(User.username).join(Notification, Notification.user_id == User.id)
                                  .where(Notification.text.contains(action_word))).scalars().all()
        return sorted(rows)

    assert notified("chờ thẩm định") == ["thamdinh"]
    states.perform(user("reviewer"), item, "review", item.version)
    assert notified("chờ tiếp nhận") == ["tiepnhan"]
    states.perform(user("acceptor"), item, "return", item.version, "Sai số liệu")
    assert notified("bị trả lại") == ["ttpvhcc"]  # the owning unit's members only


def test_opening_a_period_creates_every_draft_once(period):
    n_tasks = db.session.scalar(select(func.count(Task.id)))
    assert db.session.scalar(select(func.count(TaskResult.id))) == n_tasks == 36
    assert db.session.scalar(select(func.count(UnitReport.id))) == 5
    assert not any(services.open_period(user("admin"), period).values())
    ttpvhcc = db.session.scalar(select(UnitReport).where(UnitReport.unit_id == user("ttpvhcc").unit_id))
    assert len(ttpvhcc.dossier_rows) > 0 and {a.target.code for a in ttpvhcc.target_actuals} >= {"4", "5"}
    assert {s.area.number for s in ttpvhcc.sections} >= {3, 7}
