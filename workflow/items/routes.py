"""Pages of the workflow: the unit's work, the review and accept queues, the item page and its actions."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import Conflict, Forbidden

from ..access import require_role
from ..models import Role, TaskResult
from ..models.org import utcnow
from ..templating import wants_fragment
from ..validation import FieldError, StaleVersion, attach
from . import bp, page, queries, services, states
from .forms import ActionForm, ContributionForm

QUEUES = {"review": (Role.REVIEWER, "Chờ thẩm định"), "accept": (Role.ACCEPTOR, "Chờ tiếp nhận")}


@bp.get("/work")
@login_required
def work():
    require_role(current_user, Role.MEMBER)
    groups = queries.unit_work(current_user.unit_id)
    return render_template("items/work.html", groups=groups, now=utcnow())


@bp.get("/queue/<stage>")
@login_required
def queue(stage):
    role, title = _queue_or_404(stage)
    require_role(current_user, role)
    filters = page.queue_filters(request.args)
    return render_template("items/queue.html", stage=stage, title=title, filters=filters,
                           items=queries.queue(role, filters), choices=queries.filter_choices(), outcomes=None)


@bp.post("/queue/<stage>/bulk")
@login_required
def bulk(stage):
    role, title = _queue_or_404(stage)
    require_role(current_user, role)
    outcomes = page.bulk_perform(current_user, role, request.form.getlist("item"), request.form)
    filters = page.queue_filters(request.form)
    return render_template("items/queue.html", stage=stage, title=title, filters=filters,
                           items=queries.queue(role, filters), choices=queries.filter_choices(),
                           outcomes=outcomes)


@bp.get("/items/<kind>/<int:item_id>")
@login_required
def item(kind, item_id):
    item = services.load_item(current_user, kind, item_id)
    states.mark_opened(current_user, item)
    return render_template("items/item.html", **page.item_context(current_user, item))


@bp.post("/items/<kind>/<int:item_id>")
@login_required
def save(kind, item_id):
    item = services.load_item(current_user, kind, item_id)
    services.require_editable(current_user, item)
    form = page.edit_form(item)
    status, conflict = 422, None
    if not page.form_fits(item, form):
        conflict, form = "Biểu mẫu không khớp với hồ sơ (có thể đã cũ); vui lòng nhập lại.", None
    elif form.validate_on_submit():
        try:
            page.save_form(current_user, item, form)
        except FieldError as err:
            attach(form, err)
        except StaleVersion as err:
            status, conflict, form = 409, err.description, None
        else:
            page.flash_saved(current_user, item, submit=request.form.get("then") == "submit",
                             saved_version=int(form.version.data) + 1)
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
            flash(f"{states.ACTION_LABELS[action]}: đã thực hiện.", "success")
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
            services.save_contribution(current_user, result, form.note.data)
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


def _queue_or_404(stage):
    if stage not in QUEUES:
        abort(404)
    return QUEUES[stage]
