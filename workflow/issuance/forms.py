"""Forms of the register (a number taken by hand) and of the delegations."""
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..forms import BaseForm, VNDateField, choices
from ..models import DOC_TYPES, ROLE_LABELS
from .delegations import LENDABLE


class ReserveForm(BaseForm):
    doc_type = SelectField("Loại văn bản", choices=choices(DOC_TYPES.items()), validate_choice=True)
    symbol = StringField("Ký hiệu", validators=[Optional(), Length(max=40, message="Tối đa 40 ký tự.")],
                         description="Ví dụ QĐ-UBND, UBND-VP; để trống: <loại>-UBND.")
    issued_on = VNDateField("Ngày văn bản", validators=[InputRequired("Vui lòng nhập ngày văn bản.")])
    summary = StringField("Trích yếu", validators=[DataRequired("Vui lòng nhập trích yếu."),
                                                   Length(max=500, message="Tối đa 500 ký tự.")])
    signer_name = StringField("Người ký", validators=[Optional(), Length(max=120)])
    signer_title = StringField("Chức vụ người ký", validators=[Optional(), Length(max=120)])
    note = TextAreaField("Ghi chú", validators=[Optional(), Length(max=2000)],
                         description="Ví dụ: văn bản giấy ký ngoài hệ thống.")


class DelegationForm(BaseForm):
    delegator = SelectField("Người ủy quyền", coerce=int, validate_choice=True)
    role = SelectField("Ủy quyền việc", choices=choices((r.value, ROLE_LABELS[r]) for r in LENDABLE),
                       validate_choice=True)
    kind = SelectField("Loại hồ sơ", validate_choice=True)
    delegate = SelectField("Người được ủy quyền", coerce=int, validate_choice=True)
    starts_on = VNDateField("Từ ngày", validators=[InputRequired("Vui lòng nhập ngày bắt đầu.")])
    ends_on = VNDateField("Đến hết ngày", validators=[InputRequired("Vui lòng nhập ngày kết thúc.")])
    reason = TextAreaField("Lý do", validators=[DataRequired("Vui lòng nêu lý do (ví dụ: đi công tác)."),
                                                Length(max=1000, message="Tối đa 1000 ký tự.")])
