"""Sign-in rules, free of request objects."""
import secrets

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import User
from ..models.org import utcnow

DEFAULT_METHOD = "scrypt"  # werkzeug's default, what User.set_password uses
_dummies = {}


def normalise_username(username):
    return (username or "").strip().lower()


def method_of(password_hash):
    """"scrypt:32768:8:1" of "scrypt:32768:8:1$salt$hash"."""
    return (password_hash or "").split("$", 1)[0]


def dummy_hash():
    """A hash of a random password made with the method the accounts' hashes use (the first
    account's; werkzeug's default when there is none), so an unknown username costs what a known
    one does. Made once per method and process."""
    method = method_of(db.session.scalar(select(User.password_hash).order_by(User.id).limit(1))) or DEFAULT_METHOD
    if method not in _dummies:
        try:
            _dummies[method] = generate_password_hash(secrets.token_urlsafe(16), method=method)
        except (ValueError, TypeError):  # a method werkzeug no longer makes: its default
            _dummies[method] = _dummies.get(DEFAULT_METHOD) or generate_password_hash(secrets.token_urlsafe(16))
    return _dummies[method]


def authenticate(username, password):
    """The active user with these credentials, or None. Same answer, and one password hash, for an
    unknown username, an inactive account and a wrong password."""
    user = db.session.scalar(select(User).where(func.lower(User.username) == normalise_username(username)))
    matches = check_password_hash(user.password_hash if user is not None else dummy_hash(), password)
    if user is None or not user.active or not matches:
        return None
    user.last_login_at = utcnow()
    db.session.commit()
    return user
