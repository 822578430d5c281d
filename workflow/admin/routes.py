"""The catalogue's pages (one list/new/edit trio per resource, crud.py) and opening a period."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..access import get_or_404, require_admin
from ..calendar.services import WEEKDAYS
from ..extensions import db
from ..forms import choices
from ..items import services as item_services
from ..models import ROLE_LABELS, Holiday, ReportingPeriod, Task, Unit, User
from ..plan.queries import current_plan
from . import crud, services
from .forms import HolidayForm, PeriodForm, TaskForm, UnitForm, UserForm


def _unit_choices(form_field, with_blank=True):
    units = db.session.scalars(select(Unit).order_by(Unit.code)).all()
    form_field.choices = choices(([(0, "— Chọn —")] if with_blank else []) + [(u.id, f"{u.code} – {u.name}") for u in units])


def _prepare_user(form, user):
    _unit_choices(form.unit)
    if user is not None:
        form.unit.data = user.unit_id
        form.roles.data = sorted(r.value for r in user.roles)


def _prepare_task(form, task):
    plan = current_plan()
    form.area.choices = choices([(0, "— Chọn —")] + [(a.id, a.label) for a in plan.areas])
    _unit_choices(form.lead_unit)
    _unit_choices(form.cooperating_units, with_blank=False)
    if task is not None:
        form.area.data, form.lead_unit.data = task.area_id, task.lead_unit_id
        form.cooperating_units.data = [u.id for u in task.cooperating_units]
        form.version.data = task.version


def _roles_text(user):
    return ", ".join(ROLE_LABELS[r] for r in sorted(user.roles, key=list(ROLE_LABELS).index))


bp = Blueprint("admin", __name__)

RESOURCES = [
    crud.Resource(
        "units", "Đơn vị", "đơn vị", Unit, UnitForm,
        [("Mã", lambda u: u.code), ("Tên đơn vị", lambda u: u.name),
         ("Trạng thái", lambda u: "Hoạt động" if u.active else "Ngừng")],
        lambda: db.session.scalars(select(Unit).order_by(Unit.code)).all(),
        services.save_unit),
    crud.Resource(
        "users", "Tài khoản", "tài khoản", User, UserForm,
        [("Tên đăng nhập", lambda u: u.username), ("Họ và tên", lambda u: u.full_name),
         ("Đơn vị", lambda u: u.unit.code), ("Vai trò", _roles_text),
         ("Trạng thái", lambda u: "Hoạt động" if u.active else "Đã khóa")],
        lambda: db.session.scalars(select(User).order_by(User.username)).all(),
        services.save_user, _prepare_user),
    crud.Resource(
        "periods", "Kỳ báo cáo", "kỳ báo cáo", ReportingPeriod, PeriodForm,
        [("Kỳ", lambda p: p.name), ("Loại", lambda p: p.kind_label),
         ("Từ ngày", lambda p: f"{p.start_date:%d/%m/%Y}"), ("Đến ngày", lambda p: f"{p.end_date:%d/%m/%Y}"),
         ("Hạn báo cáo", lambda p: f"{p.due_date:%d/%m/%Y}")],
        lambda: current_plan().periods,
        lambda actor, period, data: services.save_period(actor, current_plan(), period, data),
        row_actions="admin/_period_actions.html"),
    crud.Resource(
        "tasks", "Danh mục nhiệm vụ", "nhiệm vụ", Task, TaskForm,
        [("Mã", lambda t: t.code), ("Nhiệm vụ", lambda t: t.title), ("Chủ trì", lambda t: t.lead_unit.code),
         ("Thời hạn", lambda t: f"{t.deadline:%d/%m/%Y}")],
        lambda: db.session.scalars(select(Task).options(joinedload(Task.lead_unit), joinedload(Task.area))
                                   .order_by(Task.area_id, Task.position, Task.code)).all(),
        lambda actor, task, data: services.save_task(actor, current_plan(), task, data), _prepare_task),
    crud.Resource(
        "holidays", "Ngày nghỉ lễ", "ngày nghỉ lễ", Holiday, HolidayForm,
        [("Ngày", lambda h: f"{h.day:%d/%m/%Y}"), ("Thứ", lambda h: WEEKDAYS[h.day.weekday()]),
         ("Tên", lambda h: h.name), ("Loại", lambda h: h.kind_label)],
        lambda: db.session.scalars(select(Holiday).order_by(Holiday.day)).all(),
        services.save_holiday, row_actions="admin/_holiday_actions.html"),
]

for _res in RESOURCES:
    crud.register(bp, _res)


@bp.post("/periods/<int:period_id>/open")
@login_required
def open_period(period_id):
    period = get_or_404(ReportingPeriod, period_id)
    created = item_services.open_period(current_user, period)
    flash(item_services.describe_opened(period, created), "success")
    return redirect(url_for("admin.periods"), 303)


@bp.post("/holidays/<int:holiday_id>/delete")
@login_required
def delete_holiday(holiday_id):
    holiday = get_or_404(Holiday, holiday_id)
    day = holiday.day
    services.delete_holiday(current_user, holiday)
    flash(f"Đã xóa ngày {day:%d/%m/%Y} khỏi lịch nghỉ lễ.", "success")
    return redirect(url_for("admin.holidays"), 303)


@bp.get("/")
@login_required
def index():
    require_admin(current_user)
    return render_template("admin/index.html", resources=RESOURCES)
