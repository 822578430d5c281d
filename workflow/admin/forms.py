"""Forms of the catalogue: units, accounts, periods, tasks, and the .xlsx import."""
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (BooleanField, HiddenField, IntegerField, PasswordField, SelectField,
                     SelectMultipleField, StringField, TextAreaField)
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from ..downloads import XLSX as XLSX_MIMETYPE
from ..forms import BaseForm, VNDateField, choices
from ..models import ROLE_LABELS, ReportingPeriod
from .task_import import MAX_ROWS


def stripped(value):
    """An address pasted with a space around it is still the address."""
    return value.strip() if isinstance(value, str) else value


def required(what):
    return DataRequired(f"Vui lòng nhập {what}.")


def required_date(what):
    # DataRequired would wipe the field's own "invalid date" message; InputRequired keeps it.
    return InputRequired(f"Vui lòng nhập {what}.")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class UnitForm(BaseForm):
    code = StringField("Mã đơn vị", validators=[
        required("mã đơn vị"), Length(max=20, message="Tối đa 20 ký tự."),
        Regexp(r"^[A-Za-z0-9_-]+$", message="Chỉ dùng chữ không dấu, số, '-' hoặc '_'.")])
    name = StringField("Tên đơn vị", validators=[required("tên đơn vị"), Length(max=200, message="Tối đa 200 ký tự.")])
    abbreviation = StringField("Viết tắt trong ký hiệu văn bản", validators=[Optional(), Length(max=30, message="Tối đa 30 ký tự.")],
                               description="Ví dụ KT-HT&ĐT: số báo cáo của đơn vị có dạng 05/BC-KT-HT&ĐT.")
    head_title = StringField("Chức vụ người đứng đầu", validators=[Optional(), Length(max=80, message="Tối đa 80 ký tự.")],
                             description="Ví dụ Trưởng phòng, Giám đốc, Chánh Văn phòng: in ở chỗ ký báo cáo của đơn vị.")
    head_name = StringField("Họ và tên người đứng đầu", validators=[Optional(), Length(max=120, message="Tối đa 120 ký tự.")])
    head_email = StringField("Email người đứng đầu", filters=[stripped], validators=[Optional(), Email("Địa chỉ email không hợp lệ."),
                                                                 Length(max=200, message="Tối đa 200 ký tự.")],
                             description="Nhận thư báo khi đơn vị quá hạn gửi hồ sơ (theo chính sách nhắc hạn); "
                                         "người đứng đầu không cần tài khoản.")
    receives_dossiers = BooleanField("Tiếp nhận hồ sơ thủ tục hành chính (báo cáo Biểu II.06a)")
    active = BooleanField("Đang hoạt động", default=True)


class UserForm(BaseForm):
    username = StringField("Tên đăng nhập", validators=[
        required("tên đăng nhập"), Length(min=2, max=64, message="Từ 2 đến 64 ký tự."),
        Regexp(r"^[A-Za-z0-9._-]+$", message="Chỉ dùng chữ không dấu, số, '.', '-' hoặc '_'.")])
    full_name = StringField("Họ và tên", validators=[required("họ và tên"), Length(max=120, message="Tối đa 120 ký tự.")])
    title = StringField("Chức vụ", validators=[Optional(), Length(max=80, message="Tối đa 80 ký tự.")],
                        description="Như khi ký văn bản: Chủ tịch, Phó Chủ tịch, Chuyên viên…")
    email = StringField("Email", filters=[stripped], validators=[Optional(), Email("Địa chỉ email không hợp lệ."), Length(max=200)])
    unit = SelectField("Đơn vị", coerce=int, validators=[DataRequired("Vui lòng chọn đơn vị.")])
    roles = MultiCheckboxField("Vai trò", choices=choices((r.value, label) for r, label in ROLE_LABELS.items()),
                               validators=[DataRequired("Chọn ít nhất một vai trò.")])
    active = BooleanField("Đang hoạt động", default=True)
    password = PasswordField("Mật khẩu", validators=[
        Optional(), Length(min=8, max=128, message="Mật khẩu cần từ 8 đến 128 ký tự.")],
        description="Để trống khi sửa nếu không đổi mật khẩu.")


class PeriodForm(BaseForm):
    name = StringField("Tên kỳ báo cáo", validators=[required("tên kỳ báo cáo"), Length(max=100)])
    kind = SelectField("Loại kỳ", choices=choices(ReportingPeriod.KINDS.items()))
    start_date = VNDateField("Từ ngày", validators=[required_date("ngày bắt đầu")])
    end_date = VNDateField("Đến ngày", validators=[required_date("ngày kết thúc")])
    due_date = VNDateField("Hạn gửi báo cáo", validators=[required_date("hạn gửi báo cáo")])


class TaskForm(BaseForm):
    version = HiddenField()
    area = SelectField("Lĩnh vực", coerce=int, validators=[DataRequired("Vui lòng chọn lĩnh vực.")])
    code = StringField("Mã nhiệm vụ", validators=[
        required("mã nhiệm vụ"), Length(max=20, message="Tối đa 20 ký tự.")],
        description="Ví dụ: 3.a")
    title = StringField("Tên ngắn", validators=[required("tên nhiệm vụ"), Length(max=300, message="Tối đa 300 ký tự.")])
    content = TextAreaField("Nội dung", validators=[required("nội dung nhiệm vụ")])
    lead_unit = SelectField("Đơn vị chủ trì", coerce=int, validators=[DataRequired("Vui lòng chọn đơn vị chủ trì.")])
    cooperating_units = MultiCheckboxField("Đơn vị phối hợp", coerce=int)
    deadline = VNDateField("Thời hạn", validators=[required_date("thời hạn")])
    output = StringField("Sản phẩm", validators=[Optional(), Length(max=300, message="Tối đa 300 ký tự.")])
    position = IntegerField("Thứ tự", default=0, validators=[Optional()])


class HolidayForm(BaseForm):
    day = VNDateField("Ngày", validators=[required_date("ngày")])
    name = StringField("Tên ngày nghỉ", validators=[required("tên ngày nghỉ"), Length(max=200, message="Tối đa 200 ký tự.")],
                       description="Ví dụ: Quốc khánh 2/9.")
    working_day = BooleanField("Ngày làm việc bù",
                               description="Đánh dấu khi đây là thứ Bảy hoặc Chủ nhật phải đi làm bù cho một ngày nghỉ; "
                                           "để trống cho ngày nghỉ.")


class ImportForm(BaseForm):
    file = FileField("Tệp Excel (.xlsx)", validators=[
        FileRequired("Vui lòng chọn tệp Excel (.xlsx) cần nhập."),
        FileAllowed(["xlsx"], "Chỉ nhận tệp Excel có đuôi .xlsx.")],
        render_kw={"accept": f".xlsx,{XLSX_MIMETYPE}"},
        description=f"Tối đa {MAX_ROWS:,} dòng nhiệm vụ.".replace(",", "."))
