"""Opening a period, who sees an item, and editing drafts. No request objects here."""
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.exceptions import Conflict, Forbidden, NotFound

from ..access import require_admin
from ..extensions import db
from ..models import (ITEM_MODELS, ConsolidatedReport, SelfAssessment, NARRATIVE, DossierRow, ItemHistory, Notification, ReportSection, Role,
                      TargetActual,
                      Task, TaskContribution, TaskResult, Unit, UnitReport)
from ..models.org import utcnow
from ..validation import FieldError
from .states import DRAFT, claim, is_owner, snapshot_of

OVERSEERS = (Role.REVIEWER, Role.ACCEPTOR, Role.CHAIRMAN, Role.ADMIN)
READ_ONLY = "Hồ sơ đã gửi nên chỉ đọc; chỉ thao tác trong quy trình mới thay đổi được."
# Fields commonly reported by a ward's one-stop shop; units rename or add rows as they need.
DEFAULT_DOSSIER_FIELDS = ["Hộ tịch", "Chứng thực", "Đất đai", "Xây dựng", "Lĩnh vực khác"]


def open_period(actor, period):
    """Create every unit × period report and task × period result as an empty draft, at once."""
    require_admin(actor)
    plan = period.plan
    have_reports = set(db.session.scalars(select(UnitReport.unit_id).where(UnitReport.period_id == period.id)))
    have_results = set(db.session.scalars(select(TaskResult.task_id).where(TaskResult.period_id == period.id)))
    tasks = db.session.scalars(select(Task).where(Task.plan_id == plan.id)
                               .options(selectinload(Task.cooperating_units))).all()
    units = db.session.scalars(select(Unit).where(Unit.active).order_by(Unit.id)).all()
    for unit in units:
        if unit.id not in have_reports:
            db.session.add(_empty_report(unit, period, plan, tasks))
    for task in tasks:
        if task.id not in have_results:
            db.session.add(TaskResult(task=task, period=period, unit_id=task.lead_unit_id))
    from ..ranking.assessments import create_missing  # the ranking package builds on this module
    create_missing(period)
    period.opened_at = period.opened_at or utcnow()
    db.session.commit()
    return len(units) - len(have_reports), len(tasks) - len(have_results)


def _empty_report(unit, period, plan, tasks):
    involved = {t.area_id for t in tasks if t.lead_unit_id == unit.id or unit in t.cooperating_units}
    report = UnitReport(unit=unit, period=period)
    report.sections = [ReportSection(area=a, position=a.number) for a in plan.areas if a.id in involved]
    report.target_actuals = [TargetActual(target=t) for t in plan.targets if unit in t.responsible_units]
    if unit.receives_dossiers:
        report.dossier_rows = [DossierRow(field_name=name, position=i)
                               for i, name in enumerate(DEFAULT_DOSSIER_FIELDS)]
    return report


def may_see(user, item):
    if user.has_role(*OVERSEERS) or user.unit_id == item.unit_id:
        return True
    return isinstance(item, TaskResult) and user.unit in item.task.cooperating_units


def _page_options(model):
    """What the item page shows, loaded up front (no query per section, target or note)."""
    if model is UnitReport:
        return [selectinload(UnitReport.sections).joinedload(ReportSection.area),
                selectinload(UnitReport.target_actuals).joinedload(TargetActual.target),
                selectinload(UnitReport.dossier_rows)]
    if model is TaskResult:
        return [joinedload(TaskResult.task), selectinload(TaskResult.contributions).options(
            joinedload(TaskContribution.unit), joinedload(TaskContribution.author))]
    if model is SelfAssessment:
        return [selectinload(SelfAssessment.lines), selectinload(SelfAssessment.initiatives)]
    if model is ConsolidatedReport:
        return [selectinload(ConsolidatedReport.sections)]
    return []


def load_item(user, kind, item_id):
    """The item if this user may see it; 404 otherwise, so other units' drafts do not even show they exist."""
    model = ITEM_MODELS.get(kind)
    item = db.session.get(model, item_id, options=_page_options(model)) if model else None
    if item is None or not may_see(user, item):
        raise NotFound()
    return item


def can_edit(user, item):
    return item.state == DRAFT and is_owner(user, item)


def require_editable(user, item):
    """403 for anyone but the owning unit; 409 once the item has left draft."""
    if not is_owner(user, item):
        raise Forbidden("Chỉ đơn vị chủ trì được sửa hồ sơ này.")
    if item.state != DRAFT:
        raise Conflict(READ_ONLY)


