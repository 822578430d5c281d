"""Editing drafts: who may, what is checked, read-only after submission, Biểu II.06a sums, deadlines."""
from datetime import date, datetime

import pytest
from sqlalchemy import select

from workflow.extensions import db
from workflow.items import deadlines, services, states
from workflow.models import ReportingPeriod, TaskResult, UnitReport

from .items_support import ready, report_of, result_of, user


def result_form(item, **changes):
    data = {"version": item.version, "work_status": "in_progress", "progress": 60,
            "done_text": "Đã duy trì ISO 9001:2015 tại Bộ phận Một cửa.", "completed_on": "",
            "output_text": "", "blocked_reason": ""}
    data.update(changes)
    return data


def test_owner_saves_a_draft(auth, client, period):
    item = result_of("7.d", period)
    auth.login("ttpvhcc")
    response = client.post(f"/items/task-result/{item.id}", data=result_form(item))
    assert response.status_code == 303
    db.session.expire_all()
    saved = db.session.get(TaskResult, item.id)
    assert (saved.progress, saved.work_status, saved.version) == (60, "in_progress", 2)


@pytest.mark.parametrize("changes,field,message", [
    ({"progress": 120}, "progress", "Tiến độ từ 0 đến 100%."),
    ({"progress": ""}, "progress", "Vui lòng nhập tiến độ."),
    ({"work_status": "bogus"}, "work_status", "Lựa chọn không hợp lệ."),
    ({"completed_on": "31/02/2025"}, "completed_on", "dd/mm/yyyy"),
])
def test_unreadable_task_result_values_answer_422_beside_the_field(auth, client, period, changes, field, message):
    item = result_of("7.d", period)
    auth.login("ttpvhcc")
    response = client.post(f"/items/task-result/{item.id}", data=result_form(item, **changes))
    assert response.status_code == 422
    assert f'id="{field}-errors"' in response.text and message in response.text
    db.session.expire_all()
    assert db.session.get(TaskResult, item.id).version == 1  # nothing saved


RESULT_RULES = [
    ({"done_text": ""}, "done_text", "Vui lòng nêu kết quả thực hiện trong kỳ."),
    ({"work_status": "done", "progress": 100}, "completed_on", "cần có ngày hoàn thành"),
    ({"work_status": "done", "progress": 80, "completed_on": "15/09/2025", "output_text": "QĐ"}, "progress",
     "tiến độ là 100%"),
    ({"work_status": "done", "progress": 100, "completed_on": "15/09/2025"}, "output_text", "sản phẩm đã có"),
    ({"work_status": "cannot_do", "blocked_reason": ""}, "blocked_reason", "lý do không thực hiện được"),
    ({"completed_on": "15/09/2025"}, "completed_on", "Chỉ ghi ngày hoàn thành"),
    ({"work_status": "done", "progress": 100, "completed_on": "01/01/2025", "output_text": "QĐ"}, "completed_on",
     "Ngày hoàn thành phải từ"),
    ({"work_status": "done", "progress": 100, "completed_on": "15/10/2099", "output_text": "QĐ"}, "completed_on",
     "đến hôm nay"),
]


@pytest.mark.parametrize("changes,field,message", RESULT_RULES)
def test_an_incomplete_task_result_saves_with_the_warning_beside_the_field(auth, client, period, changes, field,
                                                                           message):
    item = result_of("7.d", period)
    auth.login("ttpvhcc")
    response = client.post(f"/items/task-result/{item.id}", data=result_form(item, **changes))
    assert response.status_code == 303  # a draft always saves
    page = client.get(f"/items/task-result/{item.id}").text
    assert f'<ul class="warnings" id="{field}-errors">' in page and message in page
    assert "cần bổ sung trước khi gửi" in page
    db.session.expire_all()
    assert db.session.get(TaskResult, item.id).version == 2


