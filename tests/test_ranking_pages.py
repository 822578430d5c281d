"""The ranking pages on the seeded plan: permissions, explanations that add up on the page for every
unit, what the lines say, the scope rules, and a query count that does not grow with the data.
The scheme editor is tested in test_ranking_scheme.py."""
import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select

from workflow.extensions import db
from workflow.models import Holiday, Nomination, NominationEntry, Task, TaskResult, Unit, User
from workflow.ranking.gather import gather_facts

from .ranking_data import Q3, YEAR, attach_files, period, plan, realistic_mix, result, unit  # noqa: F401 (fixture)


@pytest.fixture
def mix(plan):
    realistic_mix()
    return plan


def cents_of(text):
    whole, frac = text.strip().split(",")
    return (-1 if whole.startswith("-") else 1) * (abs(int(whole)) * 100 + int(frac))


def shown_sums(html):
    """From the explanation page: (total shown, [(part shown, [lines shown])])."""
    total = re.search(r"<th>Tổng cộng</th><th class=\"nowrap\">([-\d,]+)</th>", html).group(1)
    parts = []
    for body in re.findall(r'<tbody id="part-\w+">(.*?)</tbody>', html, re.S):
        head = re.search(r'<th class="nowrap">([-\d,]+|không áp dụng)</th>', body).group(1)
        parts.append((0 if head == "không áp dụng" else cents_of(head), [cents_of(c) for c in re.findall(r'<td class="nowrap">([-\d,]+)</td>', body)]))
    return cents_of(total), parts


@pytest.mark.parametrize("who, status", [("chutich", 200), ("thamdinh", 200), ("tiepnhan", 200), ("admin", 200),
                                         ("vp", 403), ("ttsnc", 403)])
def test_who_sees_the_ranking(auth, client, plan, who, status):
    auth.login(who)
    assert client.get("/ranking").status_code == status
    assert ('href="/ranking"' in client.get("/").text) == (status == 200)  # the nav link mirrors it


def test_signed_out_people_are_sent_to_the_login(client, plan):
    for url in ("/ranking", f"/ranking/{unit('VP').id}", "/ranking/scheme"):
        assert client.get(url).headers["Location"].startswith("/login")


def test_a_unit_sees_its_own_explanation_only(auth, client, plan):
    auth.login("vp")
    assert client.get(f"/ranking/{unit('VP').id}").status_code == 200
    assert client.get(f"/ranking/{unit('VHXH').id}").status_code == 403


def test_bad_addresses_are_404(auth, client, plan):
    auth.login("chutich")
    for url in ("/ranking/99999", "/ranking?period=abc", "/ranking?period=99999", "/ranking?scheme=7"):
        assert client.get(url).status_code == 404, url


def test_ranking_table_and_scope_fragment(auth, client, mix):
    auth.login("chutich")
    page = client.get("/ranking").text
    assert "Tính tự động" in page and "Điểm xếp hạng" in page and "Cả kế hoạch" in page and "phiên bản 1" in page
    fragment = client.get(f"/ranking?period={period(Q3).id}", headers={"HX-Request": "true"}).text
    assert '<div id="ranking">' in fragment
    assert "<html" not in fragment and "Quý III/2025" in fragment


def test_every_explanation_adds_up_to_the_total_shown(auth, client, mix):
    auth.login("chutich")
    for scope in ("all", str(period(Q3).id), str(period(YEAR).id)):
        table = client.get(f"/ranking?period={scope}").text
        for u in db.session.scalars(select(Unit)):
            html = client.get(f"/ranking/{u.id}?period={scope}").text
            total, parts = shown_sums(html)
            assert len(parts) == 7
            assert sum(p for p, _ in parts) == total, (u.code, scope)
            for part, lines in parts:
                assert sum(lines) == part, (u.code, scope)
            shown_in_table = re.search(rf'{u.code} – .*?</td>\s*<td data-label="Tính tự động" class="nowrap">([-\d,]+)</td>', table, re.S)
            assert cents_of(shown_in_table.group(1)) == total


