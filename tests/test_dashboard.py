"""The leadership dashboard on the home page: each unit's work of a period by state, built here through
the workflow (submit, review, accept), and the list behind every figure (/ho-so). Every figure is a link,
and the list it opens holds exactly that many items."""
import re
import subprocess
from datetime import date, timedelta, timezone

import pytest
import time_machine
from sqlalchemy import insert, select

from workflow.extensions import db
from workflow.dashboard import charts
from workflow.dashboard.figures import Progress
from workflow.items import services, states
from workflow.models import ReportingPeriod, State, Task, TaskResult, Unit, User
from workflow.reminders import manual, scheduler
from workflow.seed.scoring import load_default_scheme

from .items_support import ready, report_of, result_of, user
from .test_reminders import at_ward, with_addresses

DUE = date(2025, 9, 5)
MATRIX_LINK = re.compile(r'<a href="(/ho-so\?[^"]+)">(\d+)</a>')


def travel(day, hour=8, minute=0):
    return time_machine.travel(at_ward(day, hour, minute).replace(tzinfo=timezone.utc), tick=False)


def act(username, item, action):
    db.session.refresh(item)
    states.perform(user(username), item, action, item.version)


@pytest.fixture
def mixed(period):
    """Before the due day: KTHTDT sends 3 of its 8 task results; VHXH's reviewer passes 2, the VP office
    accepts 1; TTPVHCC sends its report. Everything else stays a draft."""
    with travel(DUE - timedelta(days=2)):
        sent = [ready(result_of(code, period)) for code in ("3.e", "6.a", "6.b")]
        for result in sent:
            act("kthtdt", result, "submit")
        act("thamdinh", sent[0], "review")
        act("thamdinh", sent[1], "review")
        act("tiepnhan", sent[0], "accept")
        act("ttpvhcc", ready(report_of("ttpvhcc", period)), "submit")
    return period


def matrix_html(page):
    return page.split('<table class="matrix">')[1].split("</table>")[0]


def row_of(html, code):
    return next(r for r in html.split("<tr")[1:] if f">{code}</abbr>" in r)


def list_total(client, url):
    page = client.get(url)
    assert page.status_code == 200, url
    total = int(re.search(r'<span class="badge">(\d+)</span></h1>', page.text).group(1))
    rows = page.text.split("<tbody>")[1].split("</tbody>")[0].count("<tr") if total else 0
    return total, rows, page.text


def test_the_matrix_counts_the_states_the_workflow_made(client, auth, mixed):
    with travel(DUE + timedelta(days=3)):
        auth.login("chutich")
        html = matrix_html(client.get(f"/?period={mixed.id}").text)
    kthtdt = row_of(html, "KTHTDT")
    results = kthtdt.split("<td>")[1]
    assert re.search(r">5</a> quá hạn", results) and re.search(r">1</a> chờ thẩm định", results)
    assert re.search(r">1</a> chờ tiếp nhận", results) and re.search(r">1</a> đã tiếp nhận", results)
    ttpvhcc_report = row_of(html, "TTPVHCC").split("<td>")[2]
    assert re.search(r">1</a> chờ thẩm định", ttpvhcc_report) and "quá hạn" not in ttpvhcc_report
    whole = html.split('class="total')[1]
    assert re.search(r">33</a> quá hạn", whole.split("<td>")[1])  # 36 task results, 3 sent


def test_every_figure_is_the_count_of_the_list_it_links_to(client, auth, mixed):
    with travel(DUE + timedelta(days=3)):
        auth.login("chutich")
        links = MATRIX_LINK.findall(matrix_html(client.get(f"/?period={mixed.id}").text))
        assert len(links) >= 15  # every cell with items, and a link per state it holds
        for url, figure in links:
            total, rows, _ = list_total(client, url.replace("&amp;", "&"))
            assert total == int(figure) and rows == min(total, 50), url


def test_a_red_figure_opens_exactly_those_late_items(client, auth, mixed):
    with travel(DUE + timedelta(days=3)):
        auth.login("chutich")
        html = matrix_html(client.get("/").text)  # the period with work still open is the default
        url = re.search(r'<li class="s-late"><a href="([^"]+)">5</a>', row_of(html, "KTHTDT")).group(1)
        total, rows, page = list_total(client, url.replace("&amp;", "&"))
    unsent = {r.id for r in db.session.scalars(select(TaskResult).join(Unit, TaskResult.unit_id == Unit.id).where(
        Unit.code == "KTHTDT", TaskResult.period_id == mixed.id, TaskResult.state == State.DRAFT))}
    assert total == rows == len(unsent) == 5
    assert {int(i) for i in re.findall(r'href="/items/task-result/(\d+)"', page)} == unsent
    assert page.count("Quá hạn") >= 5 and "Chờ đơn vị hoàn thành và gửi" in page