@pytest.mark.parametrize("changes,field,message", RESULT_RULES)
def test_an_incomplete_task_result_is_refused_at_sending_and_kept_as_draft(auth, client, period, changes, field,
                                                                          message):
    item = result_of("7.d", period)
    auth.login("ttpvhcc")
    response = client.post(f"/items/task-result/{item.id}", data={**result_form(item, **changes), "then": "submit"})
    assert response.status_code == 422
    assert f'<ul class="errors" id="{field}-errors">' in response.text and message in response.text
    assert "Đã lưu dự thảo nhưng chưa gửi" in response.text
    db.session.expire_all()
    saved = db.session.get(TaskResult, item.id)
    assert (saved.state, saved.version) == ("draft", 2)  # what was typed is kept, nothing was sent
    assert saved.submitted_at is None


def test_only_the_owner_edits(auth, client, period):
    item = result_of("7.d", period)
    auth.login("thamdinh")  # sees it, may not edit it
    assert client.post(f"/items/task-result/{item.id}", data=result_form(item)).status_code == 403


def test_submitted_items_are_read_only(auth, client, period):
    item = result_of("7.d", period)
    states.perform(user("ttpvhcc"), ready(item), "submit", item.version)
    auth.login("ttpvhcc")
    page = client.get(f"/items/task-result/{item.id}")
    assert "Lưu dự thảo" not in page.text
    response = client.post(f"/items/task-result/{item.id}", data=result_form(item))
    assert response.status_code == 409


def test_stale_edit_is_409_and_not_overwritten(auth, client, period):
    item = result_of("7.d", period)
    auth.login("ttpvhcc")
    first = result_form(item, progress=70)
    second = result_form(item, progress=10)
    assert client.post(f"/items/task-result/{item.id}", data=first).status_code == 303
    response = client.post(f"/items/task-result/{item.id}", data=second)
    assert response.status_code == 409 and "vừa được người khác thay đổi" in response.text
    assert 'value="70"' in response.text  # the fresh form shows what was saved
    db.session.expire_all()
    assert db.session.get(TaskResult, item.id).progress == 70


def test_other_units_drafts_are_invisible(auth, client, period):
    item = result_of("2.a", period)  # VP's
    report = report_of("vp", period)
    auth.login("ttpvhcc")
    assert client.get(f"/items/task-result/{item.id}").status_code == 404
    assert client.get(f"/items/unit-report/{report.id}").status_code == 404
    assert client.get("/items/nonsense/1").status_code == 404


def test_cooperating_unit_sees_and_adds_a_note(auth, client, period):
    item = result_of("3.d", period)  # led by TTPVHCC, VHXH cooperates
    auth.login("vhxh")
    assert client.get(f"/items/task-result/{item.id}").status_code == 200
    response = client.post(f"/items/task-result/{item.id}/contribution", data={"note": "Đã tích hợp 12 DVC"})
    assert response.status_code == 303
    auth.logout()
    auth.login("ttpvhcc")
    assert "Đã tích hợp 12 DVC" in client.get(f"/items/task-result/{item.id}").text


def report_form(report, rows=None, **changes):
    data = {"version": report.version, "limitations": "Còn hồ sơ trễ hẹn", "causes": "", "next_steps": "",
            "proposals": "", "satisfaction_rate": "95.5"}
    for i, section in enumerate(report.sections):
        data[f"sections-{i}"] = f"Kết quả lĩnh vực {section.area.number}"
    for i, actual in enumerate(report.target_actuals):
        data[f"actuals-{i}-{'text' if actual.target.metric == 'rank' else 'value'}"] = (
            "3/30" if actual.target.metric == "rank" else "100")
        data[f"actuals-{i}-note"] = ""
    for i, row in enumerate(rows or []):
        for key, value in row.items():
            data[f"dossier_rows-{i}-{key}"] = value
    data.update(changes)
    return data


