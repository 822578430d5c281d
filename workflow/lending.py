"""Who holds a role today by delegation (models.Delegation; made and ended in issuance/delegations.py).
Below the packages: the workflow's engine (items/states.py) and access.py ask it."""
from flask import has_request_context, request
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .extensions import db
from .models import Delegation, Role

LENDABLE = (Role.SIGNER, Role.ACCEPTOR, Role.REVIEWER)  # the steps a person may lend
MEMO = "cchc.lent_roles"


def _active_rows(user_id, day):
    return db.session.scalars(select(Delegation).options(joinedload(Delegation.delegator)).where(
        Delegation.delegate_id == user_id, Delegation.revoked_at.is_(None),
        Delegation.starts_on <= day, Delegation.ends_on >= day)).all()


def active_for(user, day):
    """The delegations lent to this person that cover `day` (memoised for the request, in its environ:
    `g` belongs to the app context, which tests keep across requests)."""
    if not has_request_context():
        return _active_rows(user.id, day)
    memo = request.environ.setdefault(MEMO, {})
    key = (user.id, day)
    if key not in memo:
        memo[key] = _active_rows(user.id, day)
    return memo[key]


def lender(user, role, kind_key, day):
    """The delegation by which `user` holds `role` for items of `kind_key` on `day`, else None. The
    lender must still hold the role themselves: a role taken away is no longer lent."""
    for d in active_for(user, day):
        if d.role == Role(role).value and d.kind_key in (None, kind_key) and d.delegator.active \
                and d.delegator.has_role(role):
            return d
    return None


def forget():
    """A delegation was made or ended: this request asks again."""
    if has_request_context():
        request.environ.pop(MEMO, None)


def acts_as(user, role, day):
    """Holds the role, or has it lent on `day` by a delegation (for some kind of item)."""
    if user.has_role(role):
        return True
    return any(d.role == role.value and d.delegator.active and d.delegator.has_role(role)
               for d in active_for(user, day))


def for_step(role, kind_key, day):
    """Delegations covering `day` that lend `role` for this kind: shown on an item waiting for that step."""
    rows = db.session.scalars(select(Delegation).options(joinedload(Delegation.delegator), joinedload(Delegation.delegate))
                              .where(Delegation.role == Role(role).value, Delegation.revoked_at.is_(None),
                                     Delegation.starts_on <= day, Delegation.ends_on >= day)).all()
    return [d for d in rows if d.kind_key in (None, kind_key)]
