"""Base form: WTForms' built-in messages in Vietnamese, and shared field types."""
from flask_wtf import FlaskForm
from wtforms import DateField
from wtforms.fields.choices import SelectChoice

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


class VNDateField(DateField):
    """Accepts the browser's ISO date and the dd/mm/yyyy people type by hand."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", ["%Y-%m-%d", "%d/%m/%Y"])
        super().__init__(label, validators, **kwargs)


def choices(pairs):
    """(value, label) pairs as WTForms 3.3+ wants them."""
    return [SelectChoice(value, label) for value, label in pairs]
