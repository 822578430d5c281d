"""Who holds a role today by delegation (models.Delegation; made and ended in issuance/delegations.py).
Below the packages: the workflow's engine (items/states.py) and access.py ask it."""
from flask import has_request_context, request
from sqlalchemy import exists, select
from sqlalchemy.orm import joinedload

from .extensions import db
from .models import Delegation, Role, User

LENDABLE = (Role.SIGNER, Role.ACCEPTOR, Role.REVIEWER)  # the steps a person may lend
MEMO = "cchc.lent_roles"  # request.environ: {(user id, day): rows, (user id, NONE): True}
NONE = "none lent"


def _active_rows(user_id, day):
    """One statement: the delegations with their lenders and the lenders' roles (which acts_as and
    lender() read)."""
    return db.session.scalars(select(Delegation).options(
        joinedload(Delegation.delegator).joinedload(User.role_rows)).where(
        Delegation.delegate_id == user_id, Delegation.revoked_at.is_(None),
        Delegation.starts_on <= day, Delegation.ends_on >= day)).unique().all()


def any_lent_to(user_id):
    """An SQL test: is any delegation not revoked lent to `user_id` (a column or a value)? Asked with
    the signed-in person (security.load_user), so that most requests, of people lent nothing, need no
    query of this module."""
    return exists().where(Delegation.delegate_id == user_id, Delegation.revoked_at.is_(None))


def none_lent(user_id):
    """Nothing is lent to this person (any_lent_to said so this request): active_for answers [] for
    any day without asking, until forget()."""
    if has_request_context():
        request.environ.setdefault(MEMO, {})[(user_id, NONE)] = True


def active_for(user, day):
    """The delegations lent to this person that cover `day`, asked at most once a request: memoised
    in the request's environ (`g` belongs to the app context, which tests keep across requests), and
    not asked at all when none_lent() was told nothing is lent. forget() starts again."""
    if not has_request_context():
        return _active_rows(user.id, day)
    memo = request.environ.setdefault(MEMO, {})
    if memo.get((user.id, NONE)):
        return []
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
