"""The calendar of due dates: a unit's month page shows its own items only, an overseer's every unit's
(grouped), the private iCalendar feed holds what the database says is due, and its link can be
rotated and revoked."""
import re
from datetime import date, datetime, timezone

import pytest
import time_machine
from icalendar import Calendar
from sqlalchemy import or_, select

from workflow import kinds
from workflow.calendar import routes as calendar_routes
from workflow.calendar import services
from workflow.extensions import db
from workflow.models import State, Task, TaskResult, User
from workflow.models.plan import task_cooperators

from .items_support import report_of, user

ITEM_LINK = re.compile(r'href="/items/([a-z-]+)/(\d+)"')
GRID_LINK = re.compile(r'<li><a href="([^"]+)"')


def unit_kinds():
    return [k.model for k in kinds.dated_kinds() if k.model is not TaskResult]


@pytest.fixture(autouse=True)
def calendar_pages(app):
    """The lead registers the blueprint in create_app; until then, here, before any request."""
    if "calendar" not in app.blueprints:
        app.register_blueprint(calendar_routes.bp)


def tasks_of(unit_id):
    """Tasks the unit leads or cooperates on, straight from the tables."""
    cooperating = select(task_cooperators.c.task_id).where(task_cooperators.c.unit_id == unit_id)
    return db.session.scalars(select(Task).where(or_(Task.lead_unit_id == unit_id, Task.id.in_(cooperating)))).all()


def unit_items(unit_id):
    """The unit's items other than task results (report, self-assessment, the ward's documents)."""
    return [item for model in unit_kinds()
            for item in db.session.scalars(select(model).where(model.unit_id == unit_id))]


def expected_links(unit_id, first, last):
    """(kind, id) of every item the unit answers for, due between `first` and `last`: each task on its
    deadline through its only opened result (Quý III), the other items on their period's due date."""
    links = {(TaskResult.KIND, db.session.scalar(select(TaskResult.id).where(TaskResult.task_id == t.id)))
             for t in tasks_of(unit_id) if first <= t.deadline <= last}
    return links | {(i.KIND, i.id) for i in unit_items(unit_id) if first <= i.period.due_date <= last}


def page_links(html):
    return {(kind, int(item_id)) for kind, item_id in ITEM_LINK.findall(html)}


def test_a_unit_sees_its_own_items_with_their_deadlines(auth, client, period):
    kthtdt = user("kthtdt")
    auth.login("kthtdt")
    for month, first, last in (("2025-09", date(2025, 9, 1), date(2025, 9, 30)),
                               ("2025-11", date(2025, 11, 1), date(2025, 11, 30))):
        html = client.get(f"/lich?thang={month}").get_data(as_text=True)
        wanted = expected_links(kthtdt.unit_id, first, last)
        assert wanted and page_links(html) == wanted
    html = client.get("/lich?thang=2025-09").get_data(as_text=True)
    assert "Báo cáo Quý III/2025 – Phòng Kinh tế, Hạ tầng và Đô thị" in html
    assert "Phòng Văn hóa - Xã hội" not in html  # another unit's report is not even named
    assert "Thứ Sáu, 05/09/2025" in html  # the list under the grid, day by day
    mine = {t.code for t in tasks_of(kthtdt.unit_id)}
    other = db.session.scalar(select(Task).where(Task.code.not_in(mine), Task.deadline == date(2025, 11, 30)))
    html = client.get("/lich?thang=2025-11").get_data(as_text=True)
    assert f"NV {other.code}<" not in html and f"{other.code}. {other.title}" not in html
    cooperating = next(t for t in tasks_of(kthtdt.unit_id) if t.lead_unit_id != kthtdt.unit_id)
    assert f"{cooperating.code}. {cooperating.title}" in html and "(Phối hợp)" in html


def test_an_overseer_sees_every_unit_grouped_in_few_queries(auth, client, period, count_queries):
    auth.login("chutich")
    html = client.get("/lich?thang=2025-11").get_data(as_text=True)
    due = db.session.scalars(select(Task).where(Task.deadline == date(2025, 11, 30))).all()
    leads = {t.lead_unit for t in due}
    assert len(leads) == 5
    for unit in leads:
        led = [t for t in due if t.lead_unit_id == unit.id]
        shown = f"{len(led)} nhiệm vụ do {unit.name} chủ trì" if len(led) > 1 else f"{led[0].code}. {led[0].title}"
        assert shown in html
    grid = html.split('id="danh-sach"')[0]
    assert grid.count("<li>") == len(leads)  # one line per lead unit that day, not one per task
    september = client.get("/lich?thang=2025-09").get_data(as_text=True)
    assert "Báo cáo đơn vị Quý III/2025" in september and "5 đơn vị" in september
    for link in set(GRID_LINK.findall(grid + september.split('id="danh-sach"')[0])):  # a group leads somewhere real
        assert client.get(link.replace("&amp;", "&")).status_code == 200, link
    chairman = user("chutich")
    with count_queries() as counter:
        services.entries(chairman, date(2025, 9, 10))
    assert counter.count == 2 + len(unit_kinds())  # tasks, their results, one per other kind


def make_feed(client):
    assert client.post("/lich/feed").status_code == 303
    db.session.expire_all()
    return db.session.scalar(select(User.calendar_token).where(User.username == "ttpvhcc"))


