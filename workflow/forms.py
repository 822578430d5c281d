"""Base form: WTForms' built-in messages in Vietnamese, and shared field types."""
import math
import re

from flask_wtf import FlaskForm
from wtforms import DateField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation
from wtforms.widgets import TextInput

from .formats import parse_vn_number, vn_number

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
}


class _Vietnamese:
    def gettext(self, string):
        return VI_MESSAGES.get(string, string)

    def ngettext(self, singular, plural, n):
        return self.gettext(singular if n == 1 else plural)


class BaseForm(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return _Vietnamese()


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
