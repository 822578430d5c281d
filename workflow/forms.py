"""Base form: the one input layer every form of the app goes through, WTForms' built-in messages in
Vietnamese, and shared field types.

Whatever a form is, BaseForm holds its fields to what can be stored and shown (validation.py has the
bounds and the messages, for the services that read input without a form):

- text without control characters (NUL among them: PostgreSQL refuses it in text); tab, line feed and
  carriage return only in multi-line text, tab only in a one-line field;
- a file only where a file is asked for: a file part named like a text field is refused, never read
  as text (it used to reach `strip` and `len` and answer 500);
- whole numbers within the database's integer, other numbers finite and of sensible size, dates
  within DATE_MIN..DATE_MAX (a period due 31/12/9999 made every page that counts days overflow);
- field names with an absurd row index (5,000 digits) are ignored, not read as a number.

Each refusal is a message beside its field, so the form answers 422 like any other invalid value.
"""
import math
import re
from datetime import date, datetime
from decimal import Decimal

from flask import request
from flask_wtf import FlaskForm
from flask_wtf.file import FileField as FlaskFileField
from flask_wtf.form import SUBMIT_METHODS
from werkzeug.datastructures import ImmutableMultiDict
from wtforms import (DateField, DateTimeField, DecimalField, FieldList, FileField, FloatField, FormField,
                     IntegerField, StringField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation
from wtforms.widgets import TextArea, TextInput

from .formats import parse_vn_number, vn_number
from .validation import DATE_MAX, DATE_MIN  # noqa: F401  (forms.DATE_MIN/DATE_MAX: every date field's window)
from .validation import (DATE_RANGE, FLOAT_RANGE, INT_RANGE, NOT_TEXT, clean_text, date_in_range, float_in_range,
                         int_in_range, text_problem)

VI_MESSAGES = {
    "This field is required.": "Trường này là bắt buộc.",
    "Not a valid date value.": "Ngày không hợp lệ (dd/mm/yyyy).",
    "Not a valid integer value.": "Vui lòng nhập một số nguyên.",
    "Not a valid float value.": "Vui lòng nhập một số.",
    "Not a valid decimal value.": "Vui lòng nhập một số.",
    "Not a valid choice.": "Lựa chọn không hợp lệ.",
    "One or more data is invalid.": "Có lựa chọn không hợp lệ.",
    "Invalid email address.": "Địa chỉ email không hợp lệ.",
    "Invalid input.": "Giá trị không hợp lệ.",
    "The CSRF token is missing.": "Thiếu mã bảo mật của biểu mẫu; vui lòng tải lại trang.",
    "The CSRF token is invalid.": "Mã bảo mật của biểu mẫu không hợp lệ; vui lòng tải lại trang.",
    "The CSRF token has expired.": "Mã bảo mật của biểu mẫu đã hết hạn; vui lòng tải lại trang.",
    "The CSRF tokens do not match.": "Mã bảo mật của biểu mẫu không khớp; vui lòng tải lại trang.",
    "Invalid Choice: could not coerce.": "Lựa chọn không hợp lệ.",
    "Invalid choice(s): one or more data inputs could not be coerced.": "Có lựa chọn không hợp lệ.",
    "'%(value)s' is not a valid choice for this field.": "Có lựa chọn không hợp lệ.",
    "'%(value)s' are not valid choices for this field.": "Có lựa chọn không hợp lệ.",
    "Field cannot be longer than %(max)d character.": "Tối đa %(max)d ký tự.",
    "Field cannot be longer than %(max)d characters.": "Tối đa %(max)d ký tự.",
    "Field must be at least %(min)d character long.": "Tối thiểu %(min)d ký tự.",
    "Field must be at least %(min)d characters long.": "Tối thiểu %(min)d ký tự.",
    "Field must be between %(min)d and %(max)d characters long.": "Từ %(min)d đến %(max)d ký tự.",
    "Number must be at least %(min)s.": "Số không được nhỏ hơn %(min)s.",
    "Number must be at most %(max)s.": "Số không được lớn hơn %(max)s.",
    "Number must be between %(min)s and %(max)s.": "Số phải từ %(min)s đến %(max)s.",
    "Not a valid datetime value.": "Thời điểm không hợp lệ.",
    "File does not have an approved extension.": "Loại tệp không được nhận.",
}


class _Vietnamese:
    def gettext(self, string):
        return VI_MESSAGES.get(string, string)

    def ngettext(self, singular, plural, n):
        return self.gettext(singular if n == 1 else plural)


MAX_INDEX_DIGITS = 6  # "sections-12": a row of a list; "sections-<5,000 digits>" is no row of anything


def _absurd_key(key):
    """A name with a row index no form has: 5,000 digits (FieldList would fail reading it as a number),
    or digits that are not ASCII ("sections-١" would be read as row 1)."""
    return any(part.isdigit() and (len(part) > MAX_INDEX_DIGITS or not part.isascii()) for part in key.split("-"))


class GuardedInput:
    """The request's values as the fields read them: a file part is given only to a file field (a text
    field reads "" instead, and its name is noted for a message), and keys with an absurd row index
    are left out (FieldList would read the index as a number). Shared by a form and its nested forms."""

    def __init__(self, formdata):
        self.formdata, self.file_names, self.files_refused = formdata, set(), set()

    def __iter__(self):
        return (key for key in self.formdata if not _absurd_key(key))

    def __contains__(self, key):
        return key in self.formdata and not _absurd_key(key)

    def __len__(self):
        return len(self.formdata)

    def __bool__(self):
        return bool(self.formdata)

    def getlist(self, key):
        values = self.formdata.getlist(key)
        if key in self.file_names:
            return values
        if any(not isinstance(v, str) for v in values):
            self.files_refused.add(key)
            return [v if isinstance(v, str) else "" for v in values]
        return values

    def get(self, key, default=None):
        values = self.getlist(key)
        return values[0] if values else default

    def keys(self):
        return list(self)


def _is_file(field):
    return isinstance(field, (FileField, FlaskFileField))


def _leaves(form):
    """The form's own input fields: its fields and the entries of its plain FieldLists (nested forms
    are BaseForms of their own and check themselves)."""
    for field in form:
        if isinstance(field, FieldList):
            yield from (entry for entry in field.entries if not isinstance(entry, FormField))
        elif not isinstance(field, FormField):
            yield field


def _stop_validation(_form):
    raise StopValidation()


def refuse(field, message):
    """A value that may not be stored: its message beside the field, alone (the field's own checks are
    skipped: they would only speak of a value that is not what was typed)."""
    field.process_errors = [message]
    field.pre_validate = _stop_validation


def _is_multiline(field):
    return isinstance(field.widget, TextArea)


def _check_text(field, guard):
    if guard is not None and field.name in guard.files_refused:
        refuse(field, NOT_TEXT)
        return
    raw = [v for v in (field.raw_data or ()) if isinstance(v, str)]
    multiline = _is_multiline(field)
    problem = next((p for p in (text_problem(v, multiline) for v in raw) if p), None)
    if problem is None:
        return
    field.raw_data = [clean_text(v, multiline) for v in raw]  # shown back without what cannot be shown
    if isinstance(field.data, str):
        field.data = clean_text(field.data, multiline)
    refuse(field, problem)


def _bound_problem(field):
    """Why a value the field could read still cannot be stored, or None."""
    data = field.data
    if data is None or isinstance(data, bool):
        return None
    if isinstance(field, (DateField, DateTimeField)) and isinstance(data, date):
        return None if date_in_range(data.date() if isinstance(data, datetime) else data) else DATE_RANGE
    if isinstance(data, int) and (isinstance(field, IntegerField) or getattr(field, "whole", False)):
        return None if int_in_range(data) else INT_RANGE
    if isinstance(data, (float, Decimal)) or isinstance(field, (FloatField, DecimalField, VNNumberField)):
        try:
            return None if float_in_range(float(data)) else FLOAT_RANGE
        except (OverflowError, TypeError, ValueError):
            return FLOAT_RANGE
    return None


def _json_post(formdata):
    """A form left to read the request (Flask-WTF's default) of a POST with a JSON body: Flask-WTF would
    build its input from the JSON, which fails on anything but an object of strings."""
    return (formdata is not None and not hasattr(formdata, "getlist") and bool(request)
            and request.method in SUBMIT_METHODS and request.is_json)


class BaseForm(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return _Vietnamese()

        def wrap_formdata(self, form, formdata):
            if _json_post(formdata):  # no form of the app is sent as JSON: an empty form, not a 500
                formdata = ImmutableMultiDict()
            formdata = super().wrap_formdata(form, formdata)
            if formdata is None:
                return None
            guard = formdata if isinstance(formdata, GuardedInput) else GuardedInput(formdata)
            guard.file_names.update(field.name for field in form if _is_file(field))
            form._guard = guard
            return guard

    _guard = None

    def post_process(self, formdata=None):
        """After every field has read its value: refuse what may not be stored, beside its field."""
        super().post_process(formdata)
        if self._guard is None:
            return
        for field in _leaves(self):
            if not _is_file(field):
                _check_text(field, self._guard)

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        for field in _leaves(self):
            problem = None if field.errors else _bound_problem(field)
            if problem:
                field.errors = [*field.errors, problem]
                ok = False
        return ok


DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]  # the first is how a date is shown


class VNDateField(DateField):
    """A date as dd/mm/yyyy whatever the browser's language: a text input, read on the server (a date
    input shows and reads the date in the order of the browser's language, so 15/08 typed in an
    English browser becomes 8 December). static/app.js adds a calendar button that writes dd/mm/yyyy."""
    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", DATE_FORMATS)
        render_kw = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off",
                     "pattern": r"\d{1,2}/\d{1,2}/\d{4}", "data-date": "",
                     "title": "Ngày dạng dd/mm/yyyy, ví dụ 05/09/2025", **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)


