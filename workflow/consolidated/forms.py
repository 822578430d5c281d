"""The consolidated report's edit form."""
from wtforms import FieldList, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..forms import BaseForm
from ..items.forms import version_field


class ConsolidatedForm(BaseForm):
    version = version_field()
    summary = StringField("Trích yếu", validators=[
        DataRequired("Vui lòng nhập trích yếu."), Length(max=300, message="Tối đa 300 ký tự.")])
    intro = TextAreaField("Mở đầu", validators=[Length(max=5000)])
    sections = FieldList(TextAreaField(validators=[Length(max=100000)]))
    limitations = TextAreaField("Tồn tại, hạn chế", validators=[Length(max=50000)])
    causes = TextAreaField("Nguyên nhân", validators=[Length(max=50000)])
    next_steps = TextAreaField("Phương hướng, nhiệm vụ kỳ tới", validators=[Length(max=50000)])
    proposals = TextAreaField("Đề xuất, kiến nghị", validators=[Length(max=50000)])
    recipients = TextAreaField("Nơi nhận (mỗi dòng một nơi; dòng “Lưu: VT, …” được thêm khi ban hành)",
                               validators=[Length(max=3000)])

