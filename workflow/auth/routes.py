"""Signing in (rate-limited per username and per address) and out."""
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import limiter
from . import services
from .forms import EmptyForm, LoginForm

bp = Blueprint("auth", __name__)

LOCKED_MESSAGE = ("Bạn đã nhập sai mật khẩu quá nhiều lần. Tài khoản tạm thời bị khóa đăng nhập; "
                  "vui lòng thử lại sau ít phút.")


def _login_username_key():
    return "login-user:" + services.normalise_username(request.form.get("username"))


def _failed(response):
    return response.status_code == 401


def safe_next(target):
    """Only same-site relative paths; anything else goes home."""
    if not target:
        return url_for("plan.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return url_for("plan.home")
    return target


@bp.errorhandler(RateLimitExceeded)
def login_refused(_error=None):
    form = LoginForm()
    form.password.data = ""
    return render_template("auth/login.html", form=form, error=LOCKED_MESSAGE), 429


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT"], key_func=_login_username_key, methods=["POST"],
               deduct_when=_failed, scope="login-user")
@limiter.limit(lambda: current_app.config["LOGIN_IP_LIMIT"], methods=["POST"], deduct_when=_failed, scope="login-ip")
def login():
    if current_user.is_authenticated:
        return redirect(url_for("plan.home"))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), 422 if form.is_submitted() else 200
    user = services.authenticate(form.username.data, form.password.data)
    if user is None:
        return render_template("auth/login.html", form=form,
                               error="Tên đăng nhập hoặc mật khẩu không đúng."), 401
    session.clear()  # a fresh session on every sign-in
    login_user(user)
    return redirect(safe_next(request.args.get("next")), 303)


@bp.post("/logout")
@login_required
def logout():
    if EmptyForm().validate_on_submit():
        logout_user()
        session.clear()
        flash("Bạn đã đăng xuất.", "info")
    return redirect(url_for("auth.login"), 303)
