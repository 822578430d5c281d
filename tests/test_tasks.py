from datetime import date

import pytest
from sqlalchemy import delete, insert, select

from workflow.extensions import db
from workflow.models import Area, Task, Unit


def test_list_shows_all_seeded_tasks_paginated(auth, client):
    auth.login("member")
    response = client.get("/tasks")
    assert response.status_code == 200
    assert "36 nhiệm vụ" in response.text and "trang 1/2" in response.text
    assert response.text.count("<tr>") == 1 + 25
    assert client.get("/tasks?page=2").text.count("<tr>") == 1 + 11


def test_filters_narrow_the_rows(auth, client):
    auth.login("member")
    area6 = db.session.scalar(select(Area).where(Area.number == 6))
    kthtdt = db.session.scalar(select(Unit).where(Unit.code == "KTHTDT"))
    assert "7 nhiệm vụ" in client.get(f"/tasks?area={area6.id}").text
    assert "8 nhiệm vụ" in client.get(f"/tasks?unit={kthtdt.id}").text  # area 6 plus 3.e
    early = client.get("/tasks?before=31/07/2025").text
    assert "1 nhiệm vụ" in early and "1.a" in early
    iso = client.get("/tasks", query_string={"q": "ISO"}).text
    assert "7.d" in iso and "1 nhiệm vụ" in iso


def test_htmx_search_returns_only_the_rows_block(auth, client):
    auth.login("member")
    response = client.get("/tasks?q=ISO", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="task-rows"')
    assert "<html" not in response.text
    assert "HX-Request" in response.headers["Vary"]


@pytest.mark.parametrize("headers", [{"HX-Request": "true", "HX-Boosted": "true"},
                                     {"HX-Request": "true", "HX-History-Restore-Request": "true"}])
def test_boosted_and_history_restore_get_the_full_page(auth, client, headers):
    auth.login("member")
    assert "<html" in client.get("/tasks?q=ISO", headers=headers).text


@pytest.mark.parametrize("query,message", [
    ("before=31/02/2025", "Ngày không hợp lệ"),
    ("area=999", "Lựa chọn không hợp lệ."),
    ("page=0", "Trang không hợp lệ."),
    ("page=abc", "Vui lòng nhập một số nguyên."),
])
def test_bad_filters_get_a_message_and_422(auth, client, query, message):
    auth.login("member")
    response = client.get(f"/tasks?{query}")
    assert response.status_code == 422
    assert message in response.text


def test_page_past_the_end_is_empty_not_an_error(auth, client):
    auth.login("member")
    response = client.get("/tasks?page=99")
    assert response.status_code == 200
    assert "Không có nhiệm vụ nào phù hợp." in response.text


def test_task_detail_shows_content_and_units(auth, client):
    auth.login("member")
    task = db.session.scalar(select(Task).where(Task.code == "6.e"))
    response = client.get(f"/tasks/{task.id}")
    assert response.status_code == 200
    assert "Phòng Kinh tế, Hạ tầng và Đô thị" in response.text
    assert "Nghị định số 60/2021/NĐ-CP" in response.text
    assert "30/11/2025" in response.text
    assert client.get("/tasks/99999").status_code == 404


def _replace_tasks(n):
    area = db.session.scalar(select(Area).where(Area.number == 3))
    unit = db.session.scalar(select(Unit).where(Unit.code == "TTPVHCC"))
    db.session.execute(delete(Task))
    db.session.execute(insert(Task), [
        {"plan_id": area.plan_id, "area_id": area.id, "code": f"9.{i}", "title": f"Nhiệm vụ thử {i}",
         "content": "Nội dung", "lead_unit_id": unit.id, "deadline": date(2025, 11, 30), "output": "",
         "position": i, "version": 1} for i in range(n)])
    db.session.commit()


@pytest.mark.parametrize("url", ["/tasks", "/tasks?q=thử&page=2", "/"])
def test_query_count_does_not_grow_with_tasks(auth, client, count_queries, url):
    auth.login("member")
    counts = []
    for n in (10, 1000):
        _replace_tasks(n)
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
