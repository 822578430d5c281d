"""Signing in (attempts counted per username and per client address before any password is
checked, auth/attempts.py) and out (which ends every session of the person)."""
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user, login_required

from .. import security
from . import attempts, services
from .forms import EmptyForm, LoginForm

bp = Blueprint("auth", __name__)

LOCKED_MESSAGE = ("Bạn đã nhập sai mật khẩu quá nhiều lần. Tài khoản tạm thời bị khóa đăng nhập; "
                  "vui lòng thử lại sau ít phút.")


def safe_next(target):
    """Only same-site relative paths; anything else goes home."""
    if not target:
        return url_for("plan.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return url_for("plan.home")
    return target


@bp.errorhandler(RateLimitExceeded)  # a Flask-Limiter limit on this blueprint answers the same way
def login_refused(_error=None, retry_after=None):
    form = LoginForm()
    form.password.data = ""
    headers = {"Retry-After": str(retry_after)} if retry_after else {}
    return render_template("auth/login.html", form=form, error=LOCKED_MESSAGE), 429, headers


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("plan.home"))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), 422 if form.is_submitted() else 200
    wait = attempts.refused(form.username.data, request.remote_addr)
    if wait is not None:  # over a limit: refused before the password is looked at, right or wrong
        return login_refused(retry_after=wait)
    user = services.authenticate(form.username.data, form.password.data)
    if user is None:
        return render_template("auth/login.html", form=form,
                               error="Tên đăng nhập hoặc mật khẩu không đúng."), 401
    attempts.succeeded(form.username.data, request.remote_addr)
    security.sign_in(user)  # a fresh session on every sign-in
    return redirect(safe_next(request.args.get("next")), 303)


@bp.post("/logout")
@login_required
def logout():
    if EmptyForm().validate_on_submit():
        security.sign_out(current_user._get_current_object())  # this session and the person's others
        flash("Bạn đã đăng xuất.", "info")
    return redirect(url_for("auth.login"), 303)
