"""One list/new/edit trio of routes per catalogue resource, so each resource is only its description."""
from dataclasses import dataclass
from typing import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..access import get_or_404, require_admin
from ..extensions import db
from ..validation import FieldError, StaleVersion, attach


@dataclass
class Resource:
    name: str                       # URL segment and endpoint prefix
    title: str                      # plural heading
    noun: str                       # "đơn vị", used in headings of the form
    model: type
    form: type
    columns: list                   # (heading, callable(obj)) pairs for the list
    listing: Callable[[], list]
    save: Callable                  # save(actor, obj_or_None, data) -> obj
    prepare: Callable = lambda form, obj: None   # fills choices; copies obj into fields when given
    row_actions: str | None = None               # template with extra buttons per row


def register(bp, res):
    def index():
        require_admin(current_user)
        return render_template("admin/list.html", res=res, rows=res.listing())

    def edit(obj_id=None):
        require_admin(current_user)
        obj = get_or_404(res.model, obj_id) if obj_id is not None else None
        form = res.form(obj=obj)
        res.prepare(form, obj if request.method == "GET" else None)
        if form.validate_on_submit():
            try:
                res.save(current_user, obj, form.data)
            except FieldError as err:
                attach(form, err)
            except StaleVersion as err:
                return _fresh_form(res, obj, err)
            else:
                flash(f"Đã lưu {res.noun}.", "success")
                return redirect(url_for(f"admin.{res.name}"), 303)
        status = 422 if request.method == "POST" else 200
        return render_template("admin/form.html", res=res, form=form, obj=obj), status

    login = login_required
    bp.add_url_rule(f"/{res.name}", res.name, login(index))
    bp.add_url_rule(f"/{res.name}/new", f"{res.name}_new", login(edit), methods=["GET", "POST"])
    bp.add_url_rule(f"/{res.name}/<int:obj_id>", f"{res.name}_edit", login(edit), methods=["GET", "POST"])


def _fresh_form(res, obj, err):
    """Someone saved first: show their version, keep nothing of ours silently, answer 409."""
    db.session.refresh(obj)
    form = res.form(formdata=None, obj=obj)
    res.prepare(form, obj)
    return render_template("admin/form.html", res=res, form=form, obj=obj, conflict=err.description), 409
