"""What every template gets: the filters (Vietnamese formats), the ward, the menu's flags from
access.menu(), and the fragment-or-page rule of htmx. (The unread-notification badge is the items
package's own context processor: this module sits below it.)"""
from flask import current_app, has_request_context, render_template, request
from flask_login import current_user

from . import democlock, formats, wards
from .access import menu
from .models import ROLE_LABELS


def wants_fragment():
    """An htmx request for part of a page; boosted navigation and history restore get the whole page."""
    headers = request.headers
    return bool(
        headers.get("HX-Request")
        and not headers.get("HX-Boosted")
        and not headers.get("HX-History-Restore-Request")
    )


def render_page(template, fragment, status=200, **context):
    """Render the page, or only its swappable fragment when htmx asked for it."""
    return render_template(fragment if wants_fragment() else template, **context), status


def _page_context():
    """The ward (loaded with the signed-in person: no query) and what the menu may show (its queues ask
    lending, which asks the database at most once a request, and not at all for a person lent nothing)."""
    if not has_request_context():  # PDFs render outside requests too; they are given their ward
        return {}
    user = current_user._get_current_object()  # the person, not the proxy, for the menu's dozen questions
    return {"ward": wards.of_user(user), "may": menu(user), "demo_today": democlock.demo_today()}


def vn_datetime(value):
    return formats.vn_datetime(value, current_app.config["TIMEZONE"])


def init_app(app):
    app.context_processor(_page_context)
    for name in ("vn_date", "decree_date", "decree_short_date", "file_size", "points", "vn_number", "paragraphs"):
        app.add_template_filter(getattr(formats, name), name)
    app.add_template_filter(vn_datetime)
    app.add_template_filter(formats.vn_points, "hundredths")
    app.jinja_env.globals["ROLE_LABELS"] = {r.value: label for r, label in ROLE_LABELS.items()}
