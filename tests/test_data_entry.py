"""Data entry a unit can trust (issue #10), over HTTP and on the formatting functions:

numbers typed the Vietnamese way and shown back so, per-cent figures within 0-100, dates as
dd/mm/yyyy in any browser, paragraphs kept and text escaped, one send that sends what was typed
(and undoes the save when the send is refused), Vietnamese order of task codes, and the accepted
consolidated report on every unit's "Văn bản" page.
"""
import re
from datetime import date, datetime

import pytest
from sqlalchemy import select

from workflow.consolidated import services as consolidation
from workflow.extensions import db
from workflow.formats import paragraphs, parse_vn_number, vn_number, vn_sort_key
from workflow.items import states
from workflow.models import SelfAssessment, TaskResult, UnitReport
from workflow.seed.scoring import load_default_scheme

from .items_support import open_q3, ready, report_of, result_of, user
from .test_items_edit import GOOD_ROW, report_form, result_form


@pytest.mark.parametrize("typed,read", [("95,5", 95.5), ("95.5", 95.5), ("1.200", 1200), ("1.200,5", 1200.5),
                                        ("1200", 1200), (" 0,5 ", 0.5), ("-3", -3), ("100.000", 100000)])
def test_numbers_are_read_the_vietnamese_way(typed, read):
    assert parse_vn_number(typed) == read


@pytest.mark.parametrize("typed", ["1,200.5", "12.34.5", "abc", "", "95,5%", "1.2.3"])
def test_numbers_that_cannot_be_read_unambiguously_are_refused(typed):
    with pytest.raises(ValueError):
        parse_vn_number(typed)


def test_one_number_format_for_pages_pdfs_and_texts():
    assert [vn_number(v) for v in (1200, 95.5, 13.3333, 40.0, 1234567.891, -2, None)] == [
        "1.200", "95,5", "13,33", "40", "1.234.567,89", "-2", ""]


def test_paragraphs_are_kept_and_text_is_escaped():
    html = str(paragraphs("Một <b>hai</b>\nba\n\n\nbốn"))
    assert html == '<p class="prose">Một &lt;b&gt;hai&lt;/b&gt;<br>ba</p><p class="prose">bốn</p>'
    assert str(paragraphs("", "—")) == '<p class="prose">—</p>' and str(paragraphs("  ")) == ""


def test_vietnamese_order_of_codes_and_words():
    assert sorted(["6.f", "6.e", "6.đ", "6.d", "10.a", "9.b"], key=vn_sort_key) == [
        "6.d", "6.đ", "6.e", "6.f", "9.b", "10.a"]
    assert sorted(["Đất đai", "Dân số", "Ân", "An", "Ăn", "Bé"], key=vn_sort_key) == [
        "An", "Ăn", "Ân", "Bé", "Dân số", "Đất đai"]


def test_a_decimal_comma_is_stored_as_a_number_and_shown_back_with_it(auth, client, period):
    report = report_of("ttpvhcc", period)
    auth.login("ttpvhcc")
    row = {**GOOD_ROW, "received_online": "1.080", "received_total": "1.120", "resolved_total": "1.110",
           "resolved_on_time": "1.088"}
    response = client.post(f"/items/unit-report/{report.id}", data=report_form(report, [row], satisfaction_rate="95,5"))
    assert response.status_code == 303, response.text
    db.session.expire_all()
    saved = db.session.get(UnitReport, report.id)
    assert saved.satisfaction_rate == 95.5 and saved.dossier_rows[0].received_total == 1120
    page = client.get(f"/items/unit-report/{report.id}").text
    assert 'value="95,5"' in page and 'value="1.080"' in page
    assert '<output id="dossier-0-received_total">1.120</output>' in page  # a total the app adds up


def test_a_per_cent_figure_over_100_is_refused_beside_its_field(auth, client, period):
    report = report_of("ttpvhcc", period)
    index = next(i for i, a in enumerate(report.target_actuals) if a.target.unit_label == "%")
    auth.login("ttpvhcc")
    response = client.post(f"/items/unit-report/{report.id}",
                           data=report_form(report, [GOOD_ROW], **{f"actuals-{index}-value": "955"}))
    assert response.status_code == 422
    assert f'id="actuals-{index}-value-errors"' in response.text and "Tỷ lệ từ 0 đến 100%." in response.text
    db.session.expire_all()
    assert db.session.get(UnitReport, report.id).version == report.version  # nothing saved


def test_a_number_that_cannot_be_read_is_refused_not_changed(auth, client, period):
    item = result_of("7.d", period)
    auth.login("ttpvhcc")
    response = client.post(f"/items/task-result/{item.id}", data=result_form(item, progress="6O"))
    assert response.status_code == 422 and "Vui lòng nhập một số. Ví dụ: 95,5 hoặc 1.200." in response.text
    assert 'value="6O"' in response.text  # what was typed, to correct it


