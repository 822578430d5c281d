"""Import of the task catalogue from .xlsx (routes only; the rules live in task_import.py)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..access import require_admin
from ..downloads import XLSX, attachment
from ..plan.queries import current_plan
from . import task_import, task_template
from .forms import ImportForm
from .routes import bp


def _plan_or_404():
    plan = current_plan()
    if plan is None:
        abort(404)
    return plan


@bp.route("/tasks/import", methods=["GET", "POST"])
@login_required
def import_tasks():
    require_admin(current_user)
    plan, form, result = _plan_or_404(), ImportForm(), None
    status = 422 if request.method == "POST" else 200
    if form.validate_on_submit():
        try:
            result = task_import.import_tasks(current_user, plan, form.file.data.stream)
        except task_import.WorkbookError as err:  # 409 when someone changed the catalogue meanwhile
            form.file.errors, status = [*form.file.errors, err.message], err.status
        else:
            if result.ok:
                flash(f"Đã nhập {result.total} nhiệm vụ ({result.created} mới, {result.updated} cập nhật).",
                      "success")
                return redirect(url_for("plan.tasks"), 303)
    return render_template("admin/import.html", form=form, plan=plan, result=result), status


@bp.get("/tasks/import/template.xlsx", endpoint="import_template")
@login_required
def import_template():
    require_admin(current_user)
    data = task_template.template_workbook(_plan_or_404())
    return attachment(data, XLSX, "mau-danh-muc-nhiem-vu.xlsx")