def choices(pairs):
    """(value, label) pairs as WTForms 3.3+ wants them."""
    return [SelectChoice(value, label) for value, label in pairs]


NOT_A_NUMBER = "Vui lòng nhập một số. Ví dụ: 95,5 hoặc 1.200."
NOT_WHOLE = "Vui lòng nhập một số nguyên."
EXPONENT = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")


class VNNumberField(StringField):
    """A number typed the Vietnamese way ("95,5", "95.5", "1.200"), read on the server: a text input
    (a number input would turn "95,5" into 955 in some browsers), shown back with the decimal comma.
    A value that cannot be read is refused with a message beside the field, never changed silently."""

    def __init__(self, label=None, validators=None, whole=False, **kwargs):
        self.whole = whole
        render_kw = {"inputmode": "numeric" if whole else "decimal", "autocomplete": "off",
                     **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def process_formdata(self, valuelist):
        raw = valuelist[0].strip() if valuelist and valuelist[0] else ""
        self.data = None
        if not raw:
            return
        try:
            value = float(raw) if EXPONENT.match(raw) else parse_vn_number(raw)
        except ValueError:
            raise ValueError(NOT_A_NUMBER)
        if not math.isfinite(value):
            raise ValueError(NOT_A_NUMBER)
        if self.whole and value != int(value):
            raise ValueError(NOT_WHOLE)
        self.data = int(value) if self.whole else value

    def pre_validate(self, form):
        if self.process_errors:  # unreadable: its message only, not a range message about nothing
            raise StopValidation()

    def _value(self):
        if self.raw_data and self.errors:  # what was typed, to correct it
            return self.raw_data[0]
        return "" if self.data is None else vn_number(self.data, 6)
