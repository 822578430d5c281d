"""Delegations (ủy quyền) made and ended: a person lends one of their roles to another for some days,
for one kind of item or every kind. Who holds what today is workflow/lending.py's (below the packages:
the workflow and access.py ask it)."""
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import Conflict, Forbidden

from ..extensions import db
from ..lending import LENDABLE, forget as _forget
from ..models import Delegation, Role, User
from ..models.org import utcnow
from ..validation import FieldError

LONGEST = timedelta(days=366)
# Only a leader (a vice-chairman) may sign for the chairman (Decree 30: "KT. CHỦ TỊCH").
LEND_ONLY_TO = {Role.SIGNER: Role.CHAIRMAN}


def create(actor, delegator, delegate, role, kind_key, starts_on, ends_on, reason, today):
    """Lend `role` from `delegator` to `delegate`. The delegator lends their own roles; an administrator
    may record it for them."""
    role = Role(role)
    if actor.id != delegator.id and not actor.has_role(Role.ADMIN):
        raise Forbidden("Chỉ người ủy quyền (hoặc quản trị hệ thống) được tạo ủy quyền của mình.")
    if role not in LENDABLE or not delegator.has_role(role):
        raise FieldError("role", "Người ủy quyền không có vai trò này để ủy quyền.")
    if delegate.id == delegator.id or not delegate.active:
        raise FieldError("delegate", "Chọn một người khác, đang hoạt động.")
    needed = LEND_ONLY_TO.get(role)
    if needed and not delegate.has_role(needed):
        raise FieldError("delegate", "Chỉ lãnh đạo UBND (Phó Chủ tịch) được ủy quyền ký ban hành.")
    if ends_on < starts_on:
        raise FieldError("ends_on", "Ngày kết thúc không thể trước ngày bắt đầu.")
    if ends_on < today:
        raise FieldError("ends_on", "Ủy quyền đã hết hạn trước hôm nay.")
    if ends_on - starts_on > LONGEST:
        raise FieldError("ends_on", "Ủy quyền tối đa một năm; hết hạn thì tạo ủy quyền mới.")
    row = Delegation(delegator=delegator, delegate=delegate, role=role.value, kind_key=kind_key or None,
                     starts_on=starts_on, ends_on=ends_on, reason=reason.strip(), created_by_id=actor.id)
    db.session.add(row)
    db.session.commit()
    _forget()
    return row


def may_revoke(user, delegation, today):
    """The lender (or an administrator) ends a delegation not yet ended."""
    return (user.id == delegation.delegator_id or user.has_role(Role.ADMIN)) and delegation.revoked_at is None \
        and delegation.ends_on >= today


def revoke(actor, delegation):
    if actor.id != delegation.delegator_id and not actor.has_role(Role.ADMIN):
        raise Forbidden("Chỉ người ủy quyền (hoặc quản trị hệ thống) được thu hồi ủy quyền.")
    if delegation.revoked_at is not None:
        raise Conflict("Ủy quyền này đã được thu hồi.")
    delegation.revoked_at, delegation.revoked_by_id = utcnow(), actor.id
    db.session.commit()
    _forget()


def listing(user, today):
    """The delegations the person gave or received (all of them for an administrator), newest first,
    with those still running or to come first."""
    query = select(Delegation).options(joinedload(Delegation.delegator), joinedload(Delegation.delegate))
    if not user.has_role(Role.ADMIN):
        query = query.where((Delegation.delegator_id == user.id) | (Delegation.delegate_id == user.id))
    rows = db.session.scalars(query.order_by(Delegation.starts_on.desc(), Delegation.id.desc())).all()
    return sorted(rows, key=lambda d: not (d.revoked_at is None and d.ends_on >= today))


def lenders_of(user):
    """People whose roles this person may lend: themselves; an administrator, anyone holding a lendable role."""
    if not user.has_role(Role.ADMIN):
        return [user] if user.has_role(*LENDABLE) else []
    people = db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.full_name)).all()
    return [p for p in people if p.has_role(*LENDABLE)]
