import pytest
from sqlalchemy import select

from workflow.admin import services
from workflow.extensions import db
from workflow.models import ReportingPeriod, Task, Unit, User
from workflow.seed import DEMO_PASSWORD


def unit_id(code):
    return db.session.scalar(select(Unit.id).where(Unit.code == code))


def user_by(username):
    return db.session.scalar(select(User).where(User.username == username))


@pytest.mark.parametrize("url", ["/admin/", "/admin/units", "/admin/users/1", "/admin/tasks/new",
                                 "/admin/periods", "/admin/tasks/import"])
def test_non_admins_get_403(auth, client, url):
    auth.login("reviewer")
    assert client.get(url).status_code == 403
    assert client.post(url, data={}).status_code in (403, 405)


def test_service_layer_refuses_non_admin_without_any_view(seeded):
    with pytest.raises(Exception) as exc:
        services.save_unit(user_by("chutich"), None, {"code": "X", "name": "X", "active": True})
    assert getattr(exc.value, "code", None) == 403


def test_admin_creates_a_unit_and_code_is_unique(auth, client):
    auth.login("admin")
    response = client.post("/admin/units/new", data={"code": "cat", "name": "Công an phường", "active": "y"})
    assert response.status_code == 303
    assert db.session.scalar(select(Unit).where(Unit.code == "CAT")).name == "Công an phường"
    again = client.post("/admin/units/new", data={"code": "CAT", "name": "Khác"})
    assert again.status_code == 422 and "Mã đơn vị đã tồn tại." in again.text


def test_unit_form_messages_are_vietnamese_and_422(auth, client):
    auth.login("admin")
    response = client.post("/admin/units/new", data={"code": "có dấu", "name": ""})
    assert response.status_code == 422
    assert "Chỉ dùng chữ không dấu" in response.text and "Vui lòng nhập tên đơn vị." in response.text


def test_the_heads_address_is_kept_and_checked(auth, client):
    """The head's e-mail (the reminders' escalation goes there) is edited with the unit, checked as an address."""
    auth.login("admin")
    kthtdt = db.session.scalar(select(Unit).where(Unit.code == "KTHTDT"))
    form = {"code": "KTHTDT", "name": kthtdt.name, "active": "y", "head_title": "Trưởng phòng",
            "head_name": "Bùi Đức Long", "head_email": "khong-phai-email"}
    refused = client.post(f"/admin/units/{kthtdt.id}", data=form)
    assert refused.status_code == 422 and "Địa chỉ email không hợp lệ." in refused.text
    saved = client.post(f"/admin/units/{kthtdt.id}", data={**form, "head_email": " long.bd@phulien.example "})
    assert saved.status_code == 303
    db.session.expire_all()
    assert db.session.get(Unit, kthtdt.id).head_email == "long.bd@phulien.example"
    assert "Email người đứng đầu" in client.get(f"/admin/units/{kthtdt.id}").text


def test_admin_creates_user_who_can_log_in(auth, client):
    auth.login("admin")
    response = client.post("/admin/users/new", data={
        "username": "CanBo.Moi", "full_name": "Cán bộ mới", "email": "", "unit": unit_id("TTSNC"),
        "roles": ["member", "reviewer"], "active": "y", "password": "matkhau-dai"})
    assert response.status_code == 303
    user = user_by("canbo.moi")
    assert {r.value for r in user.roles} == {"member", "reviewer"}
    auth.logout()
    assert auth.login("canbo.moi", "matkhau-dai").status_code == 303


@pytest.mark.parametrize("data,message", [
    ({"username": "a"}, "Từ 2 đến 64 ký tự."),
    ({"username": "vhxh"}, "Tên đăng nhập đã được dùng."),
    ({"roles": []}, "Chọn ít nhất một vai trò."),
    ({"password": ""}, "Vui lòng đặt mật khẩu cho tài khoản mới."),
    ({"password": "ngan"}, "Mật khẩu cần từ 8 đến 128 ký tự."),
    ({"email": "khong-phai-email"}, "Địa chỉ email không hợp lệ."),
    ({"unit": 0}, "Vui lòng chọn đơn vị."),
])
def test_user_form_rejects_bad_values(auth, client, data, message):
    auth.login("admin")
    form = {"username": "moi", "full_name": "Người mới", "unit": unit_id("VP"), "roles": ["member"],
            "active": "y", "password": "matkhau-dai"}
    form.update(data)
    response = client.post("/admin/users/new", data=form)
    assert response.status_code == 422
    assert message in response.text
    assert user_by("moi") is None


def test_admin_cannot_lock_out_themself(auth, client):
    auth.login("admin")
    me = user_by("admin")
    response = client.post(f"/admin/users/{me.id}", data={
        "username": "admin", "full_name": me.full_name, "unit": me.unit_id, "roles": ["member"], "active": "y"})
    assert response.status_code == 422 and "tự bỏ quyền quản trị" in response.text