def test_the_explanation_names_what_cost_points(auth, client, mix):
    auth.login("chutich")
    q3 = period(Q3).id
    ttpvhcc = client.get(f"/ranking/{unit('TTPVHCC').id}?period={q3}").text
    assert "hoàn thành trễ 15 ngày" in ttpvhcc and "Chỉ tiêu 5 (≥ 90%): đạt" in ttpvhcc
    vhxh = client.get(f"/ranking/{unit('VHXH').id}?period={q3}").text
    assert "gửi muộn 5 ngày" in vhxh and "Chỉ tiêu 3 (≥ 1 cuộc): không đạt" in vhxh and "1 tệp minh chứng" in vhxh
    kthtdt = client.get(f"/ranking/{unit('KTHTDT').id}?period={q3}").text
    assert "không thực hiện được (Chưa có hướng dẫn" in kthtdt and "bị trả lại, chưa gửi lại" in kthtdt
    assert "quá hạn chưa gửi" in kthtdt and "Trừ tối đa 10 điểm" in kthtdt
    ttsnc = client.get(f"/ranking/{unit('TTSNC').id}").text  # leads one task, reports no target
    assert "Quy đổi:" in ttsnc and "không tính" in ttsnc and "Quy đổi ×1,125 (= 90/80)" in ttsnc


def test_scope_follows_the_clock(plan):
    """Mid-August 2025: 1.a (due 31/07) counts, 3.b (due 30/09) and the Q3 report (due 05/09) not yet."""
    facts = gather_facts(plan, period(Q3), now=datetime(2025, 8, 15))
    vhxh, ttpvhcc = facts.of(unit("VHXH").id), facts.of(unit("TTPVHCC").id)
    assert [t.code for t in vhxh.tasks if t.counted] == ["1.a"]
    assert not any(t.counted for t in ttpvhcc.tasks) and not any(r.counted for r in ttpvhcc.reports)
    assert vhxh.overdue == []


# --- a fixed number of queries --------------------------------------------------------------------------

def add_tasks(plan, count):
    """Many tasks with results in every period, half of them accepted as done, some with evidence."""
    area, lead = plan.areas[0], unit("VHXH")
    db.session.execute(insert(Task), [
        {"plan_id": plan.id, "area_id": area.id, "code": f"9.{i}", "title": f"Nhiệm vụ {i}", "content": "x",
         "lead_unit_id": lead.id, "deadline": date(2025, 8, 1)} for i in range(count)])
    ids = db.session.scalars(select(Task.id).where(Task.code.like("9.%"))).all()
    db.session.execute(insert(TaskResult), [
        {"task_id": task_id, "period_id": p.id, "unit_id": lead.id, "state": "accepted" if n % 2 else "draft",
         "work_status": "done" if n % 2 else "in_progress", "completed_on": date(2025, 7, 30) if n % 2 else None}
        for n, task_id in enumerate(ids) for p in plan.periods])
    db.session.commit()


def add_nominations_and_holidays(plan):
    """Issue 15's data beside the ranking: every unit's nomination of Q3 with ten entries, and twenty more
    days off in the calendar (written directly: they only have to be there)."""
    q3 = period(Q3)
    for unit_ in db.session.scalars(select(Unit)).all():
        sender = db.session.scalar(select(User).where(User.unit_id == unit_.id))
        db.session.add(Nomination(unit_id=unit_.id, period_id=q3.id, state="submitted", submitted_by_id=sender.id,
                                  entries=[NominationEntry(kind="individual", name=f"Cán bộ {n}", title="Chuyên viên",
                                                           achievement="Số hóa hồ sơ") for n in range(10)]))
    db.session.add_all(Holiday(day=date(2025, 10, 1) + timedelta(days=n), name=f"Nghỉ bù {n}") for n in range(20))
    db.session.commit()


def queries_of(client, count_queries, url):
    db.session.expire_all()  # the tests share the requests' session: start each from a cold one, as a request does
    with count_queries() as counter:
        assert client.get(url).status_code == 200
    return counter.count


def test_ranking_query_count_does_not_grow_with_tasks(auth, client, mix, count_queries):
    auth.login("chutich")
    urls = ["/ranking", f"/ranking?period={period(Q3).id}", f"/ranking/{unit('VHXH').id}"]
    small = [queries_of(client, count_queries, url) for url in urls]  # the 36 tasks of the plan
    add_tasks(mix, 1000)
    attach_files(result("9.1", Q3), 2)
    add_nominations_and_holidays(mix)
    assert db.session.scalar(select(func.count(Task.id))) == 1036
    assert [queries_of(client, count_queries, url) for url in urls] == small
    assert small[0] <= 22  # login, plan, scheme, the delegations lent to the person today (menu), the revision, the 8 of gather_facts
