"""Nominations for commendation: the list per period, opening the unit's nomination, VHXH's appraisal,
and the draft decision's PDF. Thin: services decide who may."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..access import get_or_404
from ..documents import word
from ..documents.word_routes import DOCX
from ..downloads import PDF, attachment
from ..items import page
from ..items import services as items
from ..items.states import waiting_on
from ..models import CommendationDecision, Nomination, ReportingPeriod
from ..validation import FieldError, StaleVersion, attach
from . import decision, kind, services

bp = Blueprint("nominations", __name__)


@bp.get("/khen-thuong")
@login_required
def index():
    periods = services.approved_periods()
    ids = [p.id for p in periods]
    return render_template("nominations/index.html", periods=periods,
                           nominations=services.visible(current_user, ids),
                           decisions=services.visible_decisions(current_user, ids),
                           may_make_decision=services.may_make_decision(current_user),
                           may_nominate=services.may_nominate(current_user),
                           may_oversee=services.may_oversee(current_user), waiting_on=waiting_on)


@bp.post("/khen-thuong/<int:period_id>/de-nghi")
@login_required
def open_nomination(period_id):
    item = services.open_for(current_user, get_or_404(ReportingPeriod, period_id))
    return redirect(url_for("items.item", kind=item.KIND, item_id=item.id), 303)


@bp.post("/items/nomination/<int:item_id>/appraisal")
@login_required
def appraise(item_id):
    item = items.load_item(current_user, Nomination.KIND, item_id)
    services.require_appraiser(current_user, item)
    form = kind.make_appraisal_form(item)
    status, conflict = 422, None
    if len(form.verdicts.entries) != len(item.entries):
        conflict, form = "Biểu mẫu không khớp với hồ sơ (có thể đã cũ); vui lòng nhập lại.", None
    elif form.validate_on_submit():
        verdicts = [({"yes": True, "no": False}.get(v.form.verdict.data), v.form.note.data) for v in form.verdicts]
        try:
            services.save_appraisal(current_user, item, verdicts, form.version.data)
        except FieldError as err:
            attach(form, err)
        except StaleVersion as err:
            status, conflict, form = 409, err.description, None
        else:
            if request.form.get("then") == "review":
                page.then_perform(current_user, item, "review", int(form.version.data) + 1,
                                  done="Đã lưu ý kiến thẩm định và chuyển Văn phòng tổng hợp.",
                                  saved="Đã lưu ý kiến thẩm định")
            else:
                flash("Đã lưu ý kiến thẩm định.", "success")
            return redirect(url_for("items.item", kind=item.KIND, item_id=item.id), 303)
    context = page.item_context(current_user, item, appraisal_form=form)
    return render_template("items/item.html", conflict=conflict, **context), status


@bp.post("/khen-thuong/<int:period_id>/quyet-dinh")
@login_required
def make_decision(period_id):
    made = services.make_decision(current_user, get_or_404(ReportingPeriod, period_id))
    flash("Đã lập dự thảo quyết định khen thưởng từ các đề nghị đã tổng hợp.", "success")
    return redirect(url_for("items.item", kind=made.KIND, item_id=made.id), 303)


@bp.get("/khen-thuong/quyet-dinh/<int:item_id>.pdf")
@login_required
def decision_pdf(item_id):
    data, name = decision.render(current_user, items.load_item(current_user, CommendationDecision.KIND, item_id))
    return attachment(data, PDF, name)


@bp.get("/khen-thuong/quyet-dinh/<int:item_id>.docx")
@login_required
def decision_docx(item_id):
    doc = decision.document(current_user, items.load_item(current_user, CommendationDecision.KIND, item_id))
    return attachment(word.docx_bytes(doc), DOCX, f"{doc.filename}.docx")
