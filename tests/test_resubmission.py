"""Lateness after a return (issue 15, point 3): a report first sent on time, returned by VHXH and sent
again after the due day counts as on time when the fix came within `resubmit_working_days` working days
of the return (holidays of the calendar not counted), else by the day it was sent again.

Everything goes through the real services with the clock frozen: the unit sends, VHXH returns, the unit
sends again, the admin edits the calendar on its page, the chairman reads the explanation page."""
import math
import re
from datetime import date, datetime, timezone

import pytest
import time_machine
from sqlalchemy import func, select

from tests.items_support import ready
from workflow.admin import services as admin
from workflow.extensions import db
from workflow.items import services as items
from workflow.items import states
from workflow.models import Holiday, ScoringScheme
from workflow.ranking import schemes, services

from .ranking_data import OWNERS, Q3, apply_to_running, attach_files, period, plan, realistic_mix, report, result, unit, user  # noqa: F401

AUGUST = "Tháng 8/2025"


def at(day, hour=10):
    """`day` at `hour` o'clock in the ward, frozen."""
    return time_machine.travel(datetime(day.year, day.month, day.day, hour - 7, tzinfo=timezone.utc), tick=False)


def submit(unit_code, period_name, day):
    item = report(unit_code, period_name)
    with at(day):
        states.perform(user(OWNERS[unit_code]), ready(item), "submit", item.version)


def send_back(unit_code, period_name, day):
    item = report(unit_code, period_name)
    with at(day):
        states.perform(user("thamdinh"), item, "return", item.version, reason="Bổ sung số liệu quý.")


def reports_part(unit_code, period_name, day=date(2025, 9, 20)):
    """The unit's "Báo cáo định kỳ" part as the ranking computes it on `day`."""
    with at(day):
        explained = services.unit_explanation(user("chutich"), period(period_name).plan, unit(unit_code).id,
                                              str(period(period_name).id))
    return next(p for p in explained["standing"].score.parts if p.code == "reports")


def only_line(part):
    assert len(part.lines) == 1
    return part.lines[0]


def on_time(part):
    return math.isclose(only_line(part).points, part.max_points)


def half(part):
    return math.isclose(only_line(part).points, part.max_points * 0.5)


# --- the rule, on Quý III/2025 (due Friday 05/09/2025) -------------------------------------------------

def test_a_fix_within_three_working_days_of_the_return_counts_on_time(plan):
    submit("VP", Q3, date(2025, 9, 4))          # Thursday, on time
    send_back("VP", Q3, date(2025, 9, 5))       # Friday, the due day
    submit("VP", Q3, date(2025, 9, 10))         # Wednesday: Mon 8, Tue 9, Wed 10 = 3 working days
    assert report("VP", Q3).late_days == 5      # the item still says when it was really sent
    part = reports_part("VP", Q3)
    assert on_time(part)
    assert only_line(part).text == ("Báo cáo Quý III/2025 (hạn 05/09/2025): gửi lần đầu đúng hạn ngày 04/09/2025, "
                                    "bị trả lại ngày 05/09/2025, gửi lại ngày 10/09/2025 trong 3/3 ngày làm việc: "
                                    "tính đúng hạn")


def test_a_fix_after_the_window_counts_by_the_day_it_was_sent_again(plan):
    submit("KTHTDT", Q3, date(2025, 9, 4))
    send_back("KTHTDT", Q3, date(2025, 9, 5))
    submit("KTHTDT", Q3, date(2025, 9, 11))     # Thursday: the 4th working day
    part = reports_part("KTHTDT", Q3)
    assert half(part)
    assert only_line(part).text == (
        "Báo cáo Quý III/2025 (hạn 05/09/2025): gửi muộn 6 ngày (gửi lần đầu đúng hạn ngày 04/09/2025, "
        "bị trả lại ngày 05/09/2025, gửi lại ngày 11/09/2025 sau 4 ngày làm việc, quá 3 ngày làm việc được sửa: "
        "tính theo ngày gửi lại), tính 50%")


