"""Ranking pages: the table, one unit's explanation, the scheme editor. Thin: services do the work."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import Conflict

from ..models import CRITERION_KINDS
from ..plan.queries import current_plan
from ..templating import render_page
from ..validation import FieldError, StaleVersion, parse_id
from . import governance, schemes, services
from .forms import ProposeForm, SchemeForm

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
            flash(f"Đã lưu bộ tiêu chí phiên bản {saved.version}: áp dụng cho các kỳ mở sau; kỳ đang chạy giữ phiên bản "
                  "của kỳ cho đến khi Chủ tịch phê duyệt đề nghị áp dụng.", "success")
            return redirect(url_for("ranking.scheme"), 303)
    return _editor(form, base, versions, invalid=True, status=422)


@bp.post("/ranking/scheme/propose/<int:period_id>")
@login_required
def propose(period_id):
    """VHXH proposes the active version for a running period; the chairman approves it on its item page."""
    governance.require_proposer(current_user)  # before reading the form: 403 whatever was posted
    plan = _plan()
    period = services.scope_of(plan, str(period_id)) or abort(404)
    form, status, conflict = ProposeForm(), 422, None
    if form.validate_on_submit():
        try:
            item = governance.propose(current_user, period, form.reason.data)
        except FieldError as err:
            form.reason.errors.append(err.message)
        except Conflict as err:
            status, conflict = 409, err.description
        else:
            flash("Đã gửi đề nghị áp dụng cho kỳ đang chạy; chờ Chủ tịch phê duyệt.", "success")
            return redirect(url_for("items.item", kind=item.KIND, item_id=item.id), 303)
    base, versions = services.editor(current_user, plan)
    return _editor(SchemeForm.for_scheme(base), base, versions, status, conflict=conflict,
                   propose_forms={period.id: form})


def _editor(form, base, versions, status=200, propose_forms=None, **extra):
    plan = _plan()
    return render_template("ranking/scheme.html", form=form, base=base, versions=versions,
                           kinds=CRITERION_KINDS, propose_forms=propose_forms or {}, new_propose=ProposeForm,
                           **services.running_behind(current_user, plan), **extra), status
