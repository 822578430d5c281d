"""The task catalogue's filter form."""
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from ..forms import BaseForm, VNDateField, choices


class TaskFilterForm(BaseForm):
    """Plain GET filter form: works without JavaScript and under htmx active search."""

    class Meta:
        csrf = False

    q = StringField("Tìm kiếm", validators=[Optional(), Length(max=100, message="Tối đa 100 ký tự.")])
    area = SelectField("Lĩnh vực", coerce=int, validate_choice=True, default=0)
    unit = SelectField("Đơn vị chủ trì", coerce=int, validate_choice=True, default=0)
    before = VNDateField("Hạn đến ngày", validators=[Optional()])
    period = SelectField("Tình trạng trong kỳ", coerce=int, validate_choice=True, default=0)
    page = IntegerField("Trang", default=1, validators=[Optional(), NumberRange(min=1, message="Trang không hợp lệ.")])

    def set_choices(self, areas, units, periods):
        self.area.choices = choices([(0, "Tất cả lĩnh vực")] + [(a.id, a.label) for a in areas])
        self.unit.choices = choices([(0, "Tất cả đơn vị")] + [(u.id, u.name) for u in units])
        self.period.choices = choices([(0, "Không hiện")] + [(p.id, p.name) for p in periods])
