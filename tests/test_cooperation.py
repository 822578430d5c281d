"""Việc phối hợp (issue #10): a unit's people see the task results of the tasks their unit cooperates on,
by period, those still open for notes first and marked while the unit has written none; others get 403."""
import re

import pytest
from sqlalchemy import select

from workflow.extensions import db
from workflow.formats import vn_sort_key
from workflow.items import services, states
from workflow.models import ReportingPeriod, Role, Task, Unit

from .items_support import add_user, ready, result_of, user

AWAITED = "Chờ ý kiến phối hợp</span>"


def listed(html):
    """The task codes of the page's rows, in page order."""
    return re.findall(r'data-label="Nhiệm vụ"><a href="/items/task-result/\d+">(\S+)\. ', html)


def row_of(html, code):
    return re.search(rf'<tr[^>]*>\s*<td data-label="Nhiệm vụ"><a [^>]*>{re.escape(code)}\. .*?</tr>', html, re.S).group(0)


def cooperated_by(code):
    """The codes of the plan's tasks that unit cooperates on, in Vietnamese order."""
    tasks = db.session.scalars(select(Task)).all()
    return sorted((t.code for t in tasks if code in {u.code for u in t.cooperating_units}), key=vn_sort_key)


def test_a_cooperating_unit_sees_what_it_cooperates_on_in_vietnamese_order(auth, client, period):
    auth.login("vhxh")
    page = client.get("/cooperation")
    assert page.status_code == 200 and "<h1>Việc phối hợp – Phòng Văn hóa - Xã hội</h1>" in page.text
    codes = listed(page.text)
    assert codes == cooperated_by("VHXH") and "7.d" not in codes and "1.a" not in codes  # 1.a: VHXH leads it
    assert codes.index("6.d") + 1 == codes.index("6.đ") == codes.index("6.e") - 1
    row = row_of(page.text, "7.đ")  # led by TTSNC; Quý III was due 05/09/2025, long past
    lead = db.session.scalar(select(Task).where(Task.code == "7.đ")).lead_unit
    assert f'<td data-label="Đơn vị chủ trì">{lead.name}</td>' in row
    assert "Dự thảo" in row and "Quá hạn" in row and "05/09/2025" in row and "is-overdue" in row
    assert AWAITED in row and f'href="/items/task-result/{result_of("7.đ", period).id}#contributions"' in row
    assert page.text.count(AWAITED) == len(codes)


def test_a_unit_cooperating_on_nothing_sees_an_empty_list(auth, client, period):
    vp = user("vp").unit
    unit = Unit(code="TH", name="Tổ thử nghiệm", ward_id=vp.ward_id)
    db.session.add(unit)
    add_user("tothu", unit, [Role.MEMBER])
    auth.login("tothu", "mat-khau-dai")
    page = client.get("/cooperation")
    assert page.status_code == 200
    assert listed(page.text) == [] and "Đơn vị chưa phối hợp nhiệm vụ nào" in page.text


@pytest.mark.parametrize("username", ["admin", "chutich", "thamdinh", "tiepnhan"])
def test_only_a_units_people_open_it(auth, client, period, username):
    auth.login(username)
    assert client.get("/cooperation").status_code == 403
    assert 'href="/cooperation"' not in client.get("/").text


def test_the_menu_offers_it_to_a_units_people_and_sign_in_comes_first(auth, client, period):
    assert client.get("/cooperation").status_code == 302
    auth.login("kthtdt")
    assert '<a href="/cooperation">Việc phối hợp</a>' in client.get("/").text
    assert listed(client.get("/cooperation").text) == cooperated_by("KTHTDT")


def test_the_mark_goes_once_the_unit_has_written_its_note(auth, client, period):
    auth.login("ttpvhcc")  # cooperates on 1.d, 7.a, 7.b, 7.c
    before = client.get("/cooperation").text
    assert before.count(AWAITED) == 4
    result = result_of("7.a", period)
    saved = client.post(f"/items/task-result/{result.id}/contribution", data={"note": "Đã rà soát phần mềm một cửa."})
    assert saved.status_code == 303
    after = client.get("/cooperation").text
    assert after.count(AWAITED) == 3
    row = row_of(after, "7.a")
    assert AWAITED not in row and "Đã ghi" in row and "Ghi lại</a>" in row


def test_settled_results_follow_the_open_ones_without_a_mark(auth, client, period):
    reviewed, sent = result_of("7.a", period), result_of("7.b", period)
    states.perform(user("vhxh"), ready(reviewed), "submit", reviewed.version)
    states.perform(user("thamdinh"), reviewed, "review", reviewed.version)
    states.perform(user("vhxh"), ready(sent), "submit", sent.version)
    auth.login("ttpvhcc")
    page = client.get("/cooperation").text
    assert listed(page) == ["1.d", "7.b", "7.c", "7.a"]  # sent results still take notes
    assert AWAITED in row_of(page, "7.b") and "Đã gửi" in row_of(page, "7.b")
    assert AWAITED not in row_of(page, "7.a") and "Không có (kết quả đã thẩm định)" in row_of(page, "7.a")
    assert "#contributions" not in row_of(page, "7.a")


def open_year():
    year = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.name == "Năm 2025"))
    services.open_period(user("admin"), year)


def test_newest_period_first(auth, client, period):
    open_year()
    auth.login("ttsnc")
    page = client.get("/cooperation").text
    assert page.index("<h2>Năm 2025") < page.index("<h2>Quý III/2025")
    assert listed(page) == cooperated_by("TTSNC") * 2


def test_query_count_does_not_grow_with_rows(auth, client, period, count_queries):
    auth.login("vhxh")
    counts = []
    for more in (False, True):
        if more:  # twice the rows, some with notes
            open_year()
            client.post(f"/items/task-result/{result_of('6.a', period).id}/contribution", data={"note": "Ý kiến."})
        db.session.expire_all()  # each request loads the person afresh, as it would in its own session
        with count_queries() as counter:
            assert client.get("/cooperation").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
