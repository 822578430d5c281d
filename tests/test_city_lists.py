"""Issue 14, every list holds at city size: the queues a page at a time (sorted, filtered, "select all" of the
filtered set acted on in batches), the period's status page as a summary per unit, the task list's status
column, the homes' clock cut short, and a fixed number of SQL statements whatever the number of items."""
import re
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from workflow.extensions import db
from workflow.items import page as item_page, services
from workflow.models import ReportingPeriod, State, TaskResult, Unit
from workflow.models.org import utcnow
from workflow.reminders import clock

from .items_support import ready, user

OFFICERS = {"VHXH": "vhxh", "VP": "vp", "KTHTDT": "kthtdt", "TTSNC": "ttsnc", "TTPVHCC": "ttpvhcc"}


def send(results, start=None):
    """The results as their units would have sent them, one minute apart (oldest first), without the
    workflow's per-item cost: the lists are what is tested here."""
    start = start or utcnow() - timedelta(days=10)
    for n, result in enumerate(results):
        ready(result)
        result.state = State.SUBMITTED
        result.submitted_at = start + timedelta(minutes=n)
        result.submitted_by_id = user(OFFICERS[result.unit.code]).id
    db.session.commit()
    return results


def results_of(period, unit_code=None):
    query = select(TaskResult).join(Unit, TaskResult.unit_id == Unit.id).where(TaskResult.period_id == period.id)
    if unit_code:
        query = query.where(Unit.code == unit_code)
    return db.session.scalars(query.order_by(TaskResult.id)).all()


def rows(page):
    return re.findall(r'name="item" value="task-result:(\d+)"', page)


def open_year():
    year = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.name == "Năm 2025"))
    services.open_period(user("admin"), year)
    return year


@pytest.fixture
def per_page(monkeypatch):
    from workflow.items import queries
    monkeypatch.setattr(queries, "PER_PAGE", 10)
    return 10


def test_the_queue_is_a_page_at_a_time_oldest_first(auth, client, period, per_page):
    sent = send(results_of(period)[:25])
    auth.login("thamdinh")
    first = client.get("/queue/review").text
    assert '<span class="badge">25</span>' in first and "Trang 1/3" in first
    assert rows(first) == [str(r.id) for r in sent[:10]]  # the longest waiting first
    third = client.get("/queue/review?page=3").text
    assert rows(third) == [str(r.id) for r in sent[20:]]
    assert rows(client.get("/queue/review?page=99").text) == rows(third)  # past the end: the last page
    assert "10 ngày" in first  # how long each item has waited


def test_the_queue_sorts_and_keeps_its_filters_across_pages(auth, client, period, per_page):
    send(results_of(period))
    year = open_year()
    send(results_of(year)[:5], start=utcnow() - timedelta(days=30))  # sent earlier, due later
    auth.login("thamdinh")
    by_due = client.get("/queue/review?sort=due").text
    due_ids = {r.id for r in results_of(period)}
    assert all(int(i) in due_ids for i in rows(by_due))  # Quý III (due 05/09) before Năm 2025 (05/12)
    waiting = client.get("/queue/review").text
    assert {int(i) for i in rows(waiting)[:5]} == {r.id for r in results_of(year)[:5]}  # waited longest
    by_unit = client.get(f"/queue/review?sort=unit&period={period.id}").text
    codes = [db.session.get(TaskResult, int(i)).unit.code for i in rows(by_unit)]
    assert codes == sorted(codes)
    assert f"period={period.id}" in by_unit and "sort=unit" in by_unit.split('aria-label="Trang"')[1]
    unit = user("kthtdt").unit
    filtered = client.get(f"/queue/review?unit={unit.id}&period={period.id}&kind=task-result").text
    assert {db.session.get(TaskResult, int(i)).unit_id for i in rows(filtered)} == {unit.id}