GOOD_ROW = {"field_name": "Hộ tịch", "received_total": 120, "received_online": 80, "received_direct": 30,
            "received_carried": 10, "resolved_total": 110, "resolved_early": 20, "resolved_on_time": 88,
            "resolved_late": 2, "pending_total": 10, "pending_within": 9, "pending_overdue": 1}


def test_unit_report_with_dossier_table_saves(auth, client, period):
    report = report_of("ttpvhcc", period)
    auth.login("ttpvhcc")
    response = client.post(f"/items/unit-report/{report.id}", data=report_form(report, [GOOD_ROW]))
    assert response.status_code == 303, response.text
    db.session.expire_all()
    report = db.session.get(UnitReport, report.id)
    assert [(r.field_name, r.received_total, r.pending_overdue) for r in report.dossier_rows] == [("Hộ tịch", 120, 1)]
    assert report.satisfaction_rate == 95.5
    assert report.sections[0].body.startswith("Kết quả lĩnh vực")


def test_dossier_totals_are_added_up_by_the_app(auth, client, period):
    report = report_of("ttpvhcc", period)
    auth.login("ttpvhcc")
    typed = {**GOOD_ROW, "received_total": 999, "resolved_total": 1, "pending_total": 0}  # ignored: not inputs
    assert client.post(f"/items/unit-report/{report.id}", data=report_form(report, [typed])).status_code == 303
    db.session.expire_all()
    row = db.session.get(UnitReport, report.id).dossier_rows[0]
    assert (row.received_total, row.resolved_total, row.pending_total) == (120, 110, 10)


@pytest.mark.parametrize("changes,where,message", [
    ({"pending_within": 4}, 'id="dossier-0-check"', "Tổng tiếp nhận 120 phải bằng đã giải quyết + đang giải quyết = 115."),
    ({"field_name": ""}, 'id="dossier_rows-0-field_name-errors"', "Vui lòng nhập tên lĩnh vực."),
])
def test_an_unbalanced_dossier_row_saves_as_a_draft_and_is_refused_at_sending(auth, client, period, changes, where,
                                                                            message):
    report = report_of("ttpvhcc", period)
    auth.login("ttpvhcc")
    data = report_form(report, [{**GOOD_ROW, **changes}])
    assert client.post(f"/items/unit-report/{report.id}", data=data).status_code == 303
    page = client.get(f"/items/unit-report/{report.id}").text
    assert where in page and message in page.split(where, 1)[1][:600]
    db.session.expire_all()
    report = db.session.get(UnitReport, report.id)
    response = client.post(f"/items/unit-report/{report.id}", data={**report_form(report, [{**GOOD_ROW, **changes}]),
                                                                     "then": "submit"})
    assert response.status_code == 422 and message in response.text
    db.session.expire_all()
    assert db.session.get(UnitReport, report.id).state == "draft"


def test_a_negative_dossier_count_is_refused(auth, client, period):
    report = report_of("ttpvhcc", period)
    auth.login("ttpvhcc")
    response = client.post(f"/items/unit-report/{report.id}",
                           data=report_form(report, [{**GOOD_ROW, "resolved_late": -1}]))
    assert response.status_code == 422 and 'id="dossier_rows-0-resolved_late-errors"' in response.text
    assert "Không được âm." in response.text
    db.session.expire_all()
    assert db.session.get(UnitReport, report.id).version == 1


def test_satisfaction_rate_is_bounded(auth, client, period):
    report = report_of("ttpvhcc", period)
    auth.login("ttpvhcc")
    response = client.post(f"/items/unit-report/{report.id}", data=report_form(report, satisfaction_rate="101"))
    assert response.status_code == 422 and "Tỷ lệ từ 0 đến 100%." in response.text


