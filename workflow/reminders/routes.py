"""The "Nhắc nhở" buttons (an item, a late unit), the reminder policy page and the draft công văn đôn đốc."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import Conflict

from ..access import get_or_404, require_role
from ..extensions import db
from ..items import page, services
from ..models import ReportingPeriod, Unit
from ..plan.routes import home_page
from ..downloads import PDF, attachment
from ..models.org import utcnow
from . import letter, manual, policy
from .forms import PolicyForm, RemindForm

bp = Blueprint("reminders", __name__)


@bp.post("/items/<kind>/<int:item_id>/remind")
@login_required
def remind(kind, item_id):
    item = services.load_item(current_user, kind, item_id)
    manual.require_reminder(current_user)  # who may, before what they wrote is read
    form = RemindForm()
    try:
        if not form.validate_on_submit():
            message = "; ".join(e for errors in form.errors.values() for e in errors)
            return render_template("items/item.html", message=message, remind_text=form.message.data,
                                   **page.item_context(current_user, item)), 422
        manual.remind(current_user, item, form.message.data or "")
    except Conflict as err:
        services.refresh(item)
        return render_template("items/item.html", message=err.description, **page.item_context(current_user, item)), 409
    flash(f"Đã nhắc nhở {item.unit.name}: thông báo trên hệ thống và thư điện tử đã được gửi.", "success")
    return redirect(url_for("items.item", kind=kind, item_id=item_id), 303)


@bp.post("/units/<int:unit_id>/periods/<int:period_id>/remind")
@login_required
def remind_unit(unit_id, period_id):
    manual.require_reminder(current_user)  # who may, before what they wrote is read
    unit, period = get_or_404(Unit, unit_id), get_or_404(ReportingPeriod, period_id)
    form = RemindForm()
    if not form.validate_on_submit():
        return home_page("; ".join(e for errors in form.errors.values() for e in errors), 422)
    try:
        count = manual.remind_unit(current_user, unit, period, form.message.data or "")
    except Conflict as err:
        db.session.rollback()
        return home_page(err.description, 409)
    flash(f"Đã nhắc nhở {unit.name} về {count} hồ sơ {period.name} quá hạn.", "success")
    return redirect(url_for("plan.home"), 303)


def _policy_page(form, status=200):
    return render_template("reminders/policy.html", form=form, versions=policy.versions(),
                           current=policy.current()), status


@bp.get("/nhac-han")
@login_required
def policy_page():
    require_role(current_user, *policy.EDITORS)
    form = PolicyForm(formdata=None)
    form.fill(policy.current())
    return _policy_page(form)


@bp.post("/nhac-han")
@login_required
def save_policy():
    require_role(current_user, *policy.EDITORS)
    form = PolicyForm()
    if not form.validate_on_submit():
        return _policy_page(form, 422)
    row = policy.save(current_user, form.rules(), form.note.data.strip())
    db.session.commit()
    flash(f"Đã lưu chính sách nhắc hạn phiên bản {row.version}; áp dụng từ lần nhắc tiếp theo.", "success")
    return redirect(url_for("reminders.policy_page"), 303)


@bp.get("/periods/<int:period_id>/cong-van-don-doc.pdf")
@login_required
def reminder_letter(period_id):
    period = get_or_404(ReportingPeriod, period_id)
    data, name = letter.render(current_user, period, utcnow())
    return attachment(data, PDF, name)
