"""The month page of due dates (every signed-in account), its feed link's forms, and the feed itself
(no session: the secret in its URL is the key)."""
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..items import states
from . import feed as ics
from . import services

bp = Blueprint("calendar", __name__)


def absolute(endpoint, **values):
    """A link that works from a calendar app: BASE_URL (the address users reach the site at) + path."""
    return current_app.config["BASE_URL"].rstrip("/") + url_for(endpoint, **values)


def feed_links(user):
    """(https URL, webcal URL) of the person's feed, or (None, None) when they have none."""
    if not user.calendar_token:
        return None, None
    url = absolute("calendar.feed", token=user.calendar_token)
    return url, "webcal://" + url.split("://", 1)[-1]


@bp.get("/lich")
@login_required
def month():
    view = services.month(current_user, request.args.get("thang"), states.today())
    feed_url, webcal_url = feed_links(current_user)
    return render_template("calendar/month.html", view=view, feed_url=feed_url, webcal_url=webcal_url,
                           weekdays=list(zip(services.WEEKDAYS_SHORT, services.WEEKDAYS)))


@bp.post("/lich/feed")
@login_required
def rotate():
    had = bool(current_user.calendar_token)
    services.issue_token(current_user)
    flash("Đã tạo đường liên kết lịch mới; liên kết cũ không còn dùng được." if had
          else "Đã tạo đường liên kết lịch.", "success")
    return redirect(url_for("calendar.month", _anchor="lien-ket-lich"), 303)


@bp.post("/lich/feed/revoke")
@login_required
def revoke():
    services.revoke_token(current_user)
    flash("Đã thu hồi đường liên kết lịch; ứng dụng lịch đang dùng nó sẽ không cập nhật được nữa.",
          "success")
    return redirect(url_for("calendar.month", _anchor="lien-ket-lich"), 303)


@bp.get("/lich/<token>.ics")
def feed(token):
    user = services.owner_of(token)
    if user is None:
        abort(404)
    body = ics.render(user, services.entries(user, states.today()),
                      lambda entry: absolute(entry.endpoint, **entry.values))
    response = Response(body, content_type="text/calendar; charset=utf-8")
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Disposition"] = 'inline; filename="lich-cchc.ics"'
    return response
