"""Session loading, the answer to a request without a valid session, and response hardening."""
from urllib.parse import urlsplit

from flask import flash, redirect, request
from flask_login import login_url
from sqlalchemy.orm import joinedload

from .extensions import db, login_manager
from .models import Unit, User

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'"
)


@login_manager.user_loader
def load_user(user_id):
    user = db.session.get(User, int(user_id), options=[joinedload(User.unit).joinedload(Unit.ward)])
    return user if user is not None and user.active else None


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
    flash(login_manager.login_message, login_manager.login_message_category)
    target = return_to()
    login = login_url("auth.login", next_url=target)
    if request.headers.get("HX-Request"):  # htmx would swap the sign-in page into a panel: go there instead
        return "", 401, {"HX-Redirect": login}
    return redirect(login)


def init_app(app):
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Vui lòng đăng nhập để tiếp tục."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @app.after_request
    def harden(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if response.mimetype == "text/html":  # a fragment or a page for the same URL: caches must tell them apart
            response.vary.add("HX-Request")
        return response
