"""Import of the task catalogue from .xlsx: all or nothing, every bad row named, admins only."""
import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from werkzeug.exceptions import Forbidden

from workflow.admin import task_import
from workflow.admin.task_import import HEADINGS, WorkbookError, import_tasks
from workflow.extensions import db
from workflow.models import Task, User

URL = "/admin/tasks/import"
TEMPLATE_URL = "/admin/tasks/import/template.xlsx"
CODE, AREA, TITLE, CONTENT, LEAD, COOP, DEADLINE, OUTPUT = HEADINGS


def xlsx(rows, headings=HEADINGS, title="Nhiệm vụ"):
    """An .xlsx in memory: the header row, then the rows (None for a blank row)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    if headings:
        sheet.append(list(headings))
    for row in rows:
        sheet.append(list(row) if row else [])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def row(code, area=2, title="Rà soát văn bản", lead="VP", coop="VHXH", deadline="30/09/2025",
        content="Rà soát các văn bản quy phạm pháp luật của phường.", output="Báo cáo rà soát"):
    return [code, area, title, content, lead, coop, deadline, output]


def upload(client, data, filename="danh-muc.xlsx"):
    return client.post(URL, data={"file": (io.BytesIO(data), filename)}, content_type="multipart/form-data")


def task_count():
    return db.session.scalar(select(func.count()).select_from(Task))


def task(code):
    db.session.expire_all()
    return db.session.scalar(select(Task).where(Task.code == code))


def admin():
    return db.session.scalar(select(User).where(User.username == "admin"))


def test_valid_file_imports_every_new_row(client, auth):
    auth.login("admin")
    before = task_count()
    data = xlsx([
        row("2.x1", deadline=datetime(2025, 9, 30)),                         # an Excel date cell
        None,                                                                # blank rows are skipped
        row("3.x1", area=3, lead="ttpvhcc", coop="VP, KTHTDT", deadline="2025-10-15"),
        row("7.x1", area="7", lead="TTSNC", coop="", deadline="01/12/2025", output=None),
    ])
    response = upload(client, data)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/tasks")
    assert task_count() == before + 3

    first, second, third = task("2.x1"), task("3.x1"), task("7.x1")
    assert (first.area.number, first.lead_unit.code, first.deadline) == (2, "VP", date(2025, 9, 30))
    assert [u.code for u in first.cooperating_units] == ["VHXH"]
    assert first.title == "Rà soát văn bản" and first.output == "Báo cáo rà soát"
    assert (second.area.number, second.lead_unit.code, second.deadline) == (3, "TTPVHCC", date(2025, 10, 15))
    assert [u.code for u in second.cooperating_units] == ["KTHTDT", "VP"]
    assert (third.area.number, third.cooperating_units, third.output) == (7, [], "")
    assert third.deadline == date(2025, 12, 1)

    page = client.get("/tasks").get_data(as_text=True)
    assert "Đã nhập 3 nhiệm vụ (3 mới, 0 cập nhật)." in page


def test_one_bad_row_imports_nothing_and_names_it(client, auth):
    auth.login("admin")
    before = task_count()
    data = xlsx([row("2.x1"), row("2.x2", deadline="15/01/2026"), row("2.x3")])
    response = upload(client, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert task_count() == before
    assert "Chưa nhập nhiệm vụ nào" in page
    assert (f"<tr><td>3</td><td>{DEADLINE}</td><td>15/01/2026</td>"
            f"<td>Thời hạn phải trong thời gian của kế hoạch (01/07/2025 – 31/12/2025).</td></tr>") in page
    assert page.count("<tr><td>") == 1


def test_every_bad_row_and_column_is_listed(app, seeded):
    before = task_count()
    data = xlsx([
        row("2.x1"),                                                # 2: good
        row("2.x2", area=9),                                        # 3: no such area
        row("2.x3", lead="XYZ", coop="VHXH, ABC"),                  # 4: unknown lead and cooperating unit
        None,                                                       # 5: blank, skipped
        row("2.x4", lead="VP", coop="VP"),                          # 6: lead also cooperates
        row("2.x5", title="", deadline="31/02/2025"),               # 7: two bad cells in one row
        row("2.x1"),                                                # 8: code repeated in the file
        row("x" * 21, title="t" * 301, output="o" * 301),           # 9: too long
        row("2.x6", lead="VP", coop="VP", deadline="01/01/2026"),   # 10: two shared rules broken
        row("2.x7", content=None, lead=None, deadline=None),        # 11: required cells missing
    ])
    result = import_tasks(admin(), seeded, io.BytesIO(data))
    assert (result.created, result.updated) == (0, 0)
    assert task_count() == before
    assert [(e.row, e.column) for e in result.errors] == [
        (3, AREA), (4, LEAD), (4, COOP), (6, COOP), (7, TITLE), (7, DEADLINE), (8, CODE),
        (9, CODE), (9, TITLE), (9, OUTPUT), (10, COOP), (10, DEADLINE),
        (11, CONTENT), (11, LEAD), (11, DEADLINE),
    ]
    reasons = {(e.row, e.column): e.reason for e in result.errors}
    assert "Không có đơn vị mã XYZ" in reasons[(4, LEAD)]
    assert "ABC" in reasons[(4, COOP)] and "VHXH" not in reasons[(4, COOP)]
    assert reasons[(8, CODE)] == "Mã 2.x1 trùng với dòng 2 của tệp."
    assert "tối đa 20 ký tự" in reasons[(9, CODE)]
    assert "tối đa 300 ký tự" in reasons[(9, TITLE)]
    assert reasons[(11, LEAD)] == "Chưa nhập mã đơn vị chủ trì."


def test_several_bad_rows_are_all_shown_on_the_page(client, auth):
    auth.login("admin")
    response = upload(client, xlsx([row("2.x1", area=0), row("2.x2"), row("2.x3", lead="ZZZ")]))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f"<tr><td>2</td><td>{AREA}</td>" in page
    assert f"<tr><td>4</td><td>{LEAD}</td><td>ZZZ</td><td>Không có đơn vị mã ZZZ.</td>" in page
    assert task("2.x2") is None


def test_existing_code_updates_that_task(client, auth):
    auth.login("admin")
    before, old = task_count(), task("3.a")
    version, position, task_id = old.version, old.position, old.id
    response = upload(client, xlsx([
        row("3.a", area=3, title="Tiêu đề mới", lead="TTPVHCC", coop="VP", deadline="15/11/2025"),
        row("3.x9", area=3),
    ]))
    assert response.status_code == 303
    assert task_count() == before + 1
    updated = task("3.a")
    assert (updated.id, updated.title, updated.deadline) == (task_id, "Tiêu đề mới", date(2025, 11, 15))
    assert [u.code for u in updated.cooperating_units] == ["VP"]
    assert (updated.version, updated.position) == (version + 1, position)
    assert task("3.x9").position > position  # new tasks go after the area's existing ones
    assert "Đã nhập 2 nhiệm vụ (1 mới, 1 cập nhật)." in client.get("/tasks").get_data(as_text=True)


def _cut_zip():
    return xlsx([row("2.x1")])[:500]


def _zip_without_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    return buffer.getvalue()


@pytest.mark.parametrize("content", [
    "Mã nhiệm vụ,Lĩnh vực\n2.x1,2\n".encode(),   # a text (CSV) file renamed .xlsx
    b"",
    _cut_zip(),
    _zip_without_workbook(),
], ids=["text", "empty", "cut-zip", "other-zip"])
def test_a_file_that_is_not_xlsx_is_refused(client, auth, content):
    auth.login("admin")
    before = task_count()
    response = upload(client, content)
    assert response.status_code == 422
    assert "không phải là tệp Excel .xlsx hợp lệ" in response.get_data(as_text=True)
    assert task_count() == before


@pytest.mark.parametrize("data, filename, message", [
    (None, None, "Vui lòng chọn tệp Excel (.xlsx) cần nhập."),
    (b"x", "danh-muc.xls", "Chỉ nhận tệp Excel có đuôi .xlsx."),
    (b"x", "danh-muc.csv", "Chỉ nhận tệp Excel có đuôi .xlsx."),
])
def test_form_asks_for_an_xlsx_file(client, auth, data, filename, message):
    auth.login("admin")
    form = {"file": (io.BytesIO(data), filename)} if data else {}
    response = client.post(URL, data=form, content_type="multipart/form-data")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize("data, message", [
    (xlsx([row("2.x1")[:6]], headings=HEADINGS[:6]), "thiếu cột: Thời hạn (dd/mm/yyyy); Sản phẩm"),
    (xlsx([], headings=None), "không có dữ liệu"),
    (xlsx([None, None]), "chưa có nhiệm vụ nào"),
])
def test_unusable_sheet_is_refused_as_a_whole(app, seeded, data, message):
    with pytest.raises(WorkbookError) as refused:
        import_tasks(admin(), seeded, io.BytesIO(data))
    assert message in refused.value.message


def test_more_than_the_row_limit_is_refused(app, seeded):
    data = xlsx([row(f"2.{n}") for n in range(task_import.MAX_ROWS + 1)])
    before = task_count()
    with pytest.raises(WorkbookError, match="quá 5.000 dòng"):
        import_tasks(admin(), seeded, io.BytesIO(data))
    assert task_count() == before


def test_headings_are_matched_loosely_and_in_any_order(app, seeded):
    headings = ["Ghi chú", "sản phẩm", "THỜI HẠN", "Đơn vị phối hợp", "Đơn vị chủ trì", "Nội dung",
                "Tên ngắn", "Lĩnh vực", "Mã nhiệm vụ"]
    data = xlsx([["bỏ qua", "Kế hoạch", "2025-08-31", "", "VHXH", "Nội dung", "Tên", 1, "1.x1"]],
                headings=headings)
    result = import_tasks(admin(), seeded, io.BytesIO(data))
    assert (result.created, result.errors) == (1, [])
    assert (task("1.x1").lead_unit.code, task("1.x1").output) == ("VHXH", "Kế hoạch")


def test_a_failure_while_writing_leaves_nothing_written(app, seeded, monkeypatch):
    real_apply, calls = task_import.apply_task_fields, []

    def apply_then_fail(task, data):
        calls.append(data["code"])
        if len(calls) == 2:
            raise RuntimeError("mất kết nối")
        real_apply(task, data)

    monkeypatch.setattr(task_import, "apply_task_fields", apply_then_fail)
    before, version = task_count(), task("3.a").version
    with pytest.raises(RuntimeError):
        import_tasks(admin(), seeded, io.BytesIO(xlsx([row("3.a", area=3), row("2.x1")])))
    assert task_count() == before
    assert task("3.a").version == version


def test_non_admin_is_forbidden(client, auth):
    auth.login("member")
    before = task_count()
    assert client.get(URL).status_code == 403
    assert upload(client, xlsx([row("2.x1")])).status_code == 403
    assert client.get(TEMPLATE_URL).status_code == 403
    assert task_count() == before


def test_service_refuses_non_admin(app, seeded):
    member = db.session.scalar(select(User).where(User.username == "vhxh"))
    with pytest.raises(Forbidden):
        import_tasks(member, seeded, io.BytesIO(xlsx([row("2.x1")])))


def test_upload_page_has_the_form_and_template_link(client, auth):
    auth.login("admin")
    page = client.get(URL).get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'hx-boost="false"' in page
    assert 'type="file"' in page
    assert TEMPLATE_URL in page


def test_template_downloads_and_its_example_row_imports(client, auth):
    auth.login("admin")
    response = client.get(TEMPLATE_URL)
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "mau-danh-muc-nhiem-vu.xlsx" in response.headers["Content-Disposition"]

    workbook = load_workbook(io.BytesIO(response.data))
    sheet = workbook["Nhiệm vụ"]
    assert [c.value for c in sheet[1]] == HEADINGS
    assert all(c.font.bold for c in sheet[1])
    guide = "\n".join(str(v) for r in workbook["Hướng dẫn"].iter_rows(values_only=True) for v in r if v)
    assert "Cải cách thủ tục hành chính" in guide and "TTPVHCC" in guide
    assert "Trung tâm phục vụ hành chính công phường" in guide
    assert "01/07/2025 – 31/12/2025" in guide and "không trùng nhau" in guide

    sheet["A2"], sheet["C2"] = "1.x1", "Nhiệm vụ từ tệp mẫu"
    filled = io.BytesIO()
    workbook.save(filled)
    before = task_count()
    assert upload(client, filled.getvalue()).status_code == 303
    assert task_count() == before + 1
    assert task("1.x1").title == "Nhiệm vụ từ tệp mẫu"
