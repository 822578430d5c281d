"""Jinja filters (Vietnamese dates, local time) and the fragment-or-page rule of htmx."""
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context, render_template, request

from .models import ROLE_LABELS


def vn_date(value):
    return value.strftime("%d/%m/%Y") if isinstance(value, date) else ""


def vn_datetime(value):
    """Stored times are naive UTC; show them in the ward's time zone."""
    if not isinstance(value, datetime):
        return ""
    local = value.replace(tzinfo=timezone.utc).astimezone(ZoneInfo(current_app.config["TIMEZONE"]))
    return local.strftime("%H:%M %d/%m/%Y")


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


def _nav_counts():
    """The unread-notification badge of the top bar: one query per page, in Python, not in the template."""
    from flask_login import current_user
    from .items.queries import unread_count
    if not has_request_context() or not current_user.is_authenticated:  # PDFs render outside requests too
        return {}
    return {"unread_count": unread_count(current_user.id)}


def init_app(app):
    app.context_processor(_nav_counts)
    app.add_template_filter(vn_date)
    app.add_template_filter(vn_datetime)
    app.jinja_env.globals["ROLE_LABELS"] = {r.value: label for r, label in ROLE_LABELS.items()}
    from .items.states import STATE_LABELS  # here, not at the top: the items package imports this module
    app.jinja_env.globals["STATE_LABELS"] = STATE_LABELS
