"""A forgotten password, reset by e-mail.

The link a person is sent, /dat-lai-mat-khau/<token>, carries a token signed with SECRET_KEY (its own
salt, so no other signed value of the app passes for one) that names the account and a fingerprint of
its password hash and session token as they were when the link was made. It is refused once
PASSWORD_RESET_MINUTES have passed, and once the account is no longer as it was: the first reset
changes the hash (so the link works once, and every other link sent before it stops working), and so
does any change of password, a sign-out (a new session token) or deactivation. Setting the new
password is one conditional UPDATE, so two submissions of the same link at the same moment set it once.

Asking for a link answers the same, at about the same cost, whether or not the address belongs to an
active account: either way a token is signed, the message rendered and a row written to the outbox in
one transaction; for an address of nobody the row is deleted again before the commit. Nothing secret
is recorded: the outbox holds the message (the link) as any sent mail does; no token or password is
logged (the request log writes this path without its token, ops.SECRET_PATHS).
"""
import hashlib
import hmac
import secrets
from types import SimpleNamespace

from flask import current_app, url_for
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select, update
from werkzeug.security import generate_password_hash

from ..extensions import db
from ..mail import compose, outbox
from ..models import OutboxMessage, User
from ..models.org import new_session_token

SALT = "cchc-password-reset"
TOKEN_MAX = 500           # characters: a real token is about 120
SUBJECT = "Đặt lại mật khẩu tài khoản CCHC"
EXPIRED, INVALID = "expired", "invalid"


def minutes():
    return int(current_app.config["PASSWORD_RESET_MINUTES"])


def normalise_email(address):
    return (address or "").strip().lower()


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def fingerprint(password_hash, session_token):
    """What a link is bound to: a keyed hash of the account's password hash and session token (the
    token's payload is signed, not hidden, so the hash itself is not put in it)."""
    key = current_app.config["SECRET_KEY"]
    key = key if isinstance(key, bytes) else str(key).encode()
    return hmac.new(key, f"{password_hash}\n{session_token}".encode(), hashlib.sha256).hexdigest()[:32]


def _signed(user):
    """(token, nonce): the nonce tells the links of one account apart (the outbox key)."""
    nonce = secrets.token_hex(8)
    return _serializer().dumps([user.id, fingerprint(user.password_hash, user.session_token), nonce]), nonce


def token_for(user):
    return _signed(user)[0]


def read(token):
    """(user, None) for a link made here, still in time, for an active account as it still is; else
    (None, EXPIRED) or (None, INVALID) — forged, malformed, used, or for an account that changed."""
    if not isinstance(token, str) or not token or len(token) > TOKEN_MAX:
        return None, INVALID
    try:
        data = _serializer().loads(token, max_age=minutes() * 60)
    except SignatureExpired:
        return None, EXPIRED
    except BadData:
        return None, INVALID
    if not (isinstance(data, list) and len(data) == 3 and type(data[0]) is int and isinstance(data[1], str)):
        return None, INVALID
    user = db.session.get(User, data[0])
    if user is None or not user.active or not hmac.compare_digest(
            data[1], fingerprint(user.password_hash, user.session_token)):
        return None, INVALID
    return user, None


def _message(user):
    token, nonce = _signed(user)
    # The link is the message's own (worded in its body), not the layout's "Mở trên hệ thống" line.
    return compose.message("password_reset", key=f"reset:{user.id}:{nonce}", category="account", user=user,
                           subject=SUBJECT, reset_link=compose.absolute(url_for("auth.reset_password", token=token)),
                           minutes=minutes())


def send_link(address):
    """Write a reset message to the outbox for every active account with this address, and commit.
    For an address of nobody, the same work with a stand-in account, its row deleted before the commit."""
    address = normalise_email(address)
    users = db.session.scalars(select(User).where(func.lower(User.email) == address, User.active.is_(True))
                               .order_by(User.id)).all()
    for user in users:
        outbox.enqueue(_message(user))
    if not users:
        nobody = SimpleNamespace(id=0, username="", full_name="", email=address, active=True,
                                 password_hash=secrets.token_hex(16), session_token=new_session_token())
        message = _message(nobody)
        row = OutboxMessage(key=message.key, category=message.category, user_id=None, to_addr=address[:200],
                            subject=message.subject, body_text=message.text, body_html=message.html)
        db.session.add(row)
        db.session.flush()
        db.session.delete(row)
        db.session.flush()
    db.session.commit()
    return len(users)


def set_password(user, password):
    """The new password, if the account is still as the link found it: its hash and session token
    replaced in one conditional UPDATE (every session of the person ends), the forced change cleared.
    False when another submission of the same link got there first."""
    result = db.session.execute(
        update(User).where(User.id == user.id, User.password_hash == user.password_hash,
                           User.session_token == user.session_token)
        .values(password_hash=generate_password_hash(password), session_token=new_session_token(),
                must_change_password=False)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.rollback()
        return False
    db.session.commit()
    return True
