"""The texts of a message: templates/mail/<name>.txt and .html rendered with the same context, the
item's link and the one-click stop link at the foot of every message that can be stopped."""
from flask import current_app, render_template
from itsdangerous import BadSignature, URLSafeSerializer

from .. import wards
from ..models import MAIL_CATEGORIES, UNSTOPPABLE
from .outbox import Message

STOP_SALT = "mail-stop"


def absolute(path):
    """A link that works from a mail reader: BASE_URL (the address users reach the site at) + path."""
    return current_app.config["BASE_URL"].rstrip("/") + path


def stop_token(user, category):
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=STOP_SALT).dumps([user.id, category])


def read_stop_token(token):
    """(user id, category) of a stop link, or None when it was not made here."""
    try:
        user_id, category = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=STOP_SALT).loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    return (user_id, category) if category in MAIL_CATEGORIES else None


def stop_link(user, category):
    """The one-click stop link of `category` for `user` (None for a kind that cannot be stopped); the
    sender puts the same link in the List-Unsubscribe header."""
    if category in UNSTOPPABLE or category not in MAIL_CATEGORIES:
        return None
    return absolute(f"/mail/stop/{stop_token(user, category)}")


def message(name, *, key, category, user, subject, link=None, item_kind=None, item_id=None, to=None, **context):
    """A Message from templates/mail/<name>.txt and <name>.html. `link` is a path in the app (the item,
    the list); `context` is what the templates name. `user` None and `to` an address: a person without
    an account (a unit head), whose message has no stop link: it is one per late period."""
    # Outside a request no context processor names the ward (the foot says who sends the message).
    if "ward" not in context:
        context["ward"] = wards.of_user(user)
    context.update(user=user, link=absolute(link) if link else None,
                   stop_link=stop_link(user, category) if user is not None else None,
                   stop_words=MAIL_CATEGORIES[category], subject=subject)
    return Message(key=key, category=category, user=user, subject=subject,
                   text=render_template(f"mail/{name}.txt", **context),
                   html=render_template(f"mail/{name}.html", **context), item_kind=item_kind, item_id=item_id, to=to)
