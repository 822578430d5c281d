"""Đôn đốc: the scheduler walked through a period day by day (Quý III/2025, due 05/09/2025), the
reminders by hand, and the clock on the homes. The messages are read from the outbox here; tests/
test_reminders_smtp.py walks the same days through a real SMTP server."""
import html
import re
import threading
from collections import Counter
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from workflow.extensions import db
from workflow.models import ItemHistory, Notification, OutboxMessage, State, Unit, User
from workflow.reminders import policy, scheduler
from workflow.reminders.clock import draft_counts

from .items_support import result_of, user

DUE = date(2025, 9, 5)
WARD = ZoneInfo("Asia/Ho_Chi_Minh")
MEMBERS = {"vhxh", "vp", "kthtdt", "ttsnc", "ttpvhcc"}   # one MEMBER per unit, every unit owes drafts
LEADERS = {"chutich", "phochutich"}                     # the chairman role
ESCALATED = LEADERS | {"thamdinh"}                      # the leaders and VHXH's reviewer
HEADS = {f"truong.{m}" for m in MEMBERS}                # each late unit's head (an address, no account)


def at_ward(day, hour=8, minute=0):
    """A naive UTC instant: `day` at hour:minute in the ward."""
    local = datetime.combine(day, time(hour, minute), tzinfo=WARD)
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def with_addresses():
    for person in db.session.scalars(select(User)):
        person.email = f"{person.username}@phulien.local"
    db.session.commit()


def rows(category=None):
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if category:
        query = query.where(OutboxMessage.category == category)
    return db.session.scalars(query).all()


def flat(text):
    """A body as one line: the text part is wrapped at 72 characters."""
    return " ".join(text.split())


def recipients(messages):
    return Counter(m.to_addr.split("@")[0] for m in messages)


@pytest.fixture
def walked(period):
    """The period walked from 10 days before its due day to 10 days after, twice a day each day."""
    with_addresses()
    opened = len(rows())
    by_day = {}
    for offset in range(-10, 11):
        day = DUE + timedelta(days=offset)
        assert scheduler.run(at_ward(day, 0, 30)) == 0   # before the policy's hour: nothing yet
        before = {m.id for m in rows()}
        scheduler.run(at_ward(day, 8))
        assert scheduler.run(at_ward(day, 15)) == 0       # a rerun the same day writes nothing
        by_day[day] = [m for m in rows() if m.id not in before]
    return opened, by_day


def test_opening_a_period_tells_each_unit_what_it_owes(period):
    messages = rows("period")  # written when the period fixture opened Quý III (demo accounts have addresses)
    assert recipients(messages) == Counter({name: 1 for name in MEMBERS})
    kthtdt = next(m for m in messages if m.to_addr.startswith("kthtdt"))
    assert kthtdt.subject == "Mở kỳ báo cáo Quý III/2025: hạn gửi 05/09/2025"
    assert "kết quả nhiệm vụ" in flat(kthtdt.body_text).lower() and "Phòng Kinh tế" in flat(kthtdt.body_text)


def test_the_walk_writes_exactly_the_policys_messages(walked):
    _, by_day = walked
    for day, messages in by_day.items():
        left = (DUE - day).days
        kinds = Counter(m.category for m in messages)
        expected = Counter()
        if left in (7, 3, 1, 0):
            expected["due"] = len(MEMBERS)
        if left < 0:
            expected["overdue"] = len(MEMBERS)
        if left == -3:
            expected["escalation"] = len(ESCALATED) + len(HEADS)
        if day.weekday() == 0:
            expected["weekly"] = len(LEADERS)
        assert kinds == expected, (day, kinds)
        for category, people in (("due", MEMBERS), ("overdue", MEMBERS), ("escalation", ESCALATED | HEADS),
                                 ("weekly", LEADERS)):
            if expected[category]:
                assert set(recipients(m for m in messages if m.category == category)) == people, (day, category)


def test_the_messages_say_what_is_owed(walked):
    _, by_day = walked
    due3 = next(m for m in by_day[DUE - timedelta(days=3)] if m.to_addr.startswith("kthtdt"))
    assert due3.subject == "Còn 3 ngày đến hạn gửi hồ sơ Quý III/2025"
    assert "05/09/2025" in flat(due3.body_text) and "kết quả nhiệm vụ" in flat(due3.body_text).lower()
    assert "/work" in flat(due3.body_text) and "/mail/stop/" in flat(due3.body_text)
    late = next(m for m in by_day[DUE + timedelta(days=3)] if m.to_addr.startswith("thamdinh@"))
    assert "Phòng Kinh tế" in flat(late.body_text)
    weekly = next(m for m in by_day[date(2025, 9, 8)] if m.category == "weekly" and m.to_addr.startswith("chutich"))
    assert "quá hạn 3 ngày" in flat(weekly.body_text)


