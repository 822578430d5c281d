"""Errors that services raise and views turn into field messages (422) or conflicts (409)."""
from werkzeug.exceptions import Conflict

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


def attach(form, error):
    """Show a service's FieldError beside the field it concerns."""
    field = getattr(form, error.field, None)
    if field is None:
        form.form_errors.append(error.message)
    else:
        field.errors = list(field.errors) + [error.message]
