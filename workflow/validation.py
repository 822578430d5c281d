"""Errors that services raise and views turn into field messages (422) or conflicts (409), and the bounds
every value typed into the app must keep whatever the way it comes in (a form, a query string, an
imported sheet): ids and whole numbers within the database's integer, dates within a sane window,
text without control characters."""
import math
import re
from datetime import date, datetime

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
MIN_INT, MAX_INT = -(2**31), 2**31 - 1  # PostgreSQL integer (SQLite holds up to 2^63 - 1)
MAX_FLOAT = 1e15  # far above any figure or score here; sums of such numbers stay finite
DATE_MIN, DATE_MAX = date(2000, 1, 1), date(2100, 12, 31)  # a plan's dates, and room around them

INT_RANGE = "Số nằm ngoài giới hạn cho phép (từ -2.147.483.648 đến 2.147.483.647)."
FLOAT_RANGE = "Số quá lớn (tối đa 1.000.000.000.000.000)."
DATE_RANGE = f"Ngày phải trong khoảng {DATE_MIN:%d/%m/%Y} – {DATE_MAX:%d/%m/%Y}."
CONTROL_CHARS = ("Nội dung có ký tự điều khiển không hiển thị được (như NUL); "
                 "các ký tự đó đã được bỏ đi, vui lòng kiểm tra rồi gửi lại.")
LINE_BREAK = "Ô này chỉ nhận một dòng; các dấu xuống dòng đã được bỏ đi, vui lòng kiểm tra rồi gửi lại."
NOT_TEXT = "Ô này nhận chữ hoặc số, không nhận tệp đính kèm."

# C0 and C1 controls and DEL; tab, line feed and carriage return are dealt with by the field's kind
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"[\r\n]+")


def parse_id(text):
    """A row id from user input, or None: ASCII digits only, within the column's range (a 5,000-digit
    string is refused by its length, before Python is asked to read it)."""
    if isinstance(text, int) and not isinstance(text, bool):  # already a number (a caller in Python)
        return text if 0 <= text <= MAX_ID else None
    text = text.strip() if isinstance(text, str) else ""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)) or int(text) > MAX_ID:
        return None
    return int(text)


def int_in_range(value):
    return MIN_INT <= value <= MAX_INT


def float_in_range(value):
    return math.isfinite(value) and -MAX_FLOAT <= value <= MAX_FLOAT


def date_in_range(value):
    return DATE_MIN <= value <= DATE_MAX


def check_date(value, field):
    """For what reaches a service without a form (an imported sheet): the date (of a datetime, its
    day), or FieldError(field) unless it is a date within DATE_MIN..DATE_MAX."""
    day = value.date() if isinstance(value, datetime) else value
    if not isinstance(day, date) or not date_in_range(day):
        raise FieldError(field, DATE_RANGE)
    return day


def check_int(value, field):
    """The same for a whole number: FieldError(field) unless it fits the database's integer."""
    if isinstance(value, bool) or not isinstance(value, int) or not int_in_range(value):
        raise FieldError(field, INT_RANGE)
    return value


def text_problem(text, multiline=True):
    """The message for text that may not be stored as typed, or None: control characters (NUL,
    which PostgreSQL refuses in text, among them) anywhere, line breaks in a one-line field."""
    if _CONTROLS.search(text):
        return CONTROL_CHARS
    if not multiline and _LINE_BREAKS.search(text):
        return LINE_BREAK
    return None


def clean_text(text, multiline=True):
    """`text` without what text_problem() refuses (a line break in a one-line field becomes a space),
    to show back beside the message: never stored, since the field is refused."""
    text = _CONTROLS.sub("", text)
    return text if multiline else _LINE_BREAKS.sub(" ", text)


class IdConverter(IntegerConverter):
    """`<int:…>` in URLs, bounded so an absurd id is a 404, not an overflow; ASCII digits only, so
    "/tasks/١" (an Arabic-Indic one) is no second address of task 1."""
    regex = r"[0-9]+"

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)