@pytest.mark.parametrize("typed", ["15/08/2025", "15-08-2025", "2025-08-15"])
def test_dates_are_day_first_whatever_the_browser(auth, client, period, typed):
    item = result_of("7.d", period)
    auth.login("ttpvhcc")
    response = client.post(f"/items/task-result/{item.id}", data=result_form(
        item, work_status="done", progress="100", completed_on=typed))
    assert response.status_code == 303, response.text
    db.session.expire_all()
    assert db.session.get(TaskResult, item.id).completed_on == date(2025, 8, 15)
    page = client.get(f"/items/task-result/{item.id}").text
    field = re.search(r'<input[^>]*id="completed_on"[^>]*>', page).group(0)
    assert 'type="text"' in field and 'value="15/08/2025"' in field and 'placeholder="dd/mm/yyyy"' in field


def test_a_month_first_date_is_refused_not_swapped(auth, client, period):
    item = result_of("7.d", period)
    auth.login("ttpvhcc")
    response = client.post(f"/items/task-result/{item.id}", data=result_form(
        item, work_status="done", progress="100", completed_on="08/15/2025"))
    assert response.status_code == 422 and "Ngày không hợp lệ (dd/mm/yyyy)." in response.text


def test_a_result_keeps_its_paragraphs_and_is_escaped(auth, client, period):
    item = result_of("7.d", period)
    auth.login("ttpvhcc")
    text = "Đoạn một <script>alert(1)</script>\n\nĐoạn hai"
    client.post(f"/items/task-result/{item.id}", data={**result_form(item, done_text=text), "then": "submit"})
    page = client.get(f"/items/task-result/{item.id}").text
    assert '<p class="prose">Đoạn một &lt;script&gt;alert(1)&lt;/script&gt;</p><p class="prose">Đoạn hai</p>' in page


def test_the_panel_send_is_the_form_send(auth, client, period):
    """One "Gửi": in the panel it submits the draft's form (then=submit), not the last save."""
    item = result_of("7.d", period)
    auth.login("ttpvhcc")
    page = client.get(f"/items/task-result/{item.id}").text
    panel = page[page.index('id="panel"'):page.index('id="item-body"')]
    assert re.search(r'<button type="submit" form="item-form" name="then" value="submit">Gửi</button>', panel)
    assert 'id="item-form" data-guard' in page


def test_an_incomplete_send_keeps_what_was_typed_as_the_draft(auth, client, seeded):
    load_default_scheme(seeded)
    period = open_q3()
    item = db.session.scalar(select(SelfAssessment).where(SelfAssessment.unit_id == user("ttpvhcc").unit_id,
                                                          SelfAssessment.period_id == period.id))
    auth.login("ttpvhcc")
    before = item.version
    data = {"version": item.version, "then": "submit", "initiatives-0-kind": "initiative",
            **{f"lines-{i}-points": "" for i in range(len(item.lines))}, "lines-0-text": "Giải trình đang gõ"}
    response = client.post(f"/items/self-assessment/{item.id}", data=data)
    assert response.status_code == 422 and "Chưa tự chấm điểm tiêu chí" in response.text
    assert "Giải trình đang gõ" in response.text
    db.session.expire_all()
    again = db.session.get(SelfAssessment, item.id)
    assert (again.state, again.version, again.lines[0].explanation) == ("draft", before + 1, "Giải trình đang gõ")
    assert "Đã lưu dự thảo nhưng chưa gửi" in response.text


def _task_codes(text, codes):
    return sorted((text.index(f">{code}"), code) for code in codes if f">{code}" in text)


def test_6d_sorts_before_6dd_before_6e_on_the_task_list_the_queues_and_the_public_page(auth, client, period):
    codes = ("6.d", "6.đ", "6.e")
    for code in codes:
        item = result_of(code, period)
        states.perform(user("kthtdt"), ready(item), "submit", item.version)
    auth.login("thamdinh")
    queue = client.get("/queue/review").text
    order = [code for _, code in sorted((queue.index(f"{code}. "), code) for code in codes)]
    assert order == list(codes)
    tasks = client.get("/tasks?unit=" + str(user("kthtdt").unit_id)).text
    assert [code for _, code in _task_codes(tasks, codes)] == list(codes)
    for code in codes:
        item = result_of(code, period)
        states.perform(user("thamdinh"), item, "review", item.version)
        states.perform(user("tiepnhan"), item, "accept", item.version)
    public = client.get(f"/cong-khai/{period.id}/don-vi/{user('kthtdt').unit_id}").text  # the unit's accepted results
    assert [code for _, code in _task_codes(public, codes)] == list(codes)
    auth.logout()
    auth.login("kthtdt")
    work = client.get("/work").text
    assert [code for _, code in sorted((work.index(f"{code}. "), code) for code in codes)] == list(codes)


def test_every_unit_reads_the_accepted_consolidated_report(auth, client, period):
    report = consolidation.prefill(user("thamdinh"), period)
    states.perform(user("thamdinh"), ready(report), "submit", report.version)
    states.perform(user("tiepnhan"), report, "review", report.version)
    auth.login("kthtdt")
    assert "Chưa có báo cáo tổng hợp." in client.get("/documents").text  # a draft is not theirs to read
    auth.logout()
    states.perform(user("chutich"), report, "accept", report.version, now=datetime(2025, 9, 5, 2, 0))  # signed
    auth.login("kthtdt")
    documents = client.get("/documents").text
    assert "Báo cáo tổng hợp của phường số 01/BC-UBND ngày 05/09/2025" in documents
    assert client.get(f"/documents/consolidated/{report.id}.pdf").status_code == 200
