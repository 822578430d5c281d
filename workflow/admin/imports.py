"""Import of the task catalogue from .xlsx (routes only; the rules live in task_import.py)."""
from flask import render_template
from flask_login import current_user, login_required

from ..access import require_admin
from . import bp


@bp.route("/tasks/import", methods=["GET", "POST"])
@login_required
def import_tasks():
    require_admin(current_user)
    return render_template("admin/import.html")
