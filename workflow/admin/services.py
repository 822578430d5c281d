"""Catalogue administration: units, users, periods, tasks. Each call checks the actor is an admin."""
from sqlalchemy import func, select

from ..access import require_admin
from ..extensions import db
from ..models import Area, ReportingPeriod, Task, Unit, User
from ..validation import FieldError, check_version


def _ensure_unique(stmt, current, field, message):
    other = db.session.scalar(stmt.limit(1))
    if other is not None and other is not current:
        raise FieldError(field, message)


def save_unit(actor, unit, data):
    require_admin(actor)
    code = data["code"].strip().upper()
    _ensure_unique(select(Unit).where(func.upper(Unit.code) == code), unit, "code", "Mã đơn vị đã tồn tại.")
    unit = unit or Unit(ward=actor.unit.ward)  # a new unit joins the administrator's ward
    unit.code, unit.name, unit.active = code, data["name"].strip(), bool(data["active"])
    unit.receives_dossiers = bool(data.get("receives_dossiers"))
    db.session.add(unit)
    db.session.commit()
    return unit


def save_user(actor, user, data):
    require_admin(actor)
    username = data["username"].strip().lower()
    _ensure_unique(select(User).where(func.lower(User.username) == username), user, "username",
                   "Tên đăng nhập đã được dùng.")
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
    user.unit_id, user.roles, user.active = data["unit"], data["roles"], bool(data["active"])
    if data.get("password"):
        user.set_password(data["password"])
    db.session.add(user)
    db.session.commit()
    return user


def save_period(actor, plan, period, data):
    require_admin(actor)
    if data["end_date"] < data["start_date"]:
        raise FieldError("end_date", "Ngày kết thúc phải sau ngày bắt đầu.")
    if data["due_date"] < data["start_date"]:
        raise FieldError("due_date", "Hạn gửi báo cáo không thể trước ngày bắt đầu kỳ.")
    name = data["name"].strip()
    _ensure_unique(select(ReportingPeriod).where(ReportingPeriod.plan_id == plan.id, ReportingPeriod.name == name),
                   period, "name", "Kỳ báo cáo này đã có.")
    period = period or ReportingPeriod(plan_id=plan.id)
    period.name, period.kind = name, data["kind"]
    period.start_date, period.end_date, period.due_date = data["start_date"], data["end_date"], data["due_date"]
    db.session.add(period)
    db.session.commit()
    return period


def save_task(actor, plan, task, data):
    require_admin(actor)
    if task is not None:
        check_version(task, data.get("version"))
    validate_task_fields(plan, data, current=task)
    task = task or Task(plan_id=plan.id)
    apply_task_fields(task, data)
    if task.id is not None:
        task.version += 1
    db.session.add(task)
    db.session.commit()
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
