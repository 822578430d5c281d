"""Task results, one per task and period: the lead unit's progress; cooperating units add notes.
Registers the kind "task-result"."""
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.exceptions import Conflict, Forbidden

from .. import kinds
from ..access import may_contribute, require_editable
from ..extensions import db
from ..models import Task, TaskContribution, TaskResult
from ..models.org import utcnow
from ..validation import FieldError
from .forms import ContributionForm, TaskResultForm
from .states import DRAFT, SUBMITTED, UNIT_FLOW, edit_draft

FIELDS = ("work_status", "progress", "done_text", "completed_on", "output_text", "blocked_reason")
OPEN_FOR_NOTES = (DRAFT, SUBMITTED)  # once reviewed, the notes are settled with the result


def create_missing(period):
    """A draft result for every task of the plan that has none in this period. The caller commits."""
    have = set(db.session.scalars(select(TaskResult.task_id).where(TaskResult.period_id == period.id)))
    tasks = db.session.scalars(select(Task).where(Task.plan_id == period.plan_id, Task.id.not_in(have))).all()
    for task in tasks:
        db.session.add(TaskResult(task=task, period=period, unit_id=task.lead_unit_id))
    return len(tasks)


def check(result, data):
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


def save(user, result, data, version, then=None):
    """The draft's fields; with `then` ("submit") sent in the same step (states.edit_draft)."""
    require_editable(user, result)
    check(result, data)

    def write():
        for name in FIELDS:
            setattr(result, name, data[name])
    return edit_draft(user, result, version, write, then)


def edit_form(result, fresh=False):
    return TaskResultForm(obj=result, **({"formdata": None} if fresh else {}))


def save_form(user, result, form, then=None):
    data = {name: form[name].data for name in FIELDS}
    data.update({k: (v or "").strip() for k, v in data.items() if isinstance(v, str)})
    return save(user, result, data, form.version.data, then)


def may_note(user, result):
    return may_contribute(user, result) and result.state in OPEN_FOR_NOTES


def save_contribution(user, result, note):
    """A cooperating unit's note on a task result, until the result is reviewed (then it is settled)."""
    if not may_contribute(user, result):
        raise Forbidden("Chỉ đơn vị phối hợp được ghi ý kiến phối hợp.")
    if result.state not in OPEN_FOR_NOTES:
        raise Conflict("Kết quả nhiệm vụ đã được thẩm định; không thể sửa ý kiến phối hợp.")
    note = note.strip()
    if not note:
        raise FieldError("note", "Vui lòng nhập nội dung phối hợp.")
    values = {"note": note, "author_id": user.id, "updated_at": utcnow()}
    mine = (TaskContribution.result_id == result.id, TaskContribution.unit_id == user.unit_id)
    done = db.session.execute(update(TaskContribution).where(*mine).values(**values))
    if done.rowcount == 0:
        try:  # the unit's first note; a colleague's simultaneous first note wins the insert
            db.session.add(TaskContribution(result_id=result.id, unit_id=user.unit_id, **values))
            db.session.commit()
            return
        except IntegrityError:
            db.session.rollback()
            db.session.execute(update(TaskContribution).where(*mine).values(**values))
    db.session.commit()


def context(user, result, contribution_form=None, **_forms):
    form = contribution_form or (ContributionForm(formdata=None) if may_note(user, result) else None)
    return {"contribution_form": form}


def cooperates(user, result):
    """Cooperating units see the result they add notes to."""
    return user.unit in result.task.cooperating_units


def page_options():
    return [joinedload(TaskResult.task), selectinload(TaskResult.contributions).options(
        joinedload(TaskContribution.unit), joinedload(TaskContribution.author))]


def list_options():
    return [joinedload(TaskResult.task).joinedload(Task.area)]


KIND = kinds.register(kinds.Kind(
    key=TaskResult.KIND, model=TaskResult, label="Kết quả nhiệm vụ", transitions=UNIT_FLOW,
    form=edit_form, save=save_form, context=context,
    templates=("items/_task_result_form.html", "items/_task_result_view.html"),
    sections=("items/_contributions.html",), page_options=page_options, list_options=list_options,
    sees=cooperates, on_open=create_missing))
