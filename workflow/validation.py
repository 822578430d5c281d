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


class Incomplete(FieldError):
    """Content that may be saved as a draft but not sent: every problem, each beside its field."""

    def __init__(self, problems):
        super().__init__(problems[0][0], "Hồ sơ chưa đủ để gửi: " + " ".join(m for _, m in problems))
        self.problems = list(problems)


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
    """The field of `form` whose input is called `name`, also inside FieldLists ("lines-0-points"),
    or a row's form by the row's name ("lines-0")."""
    for field in form:
        if field.name == name:
            return field
        for entry in getattr(field, "entries", ()):
            inner = getattr(entry, "form", None)
            if entry.name == name:  # a whole row ("dossier_rows-2"): its own form carries the message
                return entry if inner is None else inner
            found = field_named(inner, name) if inner is not None else None
            if found is not None:
                return found
    return None


def attach(form, error):
    """Show a service's FieldError beside the field it concerns (each problem of an Incomplete)."""
    for name, message in getattr(error, "problems", None) or [(error.field, error.message)]:
        field = field_named(form, name)
        if field is None:
            form.form_errors.append(message)
        elif hasattr(field, "form_errors"):  # a row's form
            field.form_errors.append(message)
        else:
            field.errors = list(field.errors) + [message]


def warn(form, problems):
    """Show a draft's problems beside their fields as warnings: saved, but not yet ready to send.
    Returns those with no field to sit beside, for the form's own warning list."""
    loose = []
    for name, message in problems:
        field = field_named(form, name)
        if field is None:
            loose.append(message)
        else:
            field.warnings = [*getattr(field, "warnings", ()), message]
    return loose


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
