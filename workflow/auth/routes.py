"""Signing in (attempts counted per username and per client address before any password is
checked, auth/attempts.py) and out (which ends every session of the person); passwords: a forgotten
one reset by e-mail (auth/reset.py), and "Đổi mật khẩu", which an account an admin created or whose
password an admin set must go through before any other page (User.must_change_password)."""
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user, login_required, logout_user

from .. import security
from ..extensions import db
from . import attempts, reset, services
from .forms import SAME_AS_OLD, ChangePasswordForm, EmptyForm, ForgotPasswordForm, LoginForm, NewPasswordForm

bp = Blueprint("auth", __name__)

LOCKED_MESSAGE = ("Bạn đã nhập sai mật khẩu quá nhiều lần. Tài khoản tạm thời bị khóa đăng nhập; "
                  "vui lòng thử lại sau ít phút.")
RESET_SENT = ("Nếu địa chỉ này thuộc một tài khoản đang hoạt động, chúng tôi đã gửi thư hướng dẫn đặt lại "
              "mật khẩu tới địa chỉ đó. Liên kết trong thư dùng được một lần, trong {minutes} phút. "
              "Nếu không thấy thư, vui lòng xem cả mục thư rác hoặc liên hệ quản trị hệ thống.")
RESET_TOO_MANY = "Có quá nhiều yêu cầu đặt lại mật khẩu từ máy này. Vui lòng thử lại sau."
RESET_DONE = "Đã đặt mật khẩu mới. Vui lòng đăng nhập bằng mật khẩu mới."
CHANGE_LOCKED = "Bạn đã nhập sai mật khẩu hiện tại quá nhiều lần. Vui lòng thử lại sau ít phút."
CHANGE_WRONG = "Mật khẩu hiện tại không đúng."
CHANGE_DONE = "Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn (nếu có) đã kết thúc."
# What a person who must choose a new password may still open.
WHILE_FORCED = frozenset({"static", "ops.healthz", "auth.change_password", "auth.logout"})
# Settings of this package, unless instance/config.py or the test's configuration gives them (an
# environment variable does not: workflow/config.py's ENV_OVERRIDES does not list them).
DEFAULTS = {
    "PASSWORD_RESET_MINUTES": 60,              # a reset link works this long (and once)
    "PASSWORD_RESET_LIMIT": "5 per hour",      # links asked for one address (more: answered alike, none sent)
    "PASSWORD_RESET_IP_LIMIT": "20 per hour",  # requests from one client address (more: 429)
}


@bp.record_once
def _defaults(state):
    for name, value in DEFAULTS.items():
        state.app.config.setdefault(name, value)


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


# -- a forgotten password --------------------------------------------------------------------------


@bp.route("/quen-mat-khau", methods=["GET", "POST"])
def forgot_password():
    """The same answer, status and work whether or not the address is an active account's."""
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        return render_template("auth/forgot.html", form=form), 422 if form.is_submitted() else 200
    wait = attempts.over_limit("PASSWORD_RESET_IP_LIMIT", "reset-ip", request.remote_addr or "unknown")
    if wait is not None:
        return (render_template("auth/forgot.html", form=form, error=RESET_TOO_MANY), 429,
                {"Retry-After": str(wait)})
    address = reset.normalise_email(form.email.data)
    if attempts.over_limit("PASSWORD_RESET_LIMIT", "reset-mail", address) is None:
        reset.send_link(address)
    return render_template("auth/forgot.html", form=ForgotPasswordForm(formdata=None),
                           sent=RESET_SENT.format(minutes=reset.minutes()))


@bp.route("/dat-lai-mat-khau/<token>", methods=["GET", "POST"])
def reset_password(token):
    user, problem = reset.read(token)
    if problem is not None:
        return _link_refused(problem)
    form = NewPasswordForm()
    if not form.validate_on_submit():
        return (render_template("auth/reset.html", form=form, user=user),
                422 if form.is_submitted() else 200)
    if user.check_password(form.new_password.data):
        form.new_password.errors.append(SAME_AS_OLD)
        return render_template("auth/reset.html", form=form, user=user), 422
    if not reset.set_password(user, form.new_password.data):
        return _link_refused(reset.INVALID)  # the same link, used a moment ago
    attempts.forget("user", services.normalise_username(user.username))  # a sign-in lock is lifted
    session.clear()  # whoever was signed in on this browser: sign in afresh
    logout_user()
    flash(RESET_DONE, "success")
    return redirect(url_for("auth.login"), 303)


def _link_refused(problem):
    return render_template("auth/reset_refused.html", expired=problem == reset.EXPIRED,
                           minutes=reset.minutes()), 400


# -- changing one's password -----------------------------------------------------------------------


@bp.route("/doi-mat-khau", methods=["GET", "POST"])
@login_required
def change_password():
    user = current_user._get_current_object()
    form = ChangePasswordForm()

    def page(status):
        return render_template("auth/change_password.html", form=form, forced=user.must_change_password), status

    if not form.validate_on_submit():
        return page(422 if form.is_submitted() else 200)
    wait = attempts.over_limit("LOGIN_LIMIT", "change", str(user.id))  # counted before the check
    if wait is not None:
        form.current_password.errors.append(CHANGE_LOCKED)
        html, status = page(429)
        return html, status, {"Retry-After": str(wait)}
    if not user.check_password(form.current_password.data):
        form.current_password.errors.append(CHANGE_WRONG)
        return page(422)
    if form.new_password.data == form.current_password.data:
        form.new_password.errors.append(SAME_AS_OLD)
        return page(422)
    attempts.forget("change", str(user.id))
    user.set_password(form.new_password.data)  # a new session token: every session of the person ends
    user.must_change_password = False
    db.session.commit()
    target = safe_next(request.args.get("next"))
    security.sign_in(user)  # … and this one goes on, fresh
    flash(CHANGE_DONE, "success")
    return redirect(target, 303)


@bp.before_app_request
def new_password_first():
    """A person whose password an admin chose is sent to "Đổi mật khẩu" from every page but that one,
    signing out and static files, until they choose their own."""
    if request.endpoint is None or request.endpoint in WHILE_FORCED:
        return None
    if not current_user.is_authenticated or not current_user.must_change_password:
        return None
    back = security.return_to()
    target = url_for("auth.change_password", next=back if back and back != "/" else None)
    if request.headers.get("HX-Request"):  # htmx: the whole page goes there, not a panel
        return "", 204, {"HX-Redirect": target}
    return redirect(target, 303 if request.method != "GET" else 302)
