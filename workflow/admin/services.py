"""Catalogue administration: units, users, periods, tasks, the holiday calendar. Each call checks the actor is an admin.

Two admins at once: a unique value (a unit's code, a username, a period's name, a task's code) is checked
before saving for a clear message, but only the database's unique constraint can decide between two
saves made at the same moment; the one it refuses gets the same message beside the field (422), not a
500 (`_commit`). A task is edited under the version its form showed (versioning.bump): of several admins
saving the same task from the same version, one saves and the others get 409 and the saved version.
"""
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .. import versioning
from ..access import require_admin
from ..extensions import db
from ..models import Area, Holiday, ReportingPeriod, Task, Unit, User
from ..validation import FieldError


def _taken(stmt, current):
    other = db.session.scalar(stmt.limit(1))
    return other is not None and other is not current


def _ensure_unique(stmt, current, field, message):
    if _taken(stmt, current):
        raise FieldError(field, message)


def _commit(stmt, current, field, message):
    """Commit; when the database refuses it because the unique value `stmt` looks for was taken meanwhile
    (by another object than `current`, None for a new one), roll back and raise the FieldError the check
    before saving gives. Any other refusal goes on as it is."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        if _taken(stmt, current):
            raise FieldError(field, message) from None
        raise


def save_unit(actor, unit, data):
    require_admin(actor)
    code = data["code"].strip().upper()
    same_code = (select(Unit).where(func.upper(Unit.code) == code), unit, "code", "Mã đơn vị đã tồn tại.")
    _ensure_unique(*same_code)
    unit = unit or Unit(ward=actor.unit.ward)  # a new unit joins the administrator's ward
    unit.code, unit.name, unit.active = code, data["name"].strip(), bool(data["active"])
    unit.receives_dossiers = bool(data.get("receives_dossiers"))
    for name in ("abbreviation", "head_title", "head_name", "head_email"):
        setattr(unit, name, (data.get(name) or "").strip() or None)
    db.session.add(unit)
    _commit(*same_code)
    return unit


def save_user(actor, user, data):
    require_admin(actor)
    username = data["username"].strip().lower()
    same_name = (select(User).where(func.lower(User.username) == username), user, "username",
                 "Tên đăng nhập đã được dùng.")
    _ensure_unique(*same_name)
    if db.session.get(Unit, data["unit"]) is None:
        raise FieldError("unit", "Đơn vị không tồn tại.")
    if user is None and not data.get("password"):
        raise FieldError("password", "Vui lòng đặt mật khẩu cho tài khoản mới.")
    if user is not None and user.id == actor.id:
        if "admin" not in data["roles"]:
            raise FieldError("roles", "Bạn không thể tự bỏ quyền quản trị của mình.")
        if not data["active"]:
            raise FieldError("active", "Bạn không thể tự khóa tài khoản của mình.")
    user = user or User()
    user.username, user.full_name = username, data["full_name"].strip()
    user.email = (data.get("email") or "").strip() or None
    user.title = (data.get("title") or "").strip() or None
    user.unit_id, user.roles, user.active = data["unit"], data["roles"], bool(data["active"])
    if data.get("password"):
        user.set_password(data["password"])
        # A password an admin chose for someone else: their next sign-in goes to "Đổi mật khẩu" first.
        user.must_change_password = user.id != actor.id
    db.session.add(user)
    _commit(*same_name)
    return user


def save_period(actor, plan, period, data):
    require_admin(actor)
    if data["end_date"] < data["start_date"]:
        raise FieldError("end_date", "Ngày kết thúc phải sau ngày bắt đầu.")
    if data["due_date"] < data["start_date"]:
        raise FieldError("due_date", "Hạn gửi báo cáo không thể trước ngày bắt đầu kỳ.")
    name = data["name"].strip()
    same_name = (select(ReportingPeriod).where(ReportingPeriod.plan_id == plan.id, ReportingPeriod.name == name),
                 period, "name", "Kỳ báo cáo này đã có.")
    _ensure_unique(*same_name)
    period = period or ReportingPeriod(plan_id=plan.id)
    period.name, period.kind = name, data["kind"]
    period.start_date, period.end_date, period.due_date = data["start_date"], data["end_date"], data["due_date"]
    db.session.add(period)
    _commit(*same_name)
    return period


def save_holiday(actor, holiday, data):
    """A day of the calendar (workdays.py): a day off, or with `working_day` a weekend day worked."""
    require_admin(actor)
    day = data["day"]
    if data.get("working_day") and day.weekday() < 5:
        raise FieldError("working_day", "Ngày làm việc bù phải là thứ Bảy hoặc Chủ nhật.")
    same_day = (select(Holiday).where(Holiday.day == day), holiday, "day", f"Ngày {day:%d/%m/%Y} đã có trong lịch.")
    _ensure_unique(*same_day)
    holiday = holiday or Holiday()
    holiday.day, holiday.name, holiday.working_day = day, data["name"].strip(), bool(data.get("working_day"))
    db.session.add(holiday)
    _commit(*same_day)
    return holiday


def delete_holiday(actor, holiday):
    require_admin(actor)
    db.session.delete(holiday)
    db.session.commit()


def save_task(actor, plan, task, data):
    """A new task, or an edit made under data["version"] (the version the form showed): the version is
    moved on first (versioning.bump; 409 when someone saved meanwhile), then the fields are checked and
    written in the same transaction (422 undoes the bump)."""
    require_admin(actor)
    current = task
    if current is not None:
        versioning.bump(current, data.get("version"))
    try:
        validate_task_fields(plan, data, current=current)
    except FieldError:
        db.session.rollback()
        raise
    task = current or Task(plan_id=plan.id)
    apply_task_fields(task, data)
    db.session.add(task)
    code = data["code"].strip()
    _commit(select(Task).where(Task.plan_id == plan.id, Task.code == code), current, "code",
            f"Mã nhiệm vụ {code} đã có trong kế hoạch.")
    return task


def validate_task_fields(plan, data, current=None):
    """Rules a task must meet whether typed in a form or read from an import sheet."""
    code = data["code"].strip()
    _ensure_unique(select(Task).where(Task.plan_id == plan.id, Task.code == code), current, "code",
                   f"Mã nhiệm vụ {code} đã có trong kế hoạch.")
    area = db.session.get(Area, data["area"])
    if area is None or area.plan_id != plan.id:
        raise FieldError("area", "Lĩnh vực không thuộc kế hoạch.")
    if not plan.start_date <= data["deadline"] <= plan.end_date:
        raise FieldError("deadline", f"Thời hạn phải trong thời gian của kế hoạch "
                                     f"({plan.start_date:%d/%m/%Y} – {plan.end_date:%d/%m/%Y}).")
    if data["lead_unit"] in (data.get("cooperating_units") or []):
        raise FieldError("cooperating_units", "Đơn vị chủ trì không đồng thời là đơn vị phối hợp.")


def apply_task_fields(task, data):
    task.area_id, task.code = data["area"], data["code"].strip()
    task.title, task.content = data["title"].strip(), data["content"].strip()
    task.lead_unit_id, task.deadline = data["lead_unit"], data["deadline"]
    task.output = (data.get("output") or "").strip()
    task.position = data.get("position") or 0
    ids = data.get("cooperating_units") or []
    task.cooperating_units = db.session.scalars(select(Unit).where(Unit.id.in_(ids))).all() if ids else []
