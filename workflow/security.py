"""Sessions and the answers around them: loading the signed-in person (a session ends on logout,
on a password change, on deactivation and after SESSION_IDLE_MINUTES unused), the answer to a
request without a valid session, the client's address behind trusted proxies, response hardening.

A session names "<user id>:<session token>" (User.session_id, Flask-Login's id_attribute here), so
a session, or a remember-me cookie, made before the token changed opens nothing afterwards. The last
request seen is kept in the (signed) session as Unix time and written back at most once a minute.
"""
import hmac
import time
from urllib.parse import urlsplit

from flask import current_app, flash, g, redirect, request, session
from flask_login import login_url, login_user, logout_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload
from werkzeug.middleware.proxy_fix import ProxyFix

from . import lending
from .extensions import db, login_manager
from .models import Unit, User

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'"
)
HSTS = "max-age=31536000"
SEEN = "_seen"      # session key: Unix time of the last request that loaded the person
SEEN_EVERY = 60     # seconds: the session cookie is rewritten at most this often for SEEN
IDLE_MESSAGE = "Phiên làm việc đã hết hạn vì lâu không thao tác. Vui lòng đăng nhập lại."


def now():
    """The clock of idle expiry (tests move it)."""
    return time.time()


# The person with what every page reads of them, in one statement: their unit and its ward (the
# header, wards.of_user), their roles (access.menu) and whether any delegation not revoked is lent to
# them (without one, lending answers "nothing lent" to the menu with no query of its own).
_PERSON = (
    select(User, lending.any_lent_to(User.id).label("lent"))
    .options(joinedload(User.unit).joinedload(Unit.ward), joinedload(User.role_rows))
    .where(User.id == bindparam("user_id"))
)


def _person(user_id):
    """(the person or None, whether anything not revoked is lent to them)."""
    row = db.session.execute(_PERSON, {"user_id": user_id}).unique().one_or_none()
    return (None, False) if row is None else tuple(row)


@login_manager.user_loader
def load_user(session_id):
    user_id, _, token = str(session_id).partition(":")
    user = lent = None
    if user_id.isdigit() and token:
        user, lent = _person(int(user_id))
    if user is None or not user.active or not hmac.compare_digest(token.encode(), user.session_token.encode()):
        _end_session()  # logged out, password changed, deactivated, or a session from before tokens
        return None
    if not _still_fresh():
        _end_session(idle=True)
        return None
    if not lent:
        lending.none_lent(user.id)  # the menu's queues need no query of lending's this request
    return user


def _still_fresh():
    """False when the session has not been used for SESSION_IDLE_MINUTES (0 = no limit); else
    notes this request (a cookie write at most once a minute)."""
    moment, seen = now(), session.get(SEEN)
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    if isinstance(seen, (int, float)) and idle > 0 and moment - seen > idle:
        return False
    if not isinstance(seen, (int, float)) or moment - seen >= SEEN_EVERY:
        session[SEEN] = int(moment)  # a session without one (remember-me) starts now
    return True


def _end_session(idle=False):
    session.clear()
    if current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies:
        session["_remember"] = "clear"  # Flask-Login deletes the remember-me cookie too
    g.session_idle = idle


def sign_in(user):
    """A fresh session for `user` (nothing carried over from before signing in)."""
    session.clear()
    login_user(user)
    session[SEEN] = int(now())


def sign_out(user):
    """End this session and every other session of `user` (a new session token)."""
    user.end_sessions()
    db.session.commit()
    session.clear()
    logout_user()


def _same_site_path(url):
    """The path and query of `url` if it points into this site, else None."""
    parts = urlsplit(url or "")
    if parts.netloc and parts.netloc != request.host:
        return None
    path = parts.path or "/"
    return path + (f"?{parts.query}" if parts.query else "") if path.startswith("/") else None


def return_to():
    """Where to go back after signing in: the page the person was on. An htmx request names it in
    HX-Current-URL; a plain form post came from its Referer (its own URL may take POST only)."""
    if request.headers.get("HX-Request"):
        return _same_site_path(request.headers.get("HX-Current-URL"))
    if request.method == "GET":
        return _same_site_path(request.script_root + request.full_path)
    return _same_site_path(request.referrer)


@login_manager.unauthorized_handler
def unauthorized():
    flash(IDLE_MESSAGE if g.get("session_idle") else login_manager.login_message,
          login_manager.login_message_category)
    target = return_to()
    login = login_url("auth.login", next_url=target)
    if request.headers.get("HX-Request"):  # htmx would swap the sign-in page into a panel: go there instead
        return "", 401, {"HX-Redirect": login}
    return redirect(login)


def _private(response):
    """Answers to a signed-in person, and the sign-in page (its CSRF token), are never stored by a
    browser or a proxy; static files stay cacheable."""
    if request.endpoint == "static":
        return False
    return request.blueprint == "auth" or "_user_id" in session


def init_app(app):
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Vui lòng đăng nhập để tiếp tục."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    login_manager.id_attribute = "session_id"
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:  # the client's address and scheme as the nearest `proxies` proxies saw them
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    @app.after_request
    def harden(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if app.config["BEHIND_TLS"]:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        if _private(response):
            response.cache_control.no_store = True
        if response.mimetype == "text/html":  # a fragment or a page for the same URL: caches must tell them apart
            response.vary.add("HX-Request")
        return response