def test_the_late_units_head_is_told_on_the_escalation_day(walked):
    """The head needs no account: the message goes to the unit's head_email, greets the head by title and
    name, says what the unit owes and who enters it, and has no stop link (one per late period)."""
    _, by_day = walked
    heads = [m for day, messages in by_day.items() for m in messages if m.to_addr.startswith("truong.")]
    assert {m.to_addr for m in heads} == {f"{h}@phulien.example" for h in HEADS}
    kthtdt = next(m for m in heads if m.to_addr.startswith("truong.kthtdt@"))
    assert kthtdt.user_id is None and kthtdt.category == "escalation"
    assert kthtdt.subject.endswith("chưa gửi hồ sơ Quý III/2025 sau 3 ngày quá hạn")
    text = flat(kthtdt.body_text)
    assert text.startswith("Kính gửi Trưởng phòng Bùi Đức Long,")
    assert "kết quả nhiệm vụ" in text.lower() and "Hoàng Văn Nam" in text  # what it owes; who enters it
    assert "trách nhiệm người đứng đầu" in text and "/mail/stop/" not in text and "Bùi Đức Long" in kthtdt.body_html


def test_a_unit_without_a_heads_address_escalates_to_vhxh_only(period):
    with_addresses()
    kthtdt = db.session.scalar(select(Unit).where(Unit.code == "KTHTDT"))
    kthtdt.head_email = None
    db.session.commit()
    scheduler.run(at_ward(DUE + timedelta(days=3)))
    addresses = {m.to_addr for m in rows("escalation")}
    assert f"truong.{kthtdt.code.lower()}@phulien.example" not in addresses
    assert {a for a in addresses if a.startswith("truong.")} == {f"{h}@phulien.example" for h in HEADS} - {
        f"truong.{kthtdt.code.lower()}@phulien.example"}


def test_two_schedulers_at_once_write_each_message_once(app, period):
    with_addresses()
    moment = at_ward(DUE + timedelta(days=3))
    results, errors = [], []

    def run():
        with app.app_context():
            try:
                results.append(scheduler.run(moment))
            except Exception as err:  # noqa: BLE001 - reported below
                errors.append(err)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    keys = [m.key for m in rows() if m.category != "period"]
    assert DUE + timedelta(days=3) == date(2025, 9, 8) and date(2025, 9, 8).weekday() == 0  # also the weekly digest
    assert len(keys) == len(set(keys)) == sum(results) == len(MEMBERS) + len(ESCALATED) + len(HEADS) + len(LEADERS)


def test_queue_digest_to_reviewers_after_the_wait(period):
    with_addresses()
    result = result_of("3.a", period)
    result.state, result.submitted_at = State.SUBMITTED, at_ward(DUE - timedelta(days=8))
    db.session.commit()
    scheduler.run(at_ward(DUE - timedelta(days=6)))
    assert rows("queue") == []  # waited 2 days: under the policy's 3
    scheduler.run(at_ward(DUE - timedelta(days=4)))
    queue = rows("queue")
    assert set(recipients(queue)) == {"thamdinh"} and "1 kết quả nhiệm vụ" in flat(queue[0].body_text).lower()


def test_a_new_policy_version_applies(period):
    with_addresses()
    policy.save(user("admin"), {"before_due_days": [2]}, "Chỉ nhắc trước 2 ngày")
    db.session.commit()
    assert policy.current()["before_due_days"] == [2] and policy.current_version() == 1
    assert scheduler.run(at_ward(DUE - timedelta(days=3))) == 0
    assert scheduler.run(at_ward(DUE - timedelta(days=2))) == len(MEMBERS)


def test_a_stopped_kind_is_not_written(period):
    with_addresses()
    from workflow.models import MailOptOut
    db.session.add(MailOptOut(user_id=user("kthtdt").id, category="due"))
    db.session.commit()
    scheduler.run(at_ward(DUE))
    assert "kthtdt" not in recipients(rows("due")) and len(rows("due")) == len(MEMBERS) - 1


# --- "Nhắc nhở" by hand ---------------------------------------------------------------------------

