"""Errors that services raise and views turn into field messages (422) or conflicts (409)."""
from werkzeug.exceptions import Conflict
from werkzeug.routing import IntegerConverter

STALE_MESSAGE = ("Dữ liệu này vừa được người khác thay đổi. Thay đổi của bạn chưa được lưu; "
                 "hãy xem bản mới nhất rồi thực hiện lại.")


class FieldError(Exception):
    """A value that is well-formed but breaks a rule of the domain."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field = field
        self.message = message


class StaleVersion(Conflict):
    description = STALE_MESSAGE


def check_version(obj, submitted):
    try:
        fresh = int(submitted) == obj.version
    except (TypeError, ValueError):
        fresh = False
    if not fresh:
        raise StaleVersion()


def field_named(form, name):
    """The field of `form` whose input is called `name`, also inside FieldLists ("lines-0-points")."""
    for field in form:
        if field.name == name:
            return field
        for entry in getattr(field, "entries", ()):
            inner = getattr(entry, "form", None)
            found = field_named(inner, name) if inner is not None else (entry if entry.name == name else None)
            if found is not None:
                return found
    return None


def attach(form, error):
    """Show a service's FieldError beside the field it concerns."""
    field = field_named(form, error.field)
    if field is None:
        form.form_errors.append(error.message)
    else:
        field.errors = list(field.errors) + [error.message]


MAX_ID = 2**31 - 1  # PostgreSQL integer ids; anything larger cannot name a row


def parse_id(text):
    """A row id from user input, or None: ASCII digits only, within the column's range."""
    text = (text or "").strip()
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_ID:
        return None
    return int(text)


class IdConverter(IntegerConverter):
    """`<int:…>` in URLs, bounded so an absurd id is a 404, not an overflow."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)
