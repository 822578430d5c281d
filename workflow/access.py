"""Who may do what. Every service checks here; templates only mirror it."""
from flask import abort
from werkzeug.exceptions import Forbidden

from .extensions import db
from .models import Role

FORBIDDEN_MESSAGE = "Bạn không có quyền thực hiện thao tác này."


def require_role(user, *roles):
    """Raise 403 unless the signed-in user holds one of the roles."""
    if not getattr(user, "is_authenticated", False) or not user.has_role(*roles):
        raise Forbidden(FORBIDDEN_MESSAGE)


def require_admin(user):
    require_role(user, Role.ADMIN)


def require_signed_in(user):
    if not getattr(user, "is_authenticated", False):
        raise Forbidden(FORBIDDEN_MESSAGE)


def get_or_404(model, ident):
    obj = db.session.get(model, ident)
    if obj is None:
        abort(404)
    return obj