def test_vhxh_reminds_a_unit_about_an_item(client, auth, period):
    with_addresses()
    result = result_of("6.a", period)  # KTHTDT's
    auth.login("thamdinh")
    page = client.get(f"/items/task-result/{result.id}")
    assert "Nhắc nhở" in page.text
    response = client.post(f"/items/task-result/{result.id}/remind", data={"message": "Đề nghị gửi trước thứ Sáu."})
    assert response.status_code == 303
    entry = db.session.scalar(select(ItemHistory).where(ItemHistory.item_id == result.id, ItemHistory.action == "remind"))
    assert entry.reason == "Đề nghị gửi trước thứ Sáu." and entry.actor.username == "thamdinh"
    notices = db.session.scalars(select(Notification).where(Notification.item_id == result.id)).all()
    assert {n.user_id for n in notices} == {user("kthtdt").id} and "Đề nghị gửi trước thứ Sáu." in notices[0].text
    mail = rows("manual")
    assert recipients(mail) == Counter({"kthtdt": 1}) and "Đề nghị gửi trước thứ Sáu." in flat(mail[0].body_text)
    assert "Nhắc nhở" in client.get(f"/items/task-result/{result.id}").text  # in the history, by name


def test_a_reminder_is_refused_to_a_unit_member_and_for_an_item_sent(client, auth, period):
    result = result_of("6.a", period)
    auth.login("vhxh")
    assert client.post(f"/items/task-result/{result.id}/remind", data={"message": "x"}).status_code == 403
    auth.logout()
    auth.login("thamdinh")
    too_long = client.post(f"/items/task-result/{result.id}/remind", data={"message": "x" * 1001})
    assert too_long.status_code == 422 and "1000 ký tự" in too_long.text
    result.state = State.SUBMITTED
    db.session.commit()
    sent = client.post(f"/items/task-result/{result.id}/remind", data={"message": "x"})
    assert sent.status_code == 409 and "không cần nhắc nhở" in sent.text


# --- the clock on the homes ---------------------------------------------------------------------

@pytest.mark.parametrize("day, words", [(DUE - timedelta(days=3), "Còn 3 ngày"), (DUE, "Hôm nay là hạn"),
                                        (DUE + timedelta(days=3), "Quá hạn 3 ngày")])
def test_homes_show_the_clock(client, auth, period, day, words):
    with time_machine.travel(at_ward(day).replace(tzinfo=timezone.utc), tick=False):
        auth.login("kthtdt")
        own = client.get("/").text
        auth.logout()
        auth.login("chutich")
        leader = client.get("/").text
    assert words in own and "Phòng Kinh tế" in own and "Trung tâm Phục vụ" not in own.split("Chỉ tiêu chủ yếu")[0]
    assert words in leader and leader.count(words) == len(MEMBERS)


def test_the_status_page_flags_late_rows_and_links_every_row(client, auth, period):
    """The period's status page, one row per unit (issue 14: a flat list of every item did not hold at
    city size): every figure is a link to the list of exactly those items, a unit with drafts after the
    due day is flagged late with the days, and each column says who is expected to act next."""
    sent = result_of("3.a", period)
    sent.state = State.SUBMITTED
    db.session.commit()
    with time_machine.travel(at_ward(DUE + timedelta(days=3)).replace(tzinfo=timezone.utc), tick=False):
        auth.login("chutich")
        page = client.get(f"/periods/{period.id}/consolidated").text
        figures = re.findall(r'<a (?:class="overdue" )?href="(/ho-so\?[^"]+)">(\d+)', page)
        listed = {html.unescape(href): client.get(html.unescape(href)).text for href, _ in figures}
    rows = {row.split("</tr>")[0] for row in page.split('<tr class="')[1:]}
    assert rows and all(r.startswith("is-overdue") for r in rows)  # every unit still has late drafts
    draft = result_of("6.a", period)  # a late draft: its unit's figure says so and lists the late drafts
    late_link = f'/ho-so?period={period.id}&amp;unit={draft.unit_id}&amp;kind=task-result&amp;late=1"'
    assert late_link in page and re.search(re.escape(late_link) + r'>\d+ quá hạn</a>', page)
    assert "đã quá hạn 3 ngày (hạn 05/09/2025)" in page
    sent_link = (f'/ho-so?period={period.id}&amp;unit={sent.unit_id}&amp;kind=task-result&amp;state=submitted">1</a>')
    assert sent_link in page
    assert "Chờ đơn vị hoàn thành và gửi" in page and "Chờ thẩm định" in page  # who acts next, per column
    assert figures and all(f'<span class="badge">{n}</span>' in listed[html.unescape(href)] for href, n in figures)
    assert f'href="/items/task-result/{sent.id}"' in listed[html.unescape(sent_link.split('"')[0])]
    assert f'href="/items/task-result/{draft.id}"' in listed[html.unescape(late_link.split('"')[0])]
    with time_machine.travel(at_ward(DUE).replace(tzinfo=timezone.utc), tick=False):
        on_the_day = client.get(f"/periods/{period.id}/consolidated").text
    assert "is-overdue" not in on_the_day and "quá hạn" not in on_the_day.lower()


