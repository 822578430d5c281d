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
from . import fills
from .forms import ContributionForm, TaskResultForm
from .states import DRAFT, SUBMITTED, UNIT_FLOW, edit_draft

FIELDS = ("work_status", "progress", "done_text", "completed_on", "output_text", "blocked_reason")
OPEN_FOR_NOTES = (DRAFT, SUBMITTED)  # once reviewed, the notes are settled with the result


def create_missing(period):
    """A draft result for every task of the plan that has none in this period (an annual period's start
    from the latest quarter's). The caller commits."""
    have = set(db.session.scalars(select(TaskResult.task_id).where(TaskResult.period_id == period.id)))
    tasks = db.session.scalars(select(Task).where(Task.plan_id == period.plan_id, Task.id.not_in(have))).all()
    results = [TaskResult(task=task, period=period, unit_id=task.lead_unit_id) for task in tasks]
    db.session.add_all(results)
    fills.start_from_latest_quarter(period, results)
    return len(results)


def problems(result):
    """What keeps the result from being sent: the rules of a complete report, each beside its field.
    A draft saves with them (shown as warnings); sending refuses them."""
    found = []
    if not result.done_text.strip() and result.work_status != "cannot_do":  # there, the reason is the result
        found.append(("done_text", "Vui lòng nêu kết quả thực hiện trong kỳ."))
    if result.work_status == "done":
        found += _done_problems(result)
    elif result.completed_on is not None:
        found.append(("completed_on", "Chỉ ghi ngày hoàn thành khi nhiệm vụ đã hoàn thành."))
    if result.work_status == "cannot_do" and not result.blocked_reason.strip():
        found.append(("blocked_reason", "Vui lòng nêu lý do không thực hiện được."))
    return found


def _done_problems(result):
    found = []
    if result.progress != 100:
        found.append(("progress", "Nhiệm vụ hoàn thành thì tiến độ là 100%."))
    # Up to today, not only to the period's end: a unit reporting after the period may truthfully
    # have finished since; the ranking measures that against the task's deadline.
    start, last = result.task.plan.start_date, utcnow().date()
    if result.completed_on is None:
        found.append(("completed_on", "Nhiệm vụ hoàn thành cần có ngày hoàn thành."))
    elif not start <= result.completed_on <= last:
        found.append(("completed_on", f"Ngày hoàn thành phải từ {start:%d/%m/%Y} (ngày bắt đầu kế hoạch) "
                                      "đến hôm nay."))
    if not result.output_text.strip():
        found.append(("output_text", "Vui lòng nêu sản phẩm đã có của nhiệm vụ hoàn thành."))
    return found


def check(result, action):
    return problems(result) if action == "submit" else []


def save(user, result, data, version, then=None):
    """The draft's fields, complete or not; with `then` ("submit") sent in the same step
    (states.edit_draft), which refuses an incomplete result."""
    require_editable(user, result)

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
    sees=cooperates, on_open=create_missing, check=check,
    fills=(kinds.Fill("previous", "Sao chép từ kỳ trước", "Lấy kết quả của nhiệm vụ này ở kỳ trước vào các ô "
                      "còn trống; nội dung đã nhập được giữ nguyên.", fills.result_from_previous),)))