def test_before_the_due_day_nothing_is_late(client, auth, mixed):
    with travel(DUE):
        auth.login("chutich")
        html = matrix_html(client.get(f"/?period={mixed.id}").text)
        assert "quá hạn" not in html and re.search(r">5</a> chưa gửi", row_of(html, "KTHTDT"))
        late_list = client.get(f"/ho-so?period={mixed.id}&kind=task-result&late=1").text
    assert '<span class="badge">0</span>' in late_list


def test_a_unit_sees_its_own_row_and_only_its_own_items(client, auth, mixed):
    vp = db.session.scalar(select(Unit).where(Unit.code == "VP"))
    with travel(DUE + timedelta(days=3)):
        auth.login("kthtdt")
        html = matrix_html(client.get(f"/?period={mixed.id}").text)
        asked_for_vp = client.get(f"/ho-so?period={mixed.id}&kind=task-result&unit={vp.id}").text
    assert ">KTHTDT</abbr>" in html and ">VP</abbr>" not in html
    shown = {int(i) for i in re.findall(r'href="/items/task-result/(\d+)"', asked_for_vp)}
    own = {r.id for r in db.session.scalars(select(TaskResult).where(TaskResult.period_id == mixed.id))
           if r.unit.code == "KTHTDT"}
    assert shown == own  # the address asked for VP's: the query gave KTHTDT's


@pytest.mark.parametrize("query", ["", "period=abc", "period=99999"])
def test_the_list_needs_an_opened_period(client, auth, period, query):
    auth.login("chutich")
    assert client.get(f"/ho-so?{query}").status_code == 404


def test_garbage_in_the_filters_is_ignored(client, auth, period):
    auth.login("chutich")
    page = client.get(f"/ho-so?period={period.id}&kind=nope&state=lost&unit=x&late=yes&page=-3")
    assert page.status_code == 200 and "Kết quả nhiệm vụ" in page.text


def _grow(period, tasks):
    """`tasks` more tasks in the plan, each with its draft result in the period (rows written directly,
    in bulk: this measures the page, not the workflow)."""
    first = db.session.scalar(select(Task).order_by(Task.id))
    db.session.execute(insert(Task), [
        {"plan_id": first.plan_id, "area_id": first.area_id, "code": f"X.{n}", "title": f"Nhiệm vụ thêm {n}",
         "content": "", "lead_unit_id": first.lead_unit_id, "deadline": first.deadline, "position": 100 + n}
        for n in range(tasks)])
    added = db.session.scalars(select(Task.id).where(Task.code.like("X.%"))).all()
    db.session.execute(insert(TaskResult), [
        {"task_id": task_id, "period_id": period.id, "unit_id": first.lead_unit_id, "state": "draft"}
        for task_id in added])
    db.session.commit()


def test_the_dashboard_runs_the_same_queries_at_any_size(client, auth, period, count_queries, monkeypatch):
    load_default_scheme(period.plan)  # the ranking at a glance too
    with_addresses()
    scheduler.run(at_ward(DUE + timedelta(days=1)))  # every late unit reminded by the scheduler …
    manual.remind_unit(user("thamdinh"), unit("VP"), period)  # … and one by hand
    auth.login("chutich")
    client.get("/")
    with count_queries() as small:
        assert client.get(f"/?period={period.id}").status_code == 200
    _grow(period, 9964)  # 36 + 9,964 = 10,000 tasks
    client.get("/")  # as before the first count: the same objects already loaded
    with count_queries() as large:
        page = client.get(f"/?period={period.id}").text
    assert large.count == small.count, (small.count, large.count)
    assert "Xếp hạng CCHC Quý III/2025" in page
    assert re.search(r">10000</a> quá hạn", page.split('class="total')[1])  # today's clock: long past due
    assert page.count('class="has-late reminder-line"') == 5  # one under each late unit, none under the total
    clock = page.split('<section class="card clock">')[1].split("</section>")[0]
    assert clock.count("Nhắc lần cuối: ") == 5 and clock.count(", bởi ") == 1  # the late lines too: VP by hand
    # the late units' last reminders are one statement, whatever the number of late units, shared by the
    # matrix and the home's late lines of the same period
    monkeypatch.setattr(manual, "last_reminders", lambda period, unit_ids: {})
    with count_queries() as without:
        client.get(f"/?period={period.id}")
    assert large.count == without.count + 1, (large.count, without.count)