def test_select_all_acts_on_the_filtered_set_in_batches(auth, client, period, monkeypatch):
    monkeypatch.setattr(item_page, "BATCH", 3)
    monkeypatch.setattr(item_page, "SHOWN_DONE", 2)
    kthtdt = send(results_of(period, "KTHTDT"))
    others = send(results_of(period, "TTPVHCC"))
    stale = kthtdt[0]
    stale.submitted_by_id = user("thamdinh").id  # the reviewer may not review what he sent: refused, reported
    db.session.commit()
    walked = []
    real = item_page.queries.waiting_batches

    def spy(*args):
        for batch in real(*args):
            walked.append(len(batch))
            yield batch
    monkeypatch.setattr(item_page.queries, "waiting_batches", spy)
    auth.login("thamdinh")
    unit = user("kthtdt").unit_id
    response = client.post("/queue/review/bulk", data={"all": "1", "unit": unit, "period": period.id})
    assert response.status_code == 200
    assert f"{len(kthtdt) - 1} xong, 1 bị từ chối" in response.text
    assert f"Và {len(kthtdt) - 1 - 2} hồ sơ khác" in response.text  # the list is cut, the counts are whole
    assert max(walked) <= 3 and sum(walked) == len(kthtdt)
    db.session.expire_all()
    assert [db.session.get(TaskResult, r.id).state for r in kthtdt] == ["submitted"] + ["reviewed"] * (len(kthtdt) - 1)
    assert {db.session.get(TaskResult, r.id).state for r in others} == {"submitted"}  # outside the filter


def test_the_status_page_sums_up_per_unit_and_links_each_figure(auth, client, period):
    sent = send(results_of(period, "KTHTDT")[:3])
    auth.login("chutich")
    with time_machine.travel(period.due_date - timedelta(days=5), tick=False):
        page = client.get(f"/periods/{period.id}/consolidated").text
    unit = sent[0].unit_id
    assert (f'/ho-so?period={period.id}&amp;unit={unit}&amp;kind=task-result&amp;state=submitted">3</a>') in page
    drafts = len(results_of(period, "KTHTDT")) - 3
    assert f'unit={unit}&amp;kind=task-result&amp;state=draft">{drafts}</a>' in page
    total = len(results_of(period)) + 5  # and the five unit reports
    assert f'Hồ sơ chưa được tiếp nhận <span class="badge">{total}</span>' in page
    assert 'href="/items/task-result/' not in page  # no list of every item any more
    with time_machine.travel(period.due_date + timedelta(days=9), tick=False):
        late = client.get(f"/periods/{period.id}/consolidated").text
    assert f'unit={unit}&amp;kind=task-result&amp;late=1">{drafts} quá hạn</a>' in late


@pytest.mark.parametrize("path, account", [("/queue/review", "thamdinh"), ("/periods/{period}/consolidated", "chutich")])
def test_statements_do_not_grow_with_the_items(auth, client, period, count_queries, path, account):
    send(results_of(period)[:4])
    auth.login(account)
    url = path.format(period=period.id)
    client.get(url)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    year = open_year()
    send(results_of(period)[4:])
    send(results_of(year))
    client.get(url)
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert large.count == small.count, (small.statements, large.statements)


def test_the_task_list_shows_each_task_state_in_the_chosen_period(auth, client, period, count_queries):
    sent = send(results_of(period)[:1])[0]
    auth.login("chutich")
    page = client.get("/tasks").text  # the first opened period by default
    assert f"<th>{period.name}</th>" in page and "Đã gửi" in page and "Dự thảo" in page
    assert f"<th>{period.name}</th>" not in client.get("/tasks?period=0").text
    with count_queries() as without:
        client.get("/tasks?period=0")
    with count_queries() as with_states:
        client.get(f"/tasks?period={period.id}")
    assert with_states.count == without.count + 1  # one statement for the whole page, not one per row
    assert client.get("/tasks?period=999999").status_code == 422
    assert sent.task.code in page


def test_the_home_clock_lists_the_latest_and_points_to_the_status_pages(auth, client, period, monkeypatch):
    monkeypatch.setattr(clock, "SHOWN", 2)
    with time_machine.travel(period.due_date + timedelta(days=9), tick=False):
        auth.login("chutich")
        home = client.get("/").text
    assert home.count("<strong>Quá hạn") == 2
    assert "Và 3 dòng quá hạn khác." in home  # five units late, two shown
    assert f'href="/periods/{period.id}/consolidated">Tình hình {period.name}</a>' in home
