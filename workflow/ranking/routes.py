"""Ranking pages: the table, one unit's explanation, the scheme editor. Thin: services do the work."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..models import CRITERION_KINDS
from ..plan.queries import current_plan
from ..templating import render_page
from ..validation import FieldError, StaleVersion, parse_id
from . import schemes, services
from .forms import SchemeForm

bp = Blueprint("ranking", __name__)


def _plan():
    return current_plan() or abort(404)


@bp.get("/ranking")
@login_required
def index():
    context = services.ranking(current_user, _plan(), request.args.get("period"), request.args.get("scheme"))
    return render_page("ranking/index.html", "ranking/_table.html", **context)


@bp.get("/ranking/<int:unit_id>")
@login_required
def unit(unit_id):
    context = services.unit_explanation(current_user, _plan(), unit_id, request.args.get("period"),
                                        request.args.get("scheme"))
    return render_template("ranking/unit.html", **context)


@bp.route("/ranking/scheme", methods=["GET", "POST"])
@login_required
def scheme():
    plan = _plan()
    base, versions = services.editor(current_user, plan)
    if request.method == "GET":
        return _editor(SchemeForm.for_scheme(base), base, versions)
    form = SchemeForm().bind(base)
    if form.validate_on_submit():
        try:
            saved = schemes.save_version(current_user, plan, parse_id(form.base_version.data), form.data_for_save())
        except FieldError as err:
            form.attach(err.field, err.message)
        except StaleVersion as err:  # someone saved first: show their version, keep nothing of ours silently
            base, versions = services.editor(current_user, plan)
            return _editor(SchemeForm.for_scheme(base), base, versions, conflict=err.description, status=409)
        else:
            flash(f"Đã lưu bộ tiêu chí phiên bản {saved.version}; bảng xếp hạng tính theo phiên bản này.", "success")
            return redirect(url_for("ranking.scheme"), 303)
    return _editor(form, base, versions, invalid=True, status=422)


def _editor(form, base, versions, status=200, **extra):
    return render_template("ranking/scheme.html", form=form, base=base, versions=versions,
                           kinds=CRITERION_KINDS, **extra), status
