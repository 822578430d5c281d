"""Pages of the workflow: the unit's work, the review and accept queues, the item page and its actions."""
from flask import Blueprint, flash, has_request_context, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import Conflict, Forbidden

from ..access import queue_role, require_editable, require_queue, require_worker
from ..models import TaskResult
from ..models.org import utcnow
from ..templating import wants_fragment
from ..validation import FieldError, Incomplete, StaleVersion, attach, parse_id
from . import page, queries, services, states, task_result
from .forms import ActionForm, ContributionForm

bp = Blueprint("items", __name__)
QUEUE_TITLES = {"review": "Chờ thẩm định", "accept": "Chờ tiếp nhận, thẩm tra", "sign": "Chờ ký ban hành"}
BULK_LABELS = {"review": "Thẩm định đạt", "accept": "Tiếp nhận / thẩm tra đạt", "sign": "Ký ban hành"}
SAVED_NOT_SENT = "Đã lưu dự thảo nhưng chưa gửi: hồ sơ còn thiếu các ô được đánh dấu bên dưới."


@bp.app_context_processor
def unread_notifications():
    """The badge of the top bar: one query per page, here rather than in the template."""
    if not has_request_context() or not current_user.is_authenticated:  # PDFs render outside requests too
        return {}
    return {"unread_count": queries.unread_count(current_user.id)}


@bp.get("/work")
@login_required
def work():
    require_worker(current_user)
    groups = queries.unit_work(current_user.unit_id)
    return render_template("items/work.html", groups=groups, now=utcnow())


@bp.get("/queue/<stage>")
@login_required
def queue(stage):
    require_queue(current_user, stage)
    return _queue_page(stage, request.args)


@bp.post("/queue/<stage>/bulk")
@login_required
def bulk(stage):
    require_queue(current_user, stage)
    role, form = queue_role(stage), request.form
    if form.get("all") == "1":  # everything the filters match, not only the ticked rows of one page
        outcomes = page.bulk_perform_all(current_user, role, page.queue_filters(form))
    else:
        outcomes = page.bulk_perform(current_user, role, form.getlist("item"), form)
    return _queue_page(stage, form, outcomes)


def _queue_page(stage, args, outcomes=None):
    role, filters = queue_role(stage), page.queue_filters(args)
    number = parse_id(args.get("page")) or 1
    return render_template("items/queue.html", stage=stage, title=QUEUE_TITLES[stage], bulk_label=BULK_LABELS[stage],
                           filters=filters, sorts=queries.SORTS, page=queries.queue(role, filters, number),
                           choices=queries.filter_choices(), kind_choices=queries.queue_kinds(role),
                           outcomes=outcomes, now=utcnow())


@bp.get("/items/<kind>/<int:item_id>")
@login_required
def item(kind, item_id):
    item = services.load_item(current_user, kind, item_id)
    return render_template("items/item.html", **page.item_context(current_user, item))


@bp.post("/items/<kind>/<int:item_id>")
@login_required
def save(kind, item_id):
    item = services.load_item(current_user, kind, item_id)
    require_editable(current_user, item)
    form = page.edit_form(item)
    status, conflict = 422, None
    if not page.form_fits(item, form):
        conflict, form = "Biểu mẫu không khớp với hồ sơ (có thể đã cũ); vui lòng nhập lại.", None
    elif form.validate_on_submit():
        then = "submit" if request.form.get("then") == "submit" else None  # "Gửi": what is on the screen
        try:
            page.save_form(current_user, item, form, then)
        except Incomplete as err:  # not ready to send: kept as a draft, the gaps marked beside the fields
            form, saved = page.keep_draft(current_user, item, form, err)
            conflict = SAVED_NOT_SENT if saved else None
        except FieldError as err:
            attach(form, err)
        except StaleVersion as err:
            status, conflict, form = 409, err.description, None
        except (Forbidden, Conflict) as err:  # the send was refused: nothing saved, what was typed stays
            status, conflict = err.code, err.description
        else:
            flash("Đã lưu và gửi." if then else "Đã lưu dự thảo.", "success")
            return redirect(url_for("items.item", kind=kind, item_id=item_id), 303)
    context = page.item_context(current_user, item, form=form)
    return render_template("items/item.html", conflict=conflict, **context), status


@bp.post("/items/<kind>/<int:item_id>/do/<action>")
@login_required
def act(kind, item_id, action):
    item = services.load_item(current_user, kind, item_id)
    form = ActionForm()
    status, message = 200, None
    try:
        if not form.validate_on_submit():
            raise FieldError("reason", "; ".join(e for errs in form.errors.values() for e in errs))
        page.perform_action(current_user, item, action, form)
    except FieldError as err:
        status, message = 422, err.message
    except (Forbidden, Conflict) as err:
        status, message = err.code, err.description
        services.refresh(item)
    if not wants_fragment():
        if message is None:
            flash(f"{states.labels(item)[action]}: đã thực hiện.", "success")
            return redirect(url_for("items.item", kind=kind, item_id=item_id), 303)
        return render_template("items/item.html", message=message, **page.item_context(current_user, item)), status
    context = page.item_context(current_user, item)
    return render_template("items/_after_action.html", message=message, **context), status


@bp.post("/items/task-result/<int:item_id>/contribution")
@login_required
def contribute(item_id):
    result = services.load_item(current_user, TaskResult.KIND, item_id)
    form = ContributionForm()
    if form.validate_on_submit():
        try:
            task_result.save_contribution(current_user, result, form.note.data)
        except FieldError as err:
            attach(form, err)
        else:
            flash("Đã ghi ý kiến phối hợp.", "success")
            return redirect(url_for("items.item", kind=TaskResult.KIND, item_id=item_id), 303)
    context = page.item_context(current_user, result, contribution_form=form)
    return render_template("items/item.html", **context), 422


@bp.get("/notifications")
@login_required
def notifications():
    return render_template("items/notifications.html", notes=queries.notifications(current_user.id))


@bp.post("/notifications/read")
@login_required
def read_notifications():
    services.mark_all_read(current_user)
    return redirect(url_for("items.notifications"), 303)
