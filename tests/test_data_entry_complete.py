"""Data entry, part 2 (issue #10): drafts always save and sending checks completeness; Biểu II.06a
as a grid whose totals the app adds up (live, in one request) and that imports from .xlsx all or
nothing; a rank target's result as text; a draft filled from the previous period or from the
unit's task results, and an annual period starting from the latest quarter."""
import io
import re

import openpyxl
import pytest
from sqlalchemy import select

from workflow.extensions import db
from workflow.items import dossier_sheet, services, states
from workflow.models import ReportingPeriod, Task, TaskResult, UnitReport

from .items_support import ready, report_of, result_of, user
from .test_items_edit import GOOD_ROW, report_form, result_form


def blank_report(report):
    """The report's form as the browser posts it with nothing typed."""
    data = {"version": report.version, **{f"sections-{i}": "" for i in range(len(report.sections))}}
    data.update({f"actuals-{i}-note": "" for i in range(len(report.target_actuals))})
    return data


def fresh(model, item_id):
    db.session.expire_all()
    return db.session.get(model, item_id)


# --- completeness: an empty draft saves, an empty draft cannot be sent ------------------------------

def test_an_empty_task_result_saves_and_cannot_be_sent(auth, client, period):
    item = result_of("7.d", period)
    auth.login("ttpvhcc")
    empty = {"version": item.version, "work_status": "not_started", "progress": "0", "done_text": "",
             "completed_on": "", "output_text": "", "blocked_reason": ""}
    assert client.post(f"/items/task-result/{item.id}", data=empty).status_code == 303
    response = client.post(f"/items/task-result/{item.id}", data={**empty, "version": 2, "then": "submit"})
    assert response.status_code == 422
    assert '<ul class="errors" id="done_text-errors"><li>Vui lòng nêu kết quả thực hiện trong kỳ.' in response.text
    assert fresh(TaskResult, item.id).state == "draft"


def test_an_empty_unit_report_saves_with_warnings_and_is_refused_beside_each_field(auth, client, period):
    report = report_of("ttpvhcc", period)
    auth.login("ttpvhcc")
    empty = blank_report(report)
    assert client.post(f"/items/unit-report/{report.id}", data=empty).status_code == 303
    page = client.get(f"/items/unit-report/{report.id}").text
    led = page.count("Đơn vị chủ trì nhiệm vụ thuộc lĩnh vực này")
    assert led >= 1 and "cần bổ sung trước khi gửi" in page
    response = client.post(f"/items/unit-report/{report.id}", data={**empty, "version": 2, "then": "submit"})
    assert response.status_code == 422
    assert response.text.count("Đơn vị chủ trì nhiệm vụ thuộc lĩnh vực này") == led
    for i, actual in enumerate(fresh(UnitReport, report.id).target_actuals):
        name = "text" if actual.target.metric == "rank" else "value"
        assert f'<ul class="errors" id="actuals-{i}-{name}-errors"><li>Vui lòng ghi kết quả chỉ tiêu.' in response.text
    assert fresh(UnitReport, report.id).state == "draft"


def test_only_areas_the_unit_leads_must_be_written(period):
    report = ready(report_of("vhxh", period))
    led = set(db.session.scalars(select(Task.area_id).where(Task.lead_unit_id == report.unit_id)))
    cooperating = [s for s in report.sections if s.area_id not in led]
    assert cooperating
    for section in cooperating:
        section.body = ""
    db.session.commit()
    states.perform(user("vhxh"), report, "submit", report.version)  # areas it only cooperates on may be empty
    assert report.state == "submitted"


def test_an_empty_report_never_counts_as_sent_on_time(period):
    report = report_of("ttpvhcc", period)
    with pytest.raises(Exception, match="chưa đủ để gửi"):
        states.perform(user("ttpvhcc"), report, "submit", report.version)
    assert fresh(UnitReport, report.id).submitted_at is None


# --- Biểu II.06a as a grid ---------------------------------------------------------------------------

def grid_data(report, rows):
    return report_form(report, rows)


