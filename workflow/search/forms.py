"""The search page's form: a plain GET form (no CSRF), read through BaseForm like every input."""
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from ..forms import BaseForm, choices
from ..models import State
from .query import MAX_QUERY, TOO_LONG, Filters


class SearchForm(BaseForm):
    class Meta:
        csrf = False

    q = StringField("Từ khóa", validators=[Optional(), Length(max=MAX_QUERY, message=TOO_LONG)])
    period = SelectField("Kỳ báo cáo", coerce=int, validate_choice=True, default=0)
    unit = SelectField("Đơn vị", coerce=int, validate_choice=True, default=0)
    kind = SelectField("Loại", validate_choice=True, default="")
    state = SelectField("Trạng thái", validate_choice=True, default="")
    page = IntegerField("Trang", default=1, validators=[Optional(), NumberRange(min=1, message="Trang không hợp lệ.")])

    def set_choices(self, periods, units, kind_labels):
        """The selects' choices; `kind_labels` is [(kind key, label)]."""
        self.period.choices = choices([(0, "Tất cả các kỳ")] + [(p.id, p.name) for p in periods])
        self.unit.choices = choices([(0, "Tất cả đơn vị")] + [(u.id, u.name) for u in units])
        self.kind.choices = choices([("", "Tất cả các loại")] + list(kind_labels))
        self.state.choices = choices([("", "Mọi trạng thái")] + [(s.value, s.label) for s in State])

    def filters(self):
        return Filters(period_id=self.period.data or None, unit_id=self.unit.data or None,
                       kind=self.kind.data or None, state=State(self.state.data) if self.state.data else None)