def test_a_first_submission_already_late_gains_nothing_from_the_return(plan):
    submit("TTPVHCC", Q3, date(2025, 9, 8))     # Monday, 3 days late
    send_back("TTPVHCC", Q3, date(2025, 9, 8))
    submit("TTPVHCC", Q3, date(2025, 9, 9))     # fixed the next day
    part = reports_part("TTPVHCC", Q3)
    assert half(part)
    assert "gửi muộn 4 ngày (gửi lần đầu ngày 08/09/2025 đã muộn" in only_line(part).text


def test_a_report_late_without_any_return_reads_as_before(plan):
    submit("VHXH", Q3, date(2025, 9, 10))
    assert only_line(reports_part("VHXH", Q3)).text == "Báo cáo Quý III/2025 (hạn 05/09/2025): gửi muộn 5 ngày, tính 50%"


def test_the_window_is_the_schemes_parameter_and_a_new_version_can_change_it(plan):
    submit("KTHTDT", Q3, date(2025, 9, 4))
    send_back("KTHTDT", Q3, date(2025, 9, 5))
    submit("KTHTDT", Q3, date(2025, 9, 11))
    assert half(reports_part("KTHTDT", Q3))
    save_reports_params(plan, {"late_factor": 0.5, "resubmit_working_days": 4})
    assert half(reports_part("KTHTDT", Q3))  # Q3 is running: it keeps its version until the chairman approves
    apply_to_running(Q3)
    part = reports_part("KTHTDT", Q3)
    assert on_time(part) and "trong 4/4 ngày làm việc: tính đúng hạn" in only_line(part).text


def save_reports_params(plan, params):
    """A new scheme version, as the reviewer saves it, with the reports criterion's parameters `params`."""
    active = schemes.active_scheme(plan)
    data = {"criteria": [{"code": c.code, "label": c.label, "max_points": c.max_points,
                          "params": params if c.code == "reports" else dict(c.params)} for c in active.criteria],
            "bands": [{"label": b.label, "min_score": b.min_score} for b in active.bands], "note": "N"}
    return schemes.save_version(user("thamdinh"), plan, active.version, data)


def test_a_saved_version_without_the_parameter_reads_the_default_three(plan, client, auth):
    older = save_reports_params(plan, {"late_factor": 0.5})  # as every version saved before the parameter
    assert "resubmit_working_days" not in next(c for c in older.criteria if c.code == "reports").params
    submit("VP", Q3, date(2025, 9, 4))
    send_back("VP", Q3, date(2025, 9, 5))
    submit("VP", Q3, date(2025, 9, 10))
    assert "trong 3/3 ngày làm việc" in only_line(reports_part("VP", Q3)).text
    auth.login("thamdinh")
    page = client.get("/ranking/scheme").text  # the editor shows it, so the next version saves it
    assert re.search(r'name="criteria-1-resubmit_working_days"[^>]*value="3"', page)


@pytest.mark.parametrize("value, message", [("2,5", "Vui lòng nhập một số nguyên."), ("31", "Từ 0 đến 30 ngày."),
                                            ("", "Vui lòng nhập giá trị.")])
def test_the_editor_refuses_a_bad_window_beside_the_field(plan, client, auth, value, message):
    from .test_ranking_scheme import scheme_form
    auth.login("thamdinh")
    count = db.session.scalar(select(func.count(ScoringScheme.id)))
    response = client.post("/ranking/scheme", data=scheme_form(**{"criteria-1-resubmit_working_days": value}))
    assert response.status_code == 422 and message in response.text
    assert db.session.scalar(select(func.count(ScoringScheme.id))) == count
    saved = client.post("/ranking/scheme", data=scheme_form(**{"criteria-1-resubmit_working_days": "5"}))
    assert saved.status_code == 303
    assert next(c for c in schemes.active_scheme(plan).criteria if c.code == "reports").params[
        "resubmit_working_days"] == 5


# --- holidays inside the window: a period due Friday 29/08/2025, just before Quốc khánh -------------------