# --- the policy, edited as data ---------------------------------------------------------------------

GOOD_POLICY = {"before_due_days": "5, 1", "overdue_daily": "y", "escalate_after_days": "2", "queue_wait_days": "4",
               "weekly_weekday": "4", "weekly_time": "16:00", "daily_time": "06:30", "note": "Theo chỉ đạo của Chủ tịch"}


def test_vhxh_edits_the_policy_as_a_new_version(client, auth, period):
    auth.login("thamdinh")
    page = client.get("/nhac-han")
    assert page.status_code == 200 and 'value="7, 3, 1, 0"' in page.text
    bad = client.post("/nhac-han", data={**GOOD_POLICY, "before_due_days": "7, ba", "weekly_time": "25:00", "note": ""})
    assert bad.status_code == 422
    for message in ("cách nhau bởi dấu phẩy", "Giờ dạng HH:MM", "Vui lòng nêu lý do thay đổi"):
        assert message in bad.text
    assert policy.current_version() == 0
    assert client.post("/nhac-han", data=GOOD_POLICY).status_code == 303
    assert policy.current() == {"before_due_days": [5, 1], "overdue_daily": True, "escalate_after_days": 2,
                                "queue_wait_days": 4, "weekly_weekday": 4, "weekly_time": "16:00", "daily_time": "06:30"}
    listed = client.get("/nhac-han").text
    assert "Theo chỉ đạo của Chủ tịch" in listed and "(đang áp dụng)" in listed
    with_addresses()
    assert scheduler.run(at_ward(DUE - timedelta(days=5), 6, 45)) == len(MEMBERS)  # the new day and hour apply


def test_only_the_policys_editors_may_change_it(client, auth, period):
    auth.login("kthtdt")
    assert client.get("/nhac-han").status_code == 403
    assert client.post("/nhac-han", data=GOOD_POLICY).status_code == 403
    assert policy.current_version() == 0


def test_a_leader_reminds_a_unit_of_all_its_overdue_items(client, auth, period):
    with_addresses()
    kthtdt = user("kthtdt").unit
    with time_machine.travel(at_ward(DUE + timedelta(days=3)).replace(tzinfo=timezone.utc), tick=False):
        auth.login("chutich")
        assert "Nhắc nhở đơn vị" in client.get("/").text
        response = client.post(f"/units/{kthtdt.id}/periods/{period.id}/remind", data={"message": "Gửi ngay trong hôm nay."})
        assert response.status_code == 303
        assert "Đã nhắc nhở Phòng Kinh tế" in client.get("/").text
    entries = db.session.scalars(select(ItemHistory).where(ItemHistory.action == "remind")).all()
    owed = sum(draft_counts([period.id], kthtdt.id)[(kthtdt.id, period.id)].values())
    assert owed >= 3 and len(entries) == owed and {e.reason for e in entries} == {"Gửi ngay trong hôm nay."}
    mail = rows("manual")
    assert recipients(mail) == Counter({"kthtdt": 1}) and mail[0].subject == f"Nhắc nhở: {owed} hồ sơ Quý III/2025 quá hạn"
    assert "6.a" in flat(mail[0].body_text) or "Đổi mới cơ chế phân bổ" in flat(mail[0].body_text)
    notices = db.session.scalars(select(Notification).where(Notification.text.contains("Gửi ngay trong hôm nay."))).all()
    assert [n.user_id for n in notices] == [user("kthtdt").id]


def test_a_unit_reminder_before_the_due_day_or_by_a_member_is_refused(client, auth, period):
    kthtdt = user("kthtdt").unit
    auth.login("vhxh")
    assert client.post(f"/units/{kthtdt.id}/periods/{period.id}/remind", data={}).status_code == 403
    auth.logout()
    with time_machine.travel(at_ward(DUE - timedelta(days=1)).replace(tzinfo=timezone.utc), tick=False):
        auth.login("chutich")
        early = client.post(f"/units/{kthtdt.id}/periods/{period.id}/remind", data={})
        assert early.status_code == 409 and "không còn hồ sơ quá hạn" in early.text
        too_long = client.post(f"/units/{kthtdt.id}/periods/{period.id}/remind", data={"message": "x" * 1001})
        assert too_long.status_code == 422 and "1000 ký tự" in too_long.text
    assert rows("manual") == []