def test_the_grid_answers_typing_with_the_totals_in_one_request(auth, client, period):
    report = report_of("ttpvhcc", period)
    auth.login("ttpvhcc")
    row = {**GOOD_ROW, "pending_within": 4}  # pending 5: 110 + 5 ≠ 120
    response = client.post(f"/items/unit-report/{report.id}/dossier", data=grid_data(report, [row]),
                           headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert '<output id="dossier-0-received_total" hx-swap-oob="true">120</output>' in response.text
    assert '<output id="dossier-0-pending_total" hx-swap-oob="true">5</output>' in response.text
    assert '<output id="dossier-sum-resolved_total" hx-swap-oob="true">110</output>' in response.text
    assert "phải bằng đã giải quyết + đang giải quyết = 115" in response.text
    assert "<html" not in response.text  # only the totals, not a page
    assert fresh(UnitReport, report.id).version == 1  # nothing saved


def test_a_row_is_added_without_saving(auth, client, period):
    report = report_of("ttpvhcc", period)
    auth.login("ttpvhcc")
    data = {**grid_data(report, [GOOD_ROW, {"field_name": "Đất đai", "received_online": "7"}]), "add_row": "1"}
    response = client.post(f"/items/unit-report/{report.id}/dossier", data=data, headers={"HX-Request": "true"})
    assert response.status_code == 200 and response.text.lstrip().startswith('<tbody id="dossier-body">')
    assert 'name="dossier_rows-2-field_name"' in response.text and 'value="Đất đai"' in response.text
    assert fresh(UnitReport, report.id).version == 1
    without_js = client.post(f"/items/unit-report/{report.id}/dossier", data=data)
    assert without_js.status_code == 200 and 'name="dossier_rows-2-field_name"' in without_js.text


def test_the_grid_is_a_table_like_the_paper_form(auth, client, period):
    report = report_of("ttpvhcc", period)
    auth.login("ttpvhcc")
    page = client.get(f"/items/unit-report/{report.id}").text
    table = page[page.index('<table class="dossier-grid'):page.index("</table>")]
    assert [h for h in ("Tiếp nhận", "Đã giải quyết", "Đang giải quyết") if f'scope="colgroup">{h}' in table]
    assert table.count('name="dossier_rows-0-') == 9  # the field and eight parts: totals are not typed
    assert table.count("<tr>") == 2 + 6 + 1  # two header rows, five fields and a blank one, the sums


# --- Biểu II.06a from .xlsx --------------------------------------------------------------------------

def sheet(report, rows):
    book = openpyxl.load_workbook(io.BytesIO(dossier_sheet.template([r[0] for r in rows])))
    ws = book.active
    first = next(r for r in range(1, 30) if ws.cell(r, 2).value == rows[0][0])
    for i, (_, *counts) in enumerate(rows):
        for j, value in enumerate(counts):
            ws.cell(first + i, 4 + j if j < 3 else 4 + j + 1 if j < 6 else 4 + j + 2).value = value
    out = io.BytesIO()
    book.save(out)
    return first, out.getvalue()


def import_post(client, report, data, content):
    return client.post(f"/items/unit-report/{report.id}/dossier/import",
                       data={**data, "dossier_file": (io.BytesIO(content), "bieu.xlsx")},
                       content_type="multipart/form-data")


def test_an_imported_sheet_replaces_the_table_and_saves_what_was_typed(auth, client, period):
    report = report_of("ttpvhcc", period)
    auth.login("ttpvhcc")
    # online, direct, carried | early, on time, late | within, overdue
    _, content = sheet(report, [("Hộ tịch", 80, 30, 10, 20, 88, 2, 9, 1), ("Đất đai", 5, 5, 0, 2, 6, 0, 2, 0)])
    response = import_post(client, report, report_form(report, limitations="Giữ nguyên"), content)
    assert response.status_code == 303, response.text
    saved = fresh(UnitReport, report.id)
    assert [(r.field_name, r.received_total, r.resolved_total, r.pending_total) for r in saved.dossier_rows] == [
        ("Hộ tịch", 120, 110, 10), ("Đất đai", 10, 8, 2)]
    assert saved.limitations == "Giữ nguyên"


def test_a_sheet_with_a_bad_row_changes_nothing_and_names_the_row_and_column(auth, client, period):
    report = report_of("ttpvhcc", period)
    auth.login("ttpvhcc")
    first, content = sheet(report, [("Hộ tịch", 80, 30, 10, 20, 88, 2, 9, 1), ("Đất đai", "năm", 5, 0, 2, 6, 0, 2, 0)])
    response = import_post(client, report, report_form(report, limitations="Đang gõ"), content)
    assert response.status_code == 422
    assert f"Dòng {first + 1}, cột D (Trực tuyến): “năm” không phải là số." in response.text
    assert "Đang gõ" in response.text  # what was typed is still on the screen
    saved = fresh(UnitReport, report.id)
    assert saved.version == 1 and all(r.received_total == 0 for r in saved.dossier_rows)


def test_our_template_downloads_with_the_units_fields(auth, client, period):
    report = report_of("ttpvhcc", period)
    auth.login("ttpvhcc")
    response = client.get(f"/items/unit-report/{report.id}/dossier/template.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    assert [r["field_name"] for r in dossier_sheet.read(io.BytesIO(response.data))] == [
        r.field_name for r in report.dossier_rows]


# --- a rank is a text -------------------------------------------------------------------------------

@pytest.mark.parametrize("typed,status", [("3/30", 303), ("3 / 30", 303), ("Hạng 3", 422), ("31/30", 422)])
def test_a_rank_target_takes_a_rank(auth, client, period, typed, status):
    report = report_of("ttpvhcc", period)
    rank = next(i for i, a in enumerate(report.target_actuals) if a.target.metric == "rank")
    auth.login("ttpvhcc")
    response = client.post(f"/items/unit-report/{report.id}", data=report_form(report, **{f"actuals-{rank}-text": typed}))
    assert response.status_code == status
    if status == 422:
        assert "Ghi thứ hạng dạng 3/30" in response.text
        return
    actual = fresh(UnitReport, report.id).target_actuals[rank]
    assert (actual.value_text, actual.value) == ("3/30", 3)
    assert "3/30" in client.get(f"/items/unit-report/{report.id}").text


# --- less typing ------------------------------------------------------------------------------------

def year():
    return db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.name == "Năm 2025"))


