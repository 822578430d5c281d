"""The sign-in form, the password forms (forgotten, reset by e-mail, changed) and the empty form of
button-only POSTs.

A new password follows the rule the admin's account form and `flask create-user` apply: 8 to 128
characters (PASSWORD_MIN/PASSWORD_MAX)."""
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from ..forms import BaseForm

PASSWORD_MIN, PASSWORD_MAX = 8, 128
PASSWORD_LENGTH = f"Mật khẩu cần từ {PASSWORD_MIN} đến {PASSWORD_MAX} ký tự."
NOT_REPEATED = "Mật khẩu nhập lại không khớp."
SAME_AS_OLD = "Mật khẩu mới phải khác mật khẩu hiện tại."


class LoginForm(BaseForm):
    username = StringField("Tên đăng nhập", validators=[
        DataRequired("Vui lòng nhập tên đăng nhập."), Length(max=64)])
    password = PasswordField("Mật khẩu", validators=[DataRequired("Vui lòng nhập mật khẩu.")])


class EmptyForm(BaseForm):
    """For button-only POSTs (logout, actions) so they still carry CSRF."""


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class ForgotPasswordForm(BaseForm):
    email = StringField("Địa chỉ email của tài khoản", filters=[_strip], validators=[
        DataRequired("Vui lòng nhập địa chỉ email."), Length(max=200, message="Tối đa 200 ký tự."),
        Email("Địa chỉ email không hợp lệ.")],
        render_kw={"autocomplete": "email", "inputmode": "email"})


class NewPasswordForm(BaseForm):
    """A new password typed twice."""
    new_password = PasswordField("Mật khẩu mới", validators=[
        DataRequired("Vui lòng nhập mật khẩu mới."),
        Length(min=PASSWORD_MIN, max=PASSWORD_MAX, message=PASSWORD_LENGTH)],
        description=f"Từ {PASSWORD_MIN} đến {PASSWORD_MAX} ký tự.", render_kw={"autocomplete": "new-password"})
    confirm = PasswordField("Nhập lại mật khẩu mới", validators=[
        DataRequired("Vui lòng nhập lại mật khẩu mới."), EqualTo("new_password", NOT_REPEATED)],
        render_kw={"autocomplete": "new-password"})


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField("Mật khẩu hiện tại", validators=[
        DataRequired("Vui lòng nhập mật khẩu hiện tại.")], render_kw={"autocomplete": "current-password"})
