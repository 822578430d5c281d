"""The "Việc phối hợp" page: what the signed-in person's unit cooperates on, with a link to each task
result's page, where the note is written. Its views join the items blueprint (as evidence_routes.py's)."""
from flask import render_template
from flask_login import current_user, login_required

from .cooperation import for_unit
from .routes import bp


@bp.get("/cooperation")
@login_required
def cooperation():
    return render_template("items/cooperation.html", groups=for_unit(current_user))
