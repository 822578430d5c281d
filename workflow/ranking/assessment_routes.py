"""The reviewer's appraisal of a self-assessment, and making a period's ranking sheet. Thin: services decide."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..access import require_appraiser
from ..items import page, services
from ..models import SelfAssessment
from ..validation import FieldError, StaleVersion, attach
from . import item_kinds, sheets
from .routes import _plan, bp
from .services import scope_of


@bp.post("/items/self-assessment/<int:item_id>/appraisal")
@login_required
def appraise(item_id):
    item = services.load_item(current_user, SelfAssessment.KIND, item_id)
    require_appraiser(current_user, item)
    form = item_kinds.make_appraisal_form(item)
    status, conflict = 422, None
    if not item_kinds.appraisal_fits(item, form):
        conflict, form = "Biểu mẫu không khớp với hồ sơ (có thể đã cũ); vui lòng nhập lại.", None
    elif form.validate_on_submit():
        try:
            item_kinds.save_appraisal(current_user, item, form)
        except FieldError as err:
            attach(form, err)
        except StaleVersion as err:
            status, conflict, form = 409, err.description, None
        else:
            _then_review(item, int(form.version.data) + 1)
            return redirect(url_for("items.item", kind=item.KIND, item_id=item.id), 303)
    context = page.item_context(current_user, item, appraisal_form=form)
    return render_template("items/item.html", conflict=conflict, **context), status


def _then_review(item, saved_version):
    """"Lưu và thẩm định đạt": the appraisal just saved (that version, no other) is marked reviewed."""
    if request.form.get("then") != "review":
        flash("Đã lưu điểm thẩm định.", "success")
        return
    page.then_perform(current_user, item, "review", saved_version,
                      done="Đã lưu điểm thẩm định và chuyển Văn phòng tiếp nhận.", saved="Đã lưu điểm thẩm định")


@bp.post("/ranking/sheet")
@login_required
def make_sheet():
    period = scope_of(_plan(), request.form.get("period"))
    if period is None:
        abort(404)
    sheet = sheets.make(current_user, period, request.form.get("version"))
    flash("Đã lập bảng xếp hạng từ số liệu hiện tại.", "success")
    return redirect(url_for("items.item", kind=sheet.KIND, item_id=sheet.id), 303)
