"""Sign-in rules, free of request objects."""
from sqlalchemy import func, select

from ..extensions import db
from ..models import User
from ..models.org import utcnow


def normalise_username(username):
    return (username or "").strip().lower()


def authenticate(username, password):
    """The active user with these credentials, or None. Same answer for unknown and wrong."""
    user = db.session.scalar(select(User).where(func.lower(User.username) == normalise_username(username)))
    if user is None or not user.active or not user.check_password(password):
        return None
    user.last_login_at = utcnow()
    db.session.commit()
    return user