def test_editing_user_without_password_keeps_it(auth, client):
    auth.login("admin")
    user = user_by("vp")
    client.post(f"/admin/users/{user.id}", data={
        "username": "vp", "full_name": "Tên mới", "unit": user.unit_id, "roles": ["member"], "active": "y"})
    db.session.expire_all()
    assert user_by("vp").full_name == "Tên mới" and user_by("vp").check_password(DEMO_PASSWORD)


def test_period_dates_are_checked(auth, client):
    auth.login("admin")
    bad = client.post("/admin/periods/new", data={"name": "Quý IV/2025", "kind": "quarter",
                                                  "start_date": "01/10/2025", "end_date": "30/09/2025",
                                                  "due_date": "05/12/2025"})
    assert bad.status_code == 422 and "Ngày kết thúc phải sau ngày bắt đầu." in bad.text
    good = client.post("/admin/periods/new", data={"name": "Quý IV/2025", "kind": "quarter",
                                                   "start_date": "2025-10-01", "end_date": "31/12/2025",
                                                   "due_date": "05/12/2025"})
    assert good.status_code == 303
    assert db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.name == "Quý IV/2025")) is not None


def _task_form(task, **changes):
    form = {"version": task.version, "area": task.area_id, "code": task.code, "title": task.title,
            "content": task.content, "lead_unit": task.lead_unit_id, "deadline": f"{task.deadline:%d/%m/%Y}",
            "output": task.output, "position": task.position,
            "cooperating_units": [u.id for u in task.cooperating_units]}
    form.update(changes)
    return form


def test_task_edit_and_stale_version_gets_409(auth, client):
    auth.login("admin")
    task = db.session.scalar(select(Task).where(Task.code == "7.d"))
    first = _task_form(task, title="ISO 9001 – duy trì")
    stale = _task_form(task, title="Bản sửa của người khác")
    assert client.post(f"/admin/tasks/{task.id}", data=first).status_code == 303
    response = client.post(f"/admin/tasks/{task.id}", data=stale)
    assert response.status_code == 409
    assert "vừa được người khác thay đổi" in response.text
    db.session.expire_all()
    assert db.session.get(Task, task.id).title == "ISO 9001 – duy trì"
    assert db.session.get(Task, task.id).version == 2


@pytest.mark.parametrize("changes,message", [
    ({"deadline": "15/01/2026"}, "Thời hạn phải trong thời gian của kế hoạch"),
    ({"code": "1.a"}, "Mã nhiệm vụ 1.a đã có trong kế hoạch."),
    ({"deadline": "30/02/2025"}, "Ngày không hợp lệ"),
    ({"title": ""}, "Vui lòng nhập tên nhiệm vụ."),
])
def test_task_form_rules(auth, client, changes, message):
    auth.login("admin")
    task = db.session.scalar(select(Task).where(Task.code == "7.d"))
    response = client.post(f"/admin/tasks/{task.id}", data=_task_form(task, **changes))
    assert response.status_code == 422 and message in response.text


def test_lead_unit_cannot_also_cooperate(auth, client):
    auth.login("admin")
    task = db.session.scalar(select(Task).where(Task.code == "7.d"))
    response = client.post(f"/admin/tasks/{task.id}",
                           data=_task_form(task, cooperating_units=[task.lead_unit_id]))
    assert response.status_code == 422 and "không đồng thời là đơn vị phối hợp" in response.text


def test_admin_form_answers_422_to_htmx_too(auth, client):
    auth.login("admin")
    response = client.post("/admin/units/new", data={"code": "", "name": ""},
                           headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert response.status_code == 422 and "Vui lòng nhập mã đơn vị." in response.text


def test_missing_object_is_404(auth, client):
    auth.login("admin")
    assert client.get("/admin/units/9999").status_code == 404


def test_opening_a_period_says_what_it_created_then_that_nothing_was_missing(auth, client, seeded):
    from workflow.seed.scoring import load_default_scheme
    load_default_scheme(seeded)
    period = next(p for p in seeded.periods if p.name == "Quý III/2025")
    auth.login("admin")
    first = client.post(f"/admin/periods/{period.id}/open", follow_redirects=True).text
    assert ("Đã mở kỳ Quý III/2025: tạo 36 kết quả nhiệm vụ; 5 báo cáo đơn vị; "
            "5 tự đánh giá, chấm điểm CCHC ở trạng thái dự thảo.") in first
    again = client.post(f"/admin/periods/{period.id}/open", follow_redirects=True).text
    assert "Kỳ Quý III/2025 đã đủ hồ sơ; không tạo thêm hồ sơ nào." in again