def test_an_annual_task_result_starts_from_the_latest_quarters(period):
    q3 = result_of("7.d", period)
    q3.work_status, q3.progress, q3.done_text = "in_progress", 70, "Đã đánh giá nội bộ ISO."
    db.session.commit()
    services.open_period(user("admin"), year())
    annual = result_of("7.d", year())
    assert (annual.work_status, annual.progress, annual.done_text) == ("in_progress", 70, "Đã đánh giá nội bộ ISO.")
    assert annual.state == "draft" and result_of("1.a", year()).done_text == ""


def test_copy_from_the_previous_period_fills_only_what_is_empty(auth, client, period):
    q3 = result_of("7.d", period)
    q3.done_text, q3.output_text = "Kết quả quý III.", "Báo cáo ISO"
    db.session.commit()
    services.open_period(user("admin"), year())
    annual = result_of("7.d", year())
    annual.done_text = ""
    db.session.commit()
    auth.login("ttpvhcc")
    page = client.get(f"/items/task-result/{annual.id}").text
    assert "Sao chép từ kỳ trước" in page
    typed = result_form(annual, done_text="Đang gõ cả năm", output_text="")
    response = client.post(f"/items/task-result/{annual.id}/fill/previous", data=typed)
    assert response.status_code == 303
    saved = fresh(TaskResult, annual.id)
    assert (saved.done_text, saved.output_text) == ("Đang gõ cả năm", "Báo cáo ISO")  # typed text kept
    assert "đã điền 1 mục" in client.get(f"/items/task-result/{annual.id}").text


def test_a_report_is_filled_from_the_units_task_results(auth, client, period):
    result = result_of("7.d", period)
    result.work_status, result.progress, result.done_text = "in_progress", 60, "Duy trì ISO 9001:2015."
    db.session.commit()
    report = report_of("ttpvhcc", period)
    auth.login("ttpvhcc")
    data = blank_report(report)
    first = report.sections[0]
    data["sections-0"] = "Đơn vị tự viết."
    response = client.post(f"/items/unit-report/{report.id}/fill/tasks", data=data)
    assert response.status_code == 303
    saved = fresh(UnitReport, report.id)
    bodies = {s.area.number: s.body for s in saved.sections}
    assert bodies[first.area.number] == "Đơn vị tự viết."  # never over typed text
    area = result.task.area.number
    if area != first.area.number:
        assert "- 7.d " in bodies[area] and "đang thực hiện, 60%. Duy trì ISO 9001:2015." in bodies[area]


def test_a_report_copies_the_previous_period_and_carries_pending_dossiers(auth, client, period):
    q3 = ready(report_of("ttpvhcc", period))
    q3.limitations = "Hạn chế quý III."
    q3.dossier_rows[0].pending_within, q3.dossier_rows[0].pending_total = 4, 4
    q3.dossier_rows[0].received_carried, q3.dossier_rows[0].received_total = 4, 4
    db.session.commit()
    services.open_period(user("admin"), year())
    annual = report_of("ttpvhcc", year())
    auth.login("ttpvhcc")
    response = client.post(f"/items/unit-report/{annual.id}/fill/previous", data=blank_report(annual))
    assert response.status_code == 303
    saved = fresh(UnitReport, annual.id)
    assert saved.limitations == "Hạn chế quý III."
    first = saved.dossier_rows[0]
    assert (first.field_name, first.received_carried, first.received_total, first.pending_total) == (
        q3.dossier_rows[0].field_name, 4, 4, 4)


def test_a_fill_is_for_the_owner_only(auth, client, period):
    result = result_of("7.d", period)
    auth.login("ttpvhcc")
    assert client.post(f"/items/task-result/{result.id}/fill/nothing", data=result_form(result)).status_code == 404
    assert re.search("Sao chép từ kỳ trước", client.get(f"/items/task-result/{result.id}").text)
    auth.logout()
    auth.login("thamdinh")
    assert client.post(f"/items/task-result/{result.id}/fill/previous",
                       data=result_form(result)).status_code == 403
    assert "Sao chép từ kỳ trước" not in client.get(f"/items/task-result/{result.id}").text