@pytest.fixture
def august(plan):
    """A monthly period due Friday 29/08/2025, added and opened by the admin."""
    made = admin.save_period(user("admin"), plan, None, {"name": AUGUST, "kind": "month", "start_date": date(2025, 8, 1),
                                                          "end_date": date(2025, 8, 31), "due_date": date(2025, 8, 29)})
    items.open_period(user("admin"), made)
    return made


def returned_before_quoc_khanh(unit_code, fixed_on):
    submit(unit_code, AUGUST, date(2025, 8, 28))    # Thursday, on time
    send_back(unit_code, AUGUST, date(2025, 8, 29))  # Friday; Mon 1/9 and Tue 2/9 are Quốc khánh
    submit(unit_code, AUGUST, fixed_on)


def test_the_holidays_inside_the_window_extend_it(august):
    returned_before_quoc_khanh("VHXH", date(2025, 9, 4))   # Thursday: Wed 3, Thu 4 = 2 working days
    part = reports_part("VHXH", AUGUST)
    assert on_time(part)
    assert only_line(part).text == ("Báo cáo Tháng 8/2025 (hạn 29/08/2025): gửi lần đầu đúng hạn ngày 28/08/2025, "
                                    "bị trả lại ngày 29/08/2025, gửi lại ngày 04/09/2025 trong 2/3 ngày làm việc: "
                                    "tính đúng hạn")


def test_late_after_the_window_even_with_the_holidays(august):
    returned_before_quoc_khanh("VP", date(2025, 9, 8))     # Monday: Wed 3, Thu 4, Fri 5, Mon 8 = 4
    part = reports_part("VP", AUGUST)
    assert half(part) and "gửi muộn 10 ngày" in only_line(part).text and "sau 4 ngày làm việc" in only_line(part).text


def test_removing_the_holidays_on_the_admin_page_changes_the_score(august, client, auth):
    """The calendar is the admin's data: without Quốc khánh the same fix takes 4 working days, and the
    ranking page (kept between requests) follows the change at once."""
    returned_before_quoc_khanh("VHXH", date(2025, 9, 4))
    url = f"/ranking/{unit('VHXH').id}?period={august.id}"
    auth.login("admin")
    with at(date(2025, 9, 20)):
        assert "trong 2/3 ngày làm việc: tính đúng hạn" in client.get(url).text
        for day in (date(2025, 9, 1), date(2025, 9, 2)):
            holiday = db.session.scalar(select(Holiday).where(Holiday.day == day))
            assert client.post(f"/admin/holidays/{holiday.id}/delete").status_code == 303
        page = client.get(url).text
    assert "gửi muộn 6 ngày" in page and "sau 4 ngày làm việc, quá 3 ngày làm việc được sửa" in page
    assert half(reports_part("VHXH", AUGUST))


# --- the ranking page's query count, with holidays and a returned-then-fixed report -----------------------

def test_the_query_count_stays_fixed_with_holidays_and_resubmissions(plan, client, auth, count_queries):
    from .test_ranking_pages import add_tasks, queries_of
    realistic_mix()
    submit("TTSNC", Q3, date(2025, 9, 4))
    send_back("TTSNC", Q3, date(2025, 9, 5))
    submit("TTSNC", Q3, date(2025, 9, 10))
    assert db.session.scalar(select(func.count(Holiday.id))) == 17
    auth.login("chutich")
    urls = ["/ranking", f"/ranking?period={period(Q3).id}", f"/ranking/{unit('TTSNC').id}?period={period(Q3).id}"]
    small = [queries_of(client, count_queries, url) for url in urls]
    add_tasks(plan, 300)
    attach_files(result("9.1", Q3), 2)
    for n in range(20):  # more holidays, and more reports returned and fixed, change nothing
        db.session.add(Holiday(day=date(2026, 1, 1 + n), name=f"Nghỉ {n}"))
    db.session.commit()
    submit("KTHTDT", Q3, date(2025, 9, 9))  # returned in the mix (01/09), fixed now
    send_back("TTSNC", Q3, date(2025, 9, 11))
    submit("TTSNC", Q3, date(2025, 9, 12))
    assert [queries_of(client, count_queries, url) for url in urls] == small
