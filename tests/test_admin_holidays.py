"""The holiday calendar page (Quản trị → Ngày nghỉ lễ): seeded from the plan's data file, add, edit,
delete, field messages in Vietnamese with 422, admin-only in the service, CSRF on every form."""
import re
from datetime import date

import pytest
from sqlalchemy import select
from werkzeug.exceptions import Forbidden

from workflow.admin import services
from workflow.extensions import db
from workflow.models import Holiday, User


def holiday(day):
    return db.session.scalar(select(Holiday).where(Holiday.day == day))


def user_by(username):
    return db.session.scalar(select(User).where(User.username == username))


def test_the_plan_loader_seeds_the_2025_holidays(auth, client):
    auth.login("admin")
    page = client.get("/admin/holidays").text
    assert holiday(date(2025, 9, 2)).name == "Quốc khánh 2/9"
    assert holiday(date(2025, 4, 26)).working_day and not holiday(date(2025, 5, 2)).working_day
    assert "01/09/2025" in page and "Thứ Hai" in page and "Ngày làm việc bù" in page
    assert "Ngày nghỉ lễ" in client.get("/admin/").text


def test_admin_adds_edits_and_deletes_a_day(auth, client):
    auth.login("admin")
    added = client.post("/admin/holidays/new", data={"day": "24/12/2025", "name": "Nghỉ bù (thử)"})
    assert added.status_code == 303
    day = holiday(date(2025, 12, 24))
    assert day.name == "Nghỉ bù (thử)" and not day.working_day

    edited = client.post(f"/admin/holidays/{day.id}", data={"day": "27/12/2025", "name": "Làm bù", "working_day": "y"})
    assert edited.status_code == 303
    db.session.expire_all()
    assert holiday(date(2025, 12, 24)) is None and holiday(date(2025, 12, 27)).working_day

    deleted = client.post(f"/admin/holidays/{day.id}/delete")
    assert deleted.status_code == 303 and deleted.location.endswith("/admin/holidays")
    db.session.expire_all()
    assert holiday(date(2025, 12, 27)) is None
    assert "Đã xóa ngày 27/12/2025" in client.get("/admin/holidays").text


@pytest.mark.parametrize("form, field_message", [
    ({"day": "31/02/2025", "name": "Ngày sai"}, "Ngày không hợp lệ (dd/mm/yyyy)."),
    ({"day": "", "name": "Không có ngày"}, "Vui lòng nhập ngày."),
    ({"day": "02/09/2025", "name": "Trùng"}, "Ngày 02/09/2025 đã có trong lịch."),
    ({"day": "03/09/2025", "name": "Làm bù thứ Tư", "working_day": "y"}, "Ngày làm việc bù phải là thứ Bảy hoặc Chủ nhật."),
    ({"day": "03/09/2025", "name": " "}, "Vui lòng nhập tên ngày nghỉ."),
])
def test_bad_input_gets_a_vietnamese_message_beside_the_field(auth, client, form, field_message):
    auth.login("admin")
    count = len(db.session.scalars(select(Holiday)).all())
    response = client.post("/admin/holidays/new", data=form)
    assert response.status_code == 422
    assert field_message in response.text
    assert len(db.session.scalars(select(Holiday)).all()) == count


def test_non_admins_are_refused(auth, client):
    auth.login("reviewer")
    day = holiday(date(2025, 9, 2))
    assert client.get("/admin/holidays").status_code == 403
    assert client.post("/admin/holidays/new", data={"day": "24/12/2025", "name": "X"}).status_code == 403
    assert client.post(f"/admin/holidays/{day.id}/delete").status_code == 403
    assert holiday(date(2025, 9, 2)) is not None and holiday(date(2025, 12, 24)) is None


def test_the_service_layer_refuses_non_admins_without_any_view(seeded):
    with pytest.raises(Forbidden):
        services.save_holiday(user_by("chutich"), None, {"day": date(2025, 12, 24), "name": "X"})
    with pytest.raises(Forbidden):
        services.delete_holiday(user_by("thamdinh"), holiday(date(2025, 9, 2)))
    db.session.rollback()
    assert holiday(date(2025, 9, 2)) is not None


def test_the_forms_need_the_csrf_token(auth, client, app):
    auth.login("admin")
    app.config["WTF_CSRF_ENABLED"] = True  # the suite turns it off; these forms must carry it
    day = holiday(date(2025, 9, 2))
    assert client.post(f"/admin/holidays/{day.id}/delete").status_code == 400
    assert client.post("/admin/holidays/new", data={"day": "24/12/2025", "name": "X"}).status_code in (400, 422)
    assert holiday(date(2025, 12, 24)) is None and holiday(date(2025, 9, 2)) is not None
    listing = client.get("/admin/holidays").text
    token = re.search(rf'action="/admin/holidays/{day.id}/delete">\s*<input type="hidden" name="csrf_token" '
                      r'value="([^"]+)"', listing)[1]
    assert client.post(f"/admin/holidays/{day.id}/delete", data={"csrf_token": token}).status_code == 303
    assert holiday(date(2025, 9, 2)) is None
