"""The register page (sổ văn bản đi: list, .xlsx, a number taken by hand) and the delegations page."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .. import kinds, wards
from ..access import (get_or_404, may_keep_register, require_register_keeper, require_register_viewer,
                      require_signed_in)
from ..downloads import XLSX, attachment
from ..extensions import db
from ..forms import choices
from ..items.states import today
from ..models import Delegation, User
from ..validation import FieldError, attach, parse_id
from . import delegations, register, sheet
from .forms import DelegationForm, ReserveForm

bp = Blueprint("issuance", __name__)
EVERY_KIND = ""


def _year():
    year = parse_id(request.args.get("year"))
    return year if year and 2000 <= year <= 2100 else today().year


def _issuer(ward):
    issuer = request.args.get("issuer") or register.WARD_ISSUER
    return issuer if issuer in register.issuers(ward) else register.WARD_ISSUER


def _register_page(form, status=200):
    ward = wards.of_user(current_user)
    year, issuer = _year(), _issuer(ward)
    return render_template("issuance/register.html", ward=ward, year=year, issuer=issuer,
                           years=sorted({*register.years(ward), today().year}, reverse=True),
                           issuers=register.issuers(ward), entries=register.entries(ward, year, issuer),
                           form=form if may_keep_register(current_user) else None), status


@bp.get("/register")
@login_required
def register_page():
    require_register_viewer(current_user)
    return _register_page(ReserveForm(formdata=None))


@bp.get("/register.xlsx")
@login_required
def register_xlsx():
    require_register_viewer(current_user)
    ward = wards.of_user(current_user)
    year, issuer = _year(), _issuer(ward)
    data = sheet.workbook(ward, year, issuer, register.entries(ward, year, issuer))
    return attachment(data, XLSX, f"so-van-ban-di-{issuer.lower()}-{year}.xlsx")


@bp.post("/register/reserve")
@login_required
def reserve():
    require_register_keeper(current_user)
    form = ReserveForm()
    if not form.validate_on_submit():
        return _register_page(form, 422)
    try:
        entry = register.reserve(current_user, wards.of_user(current_user), form.doc_type.data, form.symbol.data or "",
                                 form.issued_on.data, form.summary.data, form.signer_name.data or "",
                                 form.signer_title.data or "", form.note.data or "")
    except FieldError as err:
        attach(form, err)
        return _register_page(form, 422)
    flash(f"Đã lấy số {entry.number} ngày {entry.issued_on:%d/%m/%Y} cho văn bản “{entry.summary}”.", "success")
    return redirect(url_for("issuance.register_page", year=entry.year), 303)


def _delegation_form(formdata=True):
    form = DelegationForm() if formdata else DelegationForm(formdata=None)
    people = db.session.scalars(db.select(User).where(User.active.is_(True)).order_by(User.full_name)).all()
    form.delegator.choices = choices((u.id, u.full_name) for u in delegations.lenders_of(current_user))
    form.delegate.choices = choices((u.id, f"{u.full_name} ({u.title or u.unit.code})") for u in people)
    form.kind.choices = choices([(EVERY_KIND, "Mọi loại hồ sơ")] + [(k.key, k.label) for k in kinds.all_kinds()])
    return form


def _delegations_page(form, status=200):
    rows = delegations.listing(current_user, today())
    return render_template("issuance/delegations.html", form=form if form.delegator.choices else None,
                           rows=rows, today=today(),
                           revocable={d.id for d in rows if delegations.may_revoke(current_user, d, today())},
                           kind_labels={k.key: k.label for k in kinds.all_kinds()}), status


@bp.get("/delegations")
@login_required
def delegations_page():
    require_register_viewer(current_user)  # the leaders and offices whose steps may be lent
    return _delegations_page(_delegation_form(formdata=False))


@bp.post("/delegations")
@login_required
def create_delegation():
    require_register_viewer(current_user)
    form = _delegation_form()
    if not form.validate_on_submit():
        return _delegations_page(form, 422)
    try:
        row = delegations.create(current_user, db.session.get(User, form.delegator.data), db.session.get(User, form.delegate.data),
                                 form.role.data, form.kind.data or None, form.starts_on.data, form.ends_on.data,
                                 form.reason.data, today())
    except FieldError as err:
        attach(form, err)
        return _delegations_page(form, 422)
    flash(f"Đã ủy quyền cho {row.delegate.full_name} từ {row.starts_on:%d/%m/%Y} đến hết {row.ends_on:%d/%m/%Y}.", "success")
    return redirect(url_for("issuance.delegations_page"), 303)


@bp.post("/delegations/<int:delegation_id>/revoke")
@login_required
def revoke_delegation(delegation_id):
    require_signed_in(current_user)
    delegations.revoke(current_user, get_or_404(Delegation, delegation_id))
    flash("Đã thu hồi ủy quyền.", "success")
    return redirect(url_for("issuance.delegations_page"), 303)