def reminded(page, code):
    """The reminder line under a unit's figures in the matrix (its header spans both rows), as text."""
    rows = matrix_html(page).split("<tr")[1:]
    under = rows[next(i for i, r in enumerate(rows) if f">{code}</abbr>" in r) + 1]
    assert 'rowspan="2"><abbr' in row_of(matrix_html(page), code) and "reminder-line" in under
    return " ".join(re.sub(r"<[^>]+>", "", under.split(">", 1)[1]).split())


def unit(code):
    return db.session.scalar(select(Unit).where(Unit.code == code))


def test_a_late_unit_reminded_by_hand_shows_the_day_and_who(client, auth, mixed):
    """Reminded on the ward's 09/09 at 00:30 (still 08/09 in UTC): the ward's day is shown, and the name of
    the reviewer who pressed "Nhắc nhở"; a unit never reminded says so."""
    with travel(DUE + timedelta(days=4), 0, 30):
        auth.login("thamdinh")
        answer = client.post(f"/units/{unit('KTHTDT').id}/periods/{mixed.id}/remind", data={"message": ""})
        assert answer.status_code == 303
        auth.logout()
    with travel(DUE + timedelta(days=5)):
        auth.login("chutich")
        page = client.get(f"/?period={mixed.id}").text
    assert reminded(page, "KTHTDT") == f"Nhắc lần cuối: 09/09/2025, bởi {user('thamdinh').full_name}"
    assert reminded(page, "VP") == reminded(page, "TTPVHCC") == "Chưa nhắc"
    assert "reminder-line" not in page.split('class="total')[1]


def test_a_reminder_about_one_item_reminds_its_unit(client, auth, mixed):
    """The "Nhắc nhở" of an item page (before the due day) is the unit's last reminder too."""
    with travel(DUE - timedelta(days=1)):
        manual.remind(user("chutich"), result_of("6.c", mixed), "Gửi trước hạn.")
    with travel(DUE + timedelta(days=3)):
        auth.login("phochutich")
        page = client.get(f"/?period={mixed.id}").text
    assert reminded(page, "KTHTDT") == f"Nhắc lần cuối: 04/09/2025, bởi {user('chutich').full_name}"


def test_the_schedulers_reminder_shows_as_automatic_and_the_latest_wins(client, auth, mixed):
    """The scheduler reminds every late unit each day after the due day; a reminder by hand later that day
    is the last one for its unit, until the scheduler's next day."""
    with_addresses()
    with travel(DUE + timedelta(days=2)):  # the outbox row is stamped with the clock, as in the ward
        scheduler.run()
    with travel(DUE + timedelta(days=2), 10):
        manual.remind_unit(user("thamdinh"), unit("VP"), mixed)
    with travel(DUE + timedelta(days=2), 11):
        auth.login("chutich")
        page = client.get(f"/?period={mixed.id}").text
    assert reminded(page, "KTHTDT") == reminded(page, "TTPVHCC") == "Nhắc lần cuối: 07/09/2025, tự động"
    assert reminded(page, "VP") == f"Nhắc lần cuối: 07/09/2025, bởi {user('thamdinh').full_name}"
    with travel(DUE + timedelta(days=3)):
        scheduler.run()
    with travel(DUE + timedelta(days=3), 11):
        page = client.get(f"/?period={mixed.id}").text
    assert reminded(page, "VP") == reminded(page, "KTHTDT") == "Nhắc lần cuối: 08/09/2025, tự động"


def test_the_heads_escalation_is_a_reminder_and_an_unwritten_message_is_none(client, auth, mixed):
    """KTHTDT's people have no address, so the scheduler writes them nothing: its head's escalation (day
    +3, to an address without an account) is the unit's reminder. VP's people have no address either and
    its head none: the scheduler reminded nobody there."""
    with_addresses()
    for person in db.session.scalars(select(User).where(User.unit_id.in_([unit("KTHTDT").id, unit("VP").id]))):
        person.email = None
    unit("VP").head_email = None
    db.session.commit()
    for day in (DUE + timedelta(days=1), DUE + timedelta(days=3)):
        with travel(day):
            scheduler.run()
    with travel(DUE + timedelta(days=4)):
        auth.login("chutich")
        page = client.get(f"/?period={mixed.id}").text
    assert reminded(page, "KTHTDT") == "Nhắc lần cuối: 08/09/2025, tự động"  # the escalation day, not day +1
    assert reminded(page, "TTPVHCC") == "Nhắc lần cuối: 08/09/2025, tự động"
    assert reminded(page, "VP") == "Chưa nhắc"


