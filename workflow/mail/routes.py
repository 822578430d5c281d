"""GET and POST /mail/stop/<token>: the stop link at the foot of a message, open without signing in
(the signed token is the permission). The page's button posts with a CSRF token; a mail reader's own
"unsubscribe" button posts the RFC 8058 one-click body `List-Unsubscribe=One-Click`, with no session.
GET and POST /nhan-thu: the signed-in person chooses the kinds of mail they receive (and takes a stop back)."""
from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import csrf, db
from ..models import MAIL_CATEGORIES, UNSTOPPABLE, MailOptOut, User
from . import preferences
from .compose import read_stop_token
from .forms import ReceiveForm
from .outbox import stopped

bp = Blueprint("mail", __name__)
ONE_CLICK = "One-Click"  # the value of List-Unsubscribe in a one-click POST (RFC 8058)
EXPIRED = "Biểu mẫu đã hết hạn. Vui lòng bấm nút một lần nữa."


def _reader(token):
    """(user, category) named by the token, or 404."""
    found = read_stop_token(token)
    if found is None or found[1] in UNSTOPPABLE:
        abort(404)
    user = db.session.get(User, found[0]) if isinstance(found[0], int) else None
    if user is None:
        abort(404)
    return user, found[1]


def _page(user, category, status=200, error=None):
    response = make_response(render_template("mail/stop.html", user=user, words=MAIL_CATEGORIES[category],
                                             done=stopped(user, category), error=error), status)
    response.cache_control.no_store = True  # the URL is a credential: nothing keeps the page
    return response


def _record(user, category):
    """The opt-out, once however often it is asked for (two clicks at once too)."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(insert(MailOptOut).values(user_id=user.id, category=category)
                       .on_conflict_do_nothing(index_elements=["user_id", "category"]))
    db.session.commit()


@csrf.exempt  # checked in the view: the one-click POST of a mail reader carries no token
@bp.route("/mail/stop/<token>", methods=["GET", "POST"])
def stop(token):
    user, category = _reader(token)
    if request.method == "POST":
        if request.form.get("List-Unsubscribe") != ONE_CLICK and current_app.config.get("WTF_CSRF_ENABLED", True):
            try:
                csrf.protect()
            except CSRFError:
                return _page(user, category, 400, EXPIRED)
        _record(user, category)
    return _page(user, category)


@bp.route("/nhan-thu", methods=["GET", "POST"])
@login_required
def receive():
    # Ticks are read from the post alone: a form with none ticked posts no "receive" (stop them all).
    form = ReceiveForm() if request.method == "POST" else ReceiveForm(data={"receive": preferences.receiving(current_user)})
    if form.validate_on_submit():
        preferences.save(current_user, form.receive.data or [])
        flash("Đã lưu lựa chọn nhận thư.", "success")
        return redirect(url_for("mail.receive"), 303)
    status = 422 if form.is_submitted() else 200
    return render_template("mail/receive.html", form=form), status