def test_the_feed_holds_every_due_date_of_the_persons_items(auth, client, app, period):
    ttpvhcc = user("ttpvhcc")
    report = report_of("ttpvhcc", period)
    report.state = State.ACCEPTED  # done: shown as done, with no reminder
    db.session.commit()
    auth.login("ttpvhcc")
    token = make_feed(client)
    assert token and len(token) >= 43
    page = client.get("/lich").get_data(as_text=True)
    assert f"{app.config['BASE_URL']}/lich/{token}.ics" in page and "Bất kỳ ai có đường liên kết" in page
    auth.logout()
    response = client.get(f"/lich/{token}.ics")  # no session needed
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response.headers["Cache-Control"]
    feed = Calendar.from_ical(response.data)
    assert str(feed["VERSION"]) == "2.0" and "CCHC" in str(feed["PRODID"])
    assert "Đỗ Quang Huy" in str(feed["X-WR-CALNAME"])
    events = {str(e["UID"]): e for e in feed.walk("VEVENT")}
    tasks, items = tasks_of(ttpvhcc.unit_id), unit_items(ttpvhcc.unit_id)
    wanted = {f"task-{t.id}@phulien": t.deadline for t in tasks}
    wanted |= {f"{i.KIND}-{i.id}@phulien": i.period.due_date for i in items}
    assert {uid: e.decoded("DTSTART") for uid, e in events.items()} == wanted
    assert all(type(e.decoded("DTSTART")) is date for e in events.values())  # all-day: VALUE=DATE
    assert "DTSTART;VALUE=DATE:" in response.data.decode()
    for uid, event in events.items():
        alarms = event.walk("VALARM")
        if uid == f"unit-report-{report.id}@phulien":
            assert str(event["SUMMARY"]).startswith("[Đã xong]") and not alarms
            continue
        assert len(alarms) == 1 and str(alarms[0]["ACTION"]) == "DISPLAY"
        assert alarms[0].decoded("TRIGGER").total_seconds() < 0  # before the due day
        assert f"{app.config['BASE_URL']}/items/" in str(event["DESCRIPTION"])
        assert "Trạng thái: Dự thảo" in str(event["DESCRIPTION"])


def test_a_rotated_or_revoked_link_answers_404(auth, client, period):
    auth.login("ttpvhcc")
    assert client.get("/lich/khong-co-that.ics").status_code == 404
    old = make_feed(client)
    assert client.get(f"/lich/{old}.ics").status_code == 200
    new = make_feed(client)
    assert new != old
    assert client.get(f"/lich/{old}.ics").status_code == 404
    assert client.get(f"/lich/{new}.ics").status_code == 200
    assert client.post("/lich/feed/revoke").status_code == 303
    assert client.get(f"/lich/{new}.ics").status_code == 404
    assert "Bạn chưa có đường liên kết lịch" in client.get("/lich").get_data(as_text=True)


def test_a_deactivated_persons_feed_answers_404(auth, client, period):
    auth.login("ttpvhcc")
    token = make_feed(client)
    user("ttpvhcc").active = False
    db.session.commit()
    assert client.get(f"/lich/{token}.ics").status_code == 404


def test_the_page_needs_a_session_and_the_feed_forms_post(client, seeded):
    assert client.get("/lich").status_code == 302
    assert client.post("/lich/feed").status_code == 302
    assert client.get("/lich/feed").status_code in (404, 405)


def test_the_feed_forms_need_the_csrf_token(auth, client, app):
    auth.login("vp")
    app.config["WTF_CSRF_ENABLED"] = True  # the suite turns it off; these forms must carry it
    assert client.post("/lich/feed").status_code == 400
    assert user("vp").calendar_token is None
    html = client.get("/lich").get_data(as_text=True)
    form = re.search(r'action="/lich/feed">\s*<input type="hidden" name="csrf_token" value="([^"]+)"', html)
    assert client.post("/lich/feed", data={"csrf_token": form[1]}).status_code == 303
    db.session.expire_all()
    assert user("vp").calendar_token


@pytest.mark.parametrize("value", ["2025-13", "tháng-9", "2025-09-01", "1999-12", "2025-00"])
def test_a_bad_month_answers_400_in_vietnamese(auth, client, seeded, value):
    auth.login("vp")
    response = client.get("/lich", query_string={"thang": value})
    assert response.status_code == 400
    assert "Tháng không hợp lệ" in response.get_data(as_text=True)


def at_ward_noon(day):
    """Noon in the ward (UTC+7) on `day`, frozen."""
    return time_machine.travel(datetime(day.year, day.month, day.day, 5, tzinfo=timezone.utc), tick=False)


def test_on_a_frozen_day_what_is_past_due_says_quá_hạn(auth, client, period):
    report = report_of("vp", period)
    with at_ward_noon(date(2025, 9, 4)):
        auth.login("vp")
        html = client.get("/lich").get_data(as_text=True)
        assert "Lịch hạn tháng 9/2025" in html and "Hôm nay: <strong>04/09/2025" in html
        assert f"/items/unit-report/{report.id}" in html and "Quá hạn" not in html  # due tomorrow: in time
    with at_ward_noon(date(2025, 9, 10)):
        html = client.get("/lich").get_data(as_text=True)
        today_cell = html.split('aria-current="date"')[1].split("</td>")[0]
        assert "<strong>10</strong>" in today_cell and "Hôm nay" in today_cell
        listed = html.split('id="ngay-2025-09-05"')[1].split("</ul>")[0]
        assert f"/items/unit-report/{report.id}" in listed and "Quá hạn" in listed
        assert 'rel="prev"' in html and "thang=2025-08" in html and "thang=2025-10" in html


def test_an_empty_month_says_so(auth, client, period):
    auth.login("vp")
    html = client.get("/lich?thang=2026-03").get_data(as_text=True)
    assert "Không có hạn nào trong tháng 3/2026" in html
    assert not page_links(html)