def save_task_result(user, result, data, version):
    require_editable(user, result)
    check_task_result(result, data)
    claim(result, version, DRAFT)
    for name in ("work_status", "progress", "done_text", "completed_on", "output_text", "blocked_reason"):
        setattr(result, name, data[name])
    db.session.commit()
    return result


def check_task_result(result, data):
    """Rules across fields; each names the field it concerns."""
    plan = result.task.plan
    status, completed = data["work_status"], data["completed_on"]
    if status == "done" and completed is None:
        raise FieldError("completed_on", "Nhiệm vụ hoàn thành cần có ngày hoàn thành.")
    if status == "done" and data["progress"] != 100:
        raise FieldError("progress", "Nhiệm vụ hoàn thành thì tiến độ là 100%.")
    if status != "done" and completed is not None:
        raise FieldError("completed_on", "Chỉ ghi ngày hoàn thành khi nhiệm vụ đã hoàn thành.")
    if completed is not None and not plan.start_date <= completed <= utcnow().date():
        raise FieldError("completed_on", f"Ngày hoàn thành phải từ {plan.start_date:%d/%m/%Y} đến hôm nay.")
    if status == "cannot_do" and not data["blocked_reason"].strip():
        raise FieldError("blocked_reason", "Vui lòng nêu lý do không thực hiện được.")


def save_unit_report(user, report, data, version):
    require_editable(user, report)
    claim(report, version, DRAFT)
    for name in NARRATIVE:
        setattr(report, name, data[name])
    if "satisfaction_rate" in data:
        report.satisfaction_rate = data["satisfaction_rate"]
    bodies = data.get("sections", {})
    for section in report.sections:
        section.body = bodies.get(section.id, section.body)
    actuals = data.get("actuals", {})
    for actual in report.target_actuals:
        actual.value, actual.note = actuals.get(actual.id, (actual.value, actual.note))
    if "dossier_rows" in data:
        report.dossier_rows = [DossierRow(position=i, **row) for i, row in enumerate(data["dossier_rows"])]
    db.session.commit()
    return report


def can_contribute(user, result):
    return user.unit in result.task.cooperating_units and user.has_role(Role.MEMBER)


def save_contribution(user, result, note):
    """A cooperating unit's note on a task result, until the result is reviewed (then it is settled)."""
    if not can_contribute(user, result):
        raise Forbidden("Chỉ đơn vị phối hợp được ghi ý kiến phối hợp.")
    if result.state not in (DRAFT, "submitted"):
        raise Conflict("Kết quả nhiệm vụ đã được thẩm định; không thể sửa ý kiến phối hợp.")
    note = note.strip()
    if not note:
        raise FieldError("note", "Vui lòng nhập nội dung phối hợp.")
    values = {"note": note, "author_id": user.id, "updated_at": utcnow()}
    done = db.session.execute(update(TaskContribution).where(TaskContribution.result_id == result.id,
                                                             TaskContribution.unit_id == user.unit_id)
                              .values(**values))
    if done.rowcount == 0:
        try:  # the unit's first note; a colleague's simultaneous first note wins the insert
            db.session.add(TaskContribution(result_id=result.id, unit_id=user.unit_id, **values))
            db.session.commit()
            return
        except IntegrityError:
            db.session.rollback()
            db.session.execute(update(TaskContribution).where(TaskContribution.result_id == result.id,
                                                              TaskContribution.unit_id == user.unit_id)
                               .values(**values))
    db.session.commit()


def history(item):
    return db.session.scalars(select(ItemHistory).where(ItemHistory.item_kind == item.KIND,
                                                        ItemHistory.item_id == item.id)
                              .options(selectinload(ItemHistory.actor)).order_by(ItemHistory.id)).all()


def timeline(item, rows, now=None):
    """History rows with how long the item stayed in the state each one left it in."""
    now = now or utcnow()
    stops = [row.at for row in rows[1:]] + [now]
    return [(row, stop - row.at) for row, stop in zip(rows, stops)]


def changes_since_return(item, rows):
    """Field by field, what the unit changed after the last return (shown to the reviewer)."""
    if item.state == DRAFT:
        return []
    returns = [r for r in rows if r.action in ("return", "reopen") and r.snapshot]
    if not returns:
        return []
    before, after = returns[-1].snapshot, snapshot_of(item)
    return [(label, before.get(label, ""), value) for label, value in after.items() if before.get(label, "") != value]


def refresh(item):
    """After a refused action: show the item as it is now, not as this request last saw it."""
    db.session.rollback()
    db.session.refresh(item)


def mark_all_read(user):
    db.session.execute(update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
                       .values(read_at=utcnow()))
    db.session.commit()
