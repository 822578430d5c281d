"""The home page, the task catalogue (active search) and one task."""
from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user, login_required

from ..access import may_edit_catalogue
from ..dashboard import services as dashboard
from ..items import queries as item_queries, states
from ..reminders import clock as reminder_clock, manual
from ..templating import render_page
from . import queries
from .forms import TaskFilterForm

bp = Blueprint("plan", __name__)


@bp.get("/")
@login_required
def home():
    return home_page()


def home_page(message=None, status=200):
    """The home page; `message` is an action's refusal shown above the late list (reminders/routes.py)."""
    plan = queries.current_plan()
    counts = queries.task_counts_by_area(plan) if plan else {}
    return render_template("plan/home.html", plan=plan, counts=counts, todo=item_queries.todo(current_user),
                           dashboard=dashboard.dashboard(current_user, plan, request.args),
                           clock=reminder_clock.clock(current_user, states.today()),
                           may_remind_units=manual.may_remind_units(current_user), message=message), status


@bp.get("/tasks")
@login_required
def tasks():
    plan = queries.current_plan()
    if plan is None:
        abort(404)
    periods = queries.opened_periods(plan)
    form = TaskFilterForm(request.args)
    form.set_choices(plan.areas, queries.active_units(), periods)
    if "period" not in request.args and periods:  # the status column shows the first opened period unless asked
        form.period.data = periods[0].id
    if not form.validate():
        return render_page("plan/tasks.html", "plan/_task_rows.html", status=422,
                           plan=plan, form=form, page=None)
    filters = queries.TaskFilters(form.area.data or None, form.unit.data or None,
                                  form.before.data, form.q.data or "")
    page = queries.task_page(plan, filters, form.page.data or 1, current_app.config["TASKS_PER_PAGE"])
    period = next((p for p in periods if p.id == form.period.data), None)
    return render_page("plan/tasks.html", "plan/_task_rows.html", plan=plan, form=form, page=page, period=period,
                       states=queries.result_states(page.items, period.id if period else None))


@bp.get("/tasks/<int:task_id>")
@login_required
def task(task_id):
    task = queries.task_detail(task_id)
    if task is None:
        abort(404)
    return render_template("plan/task.html", task=task, can_edit=may_edit_catalogue(current_user))