def test_another_periods_reminders_are_not_this_ones(client, auth, mixed):
    """A reminder is of a unit and a period: a reminder by hand about KTHTDT's item of the next period is
    not Quý III's last reminder, nor is Quý III's scheduler message the next period's."""
    with_addresses()
    year = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.id != mixed.id).order_by(ReportingPeriod.id))
    services.open_period(user("admin"), year)
    item = db.session.scalar(select(TaskResult).where(TaskResult.period_id == year.id,
                                                      TaskResult.unit_id == unit("KTHTDT").id))
    with travel(DUE + timedelta(days=1)):
        scheduler.run()
    with travel(DUE + timedelta(days=1), 9):
        manual.remind(user("thamdinh"), item, "Kỳ sau.")
    kthtdt = unit("KTHTDT").id
    assert manual.last_reminders(mixed, [kthtdt]) == {
        kthtdt: manual.LastReminder(at_ward(DUE + timedelta(days=1)), None)}
    assert manual.last_reminders(year, [kthtdt]) == {
        kthtdt: manual.LastReminder(at_ward(DUE + timedelta(days=1), 9), user("thamdinh").full_name)}


def test_before_the_due_day_there_is_no_reminder_line(client, auth, mixed):
    with travel(DUE):
        auth.login("chutich")
        page = client.get(f"/?period={mixed.id}").text
    assert "Nhắc lần cuối" not in page and "Chưa nhắc" not in page and "rowspan" not in matrix_html(page)


def _pdf_text(data, tmp_path):
    path = tmp_path / "quick.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split()), fonts


def test_the_quick_report_carries_the_dashboards_figures(client, auth, mixed, tmp_path):
    with travel(DUE + timedelta(days=3)):
        auth.login("chutich")
        home = client.get(f"/?period={mixed.id}").text
        assert f'/bao-cao-nhanh.pdf?period={mixed.id}' in home
        answer = client.get(f"/bao-cao-nhanh.pdf?period={mixed.id}")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert "bao-cao-nhanh-quy-III-2025.pdf" in answer.headers["Content-Disposition"]
    text, fonts = _pdf_text(answer.data, tmp_path)
    assert "BÁO CÁO NHANH" in text and "Quý III/2025" in text and "ngày 08 tháng 9 năm 2025" in text
    # the same figures as the dashboard's matrix (test_the_matrix_counts_the_states_the_workflow_made)
    assert "KTHTDT 5 quá hạn; 1 chờ thẩm định; 1 chờ tiếp nhận; 1 đã tiếp nhận 1 quá hạn" in text
    assert "TTPVHCC 5 quá hạn 1 chờ thẩm định" in text
    assert "Cả phường 33 quá hạn; 1 chờ thẩm định; 1 chờ tiếp nhận; 1 đã tiếp nhận 4 quá hạn; 1 chờ thẩm định" in text
    assert subprocess.run(["pdfinfo", str(tmp_path / "quick.pdf")], capture_output=True, text=True).stdout.count(
        "Pages:           1") == 1  # one A4 page for the weekly meeting
    assert "không phải văn bản ban hành" in text and "Chỉ tiêu chủ yếu" in text
    names = [line.split()[0] for line in fonts.splitlines()[2:]]
    # "CCHC Serif" is the @font-face name of the Liberation Serif files (documents/pdf.py): never DejaVu
    assert names and all("CCHC-Serif" in n for n in names), fonts
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:]), fonts  # embedded


def test_the_quick_report_is_for_those_who_follow_up(client, auth, period):
    auth.login("kthtdt")
    assert client.get(f"/bao-cao-nhanh.pdf?period={period.id}").status_code == 403
    assert "/bao-cao-nhanh.pdf" not in client.get("/").text


def test_the_charts_are_svg_with_their_words(client, auth, mixed):
    """Bars in proportion to the figures, a title and a description on each chart, the figure in words on
    each shape; the same figures in the table under it."""
    done = Progress("KTHTDT", "Phòng Kinh tế", done=2, claimed=1, due=3, total=4)
    chart = charts.progress_bars("Tiến độ", [done], lambda line: line.key)
    track, *bars = [r for r in chart.rects]
    assert [round(b.width / track.width, 3) for b in bars] == [0.5, 0.25]
    assert [b.tip for b in bars] == ["2/4 hoàn thành", "1/4 báo hoàn thành"] and bars[0].fill != bars[1].fill
    with travel(DUE + timedelta(days=3)):
        auth.login("chutich")
        page = client.get(f"/?period={mixed.id}").text
    assert page.count('role="img" aria-labelledby="chart-') == 3  # two progress charts and the trend
    assert '<title id="chart-trend-t">Gửi đúng hạn qua các kỳ</title>' in page and 'id="chart-trend-d"' in page
    # sent two days before the due day: on time, 3 of the 36 task results (the tooltip and the table)
    assert "Quý III/2025: 3/36 kết quả nhiệm vụ đúng hạn (8%)" in page and "3/36 (8%)" in page