def test_due_date_ends_at_midnight_in_the_ward():
    due = date(2025, 9, 5)
    # 23:59 on 05/09 in Hà Nội is 16:59 UTC; one minute after midnight is 17:00 UTC.
    assert deadlines.days_late(due, datetime(2025, 9, 5, 16, 59)) == 0
    assert deadlines.days_late(due, datetime(2025, 9, 5, 17, 0)) == 1
    assert deadlines.days_late(due, datetime(2025, 9, 8, 3, 0)) == 3
    assert deadlines.due_deadline(due) == datetime(2025, 9, 5, 17, 0)


def test_overdue_and_late_flags_around_the_boundary(auth, client, period):
    item = result_of("7.d", period)
    before, after = datetime(2025, 9, 5, 16, 59), datetime(2025, 9, 5, 17, 0)
    assert not deadlines.is_overdue(item, before)
    assert deadlines.is_overdue(item, after)
    states.perform(user("ttpvhcc"), ready(item), "submit", item.version, now=after)
    assert item.late_days == 1 and not deadlines.is_overdue(item, after)
    other = result_of("7.c", period)
    states.perform(user("vhxh"), ready(other), "submit", other.version, now=before)
    assert other.late_days == 0


def test_unsubmitted_items_past_due_are_red_on_the_work_list(auth, client, period):
    auth.login("ttpvhcc")  # the seeded Q3 period was due 05/09/2025, long past
    page = client.get("/work")
    assert page.status_code == 200
    assert "Quá hạn" in page.text and "is-overdue" in page.text


def test_inbox_pages_query_count_does_not_grow(auth, client, count_queries, seeded):
    admin = user("admin")
    counts = {}
    periods = db.session.scalars(select(ReportingPeriod).order_by(ReportingPeriod.due_date)).all()
    for step, period in enumerate(periods):
        services.open_period(admin, period)
        for item in db.session.scalars(select(TaskResult).where(TaskResult.period_id == period.id)):
            states.perform(user(item.unit.code.lower()), ready(item), "submit", item.version)
        for username, url in (("ttpvhcc", "/work"), ("thamdinh", "/queue/review"), ("tiepnhan", "/queue/accept")):
            auth.login(username)
            with count_queries() as counter:
                assert client.get(url).status_code == 200
            counts.setdefault(url, []).append(counter.count)
            auth.logout()
    assert all(a == b for a, b in counts.values()), counts


def test_home_page_lists_what_waits_for_each_person(auth, client, period):
    item = result_of("7.d", period)
    states.perform(user("ttpvhcc"), ready(item), "submit", item.version)
    states.perform(user("thamdinh"), item, "return", item.version, "Thiếu số liệu")
    auth.login("ttpvhcc")
    home = client.get("/").text
    assert "1</strong> hồ sơ bị trả lại cần sửa" in home and "hồ sơ quá hạn chưa gửi" in home
    auth.logout()
    other = result_of("7.c", period)
    states.perform(user("vhxh"), ready(other), "submit", other.version)
    auth.login("thamdinh")
    assert "1</strong> hồ sơ chờ thẩm định" in client.get("/").text


def test_save_and_submit_in_one_step(auth, client, period):
    item = result_of("7.d", period)
    auth.login("ttpvhcc")
    response = client.post(f"/items/task-result/{item.id}", data={**result_form(item), "then": "submit"})
    assert response.status_code == 303
    db.session.expire_all()
    saved = db.session.get(TaskResult, item.id)
    assert (saved.state, saved.progress, saved.version) == ("submitted", 60, 2)  # one step: saved and sent
    assert [r.action for r in services.history(saved)] == ["submit"]


def test_a_far_due_date_saved_before_dates_were_bounded_breaks_no_page(auth, client, period):
    period.due_date = date(9999, 12, 31)
    db.session.commit()
    assert deadlines.due_deadline(period.due_date) == datetime.max
    auth.login("ttpvhcc")
    for url in ("/", "/work"):
        assert client.get(url).status_code == 200
    auth.logout()
    auth.login("chutich")
    for url in ("/", "/ranking", f"/ranking?period={period.id}"):
        assert client.get(url).status_code == 200, url
