"""Forms of a nomination: the unit's entries, and VHXH's verdict on each."""
from wtforms import FieldList, FormField, SelectField, StringField, TextAreaField
from wtforms.validators import Length

from ..forms import BaseForm, choices
from ..items.forms import version_field
from ..models import NOMINEE_KINDS

VERDICTS = {"": "— Chưa thẩm định —", "yes": "Đồng ý", "no": "Không đồng ý"}


def _text(label, size, area=False):
    field = TextAreaField if area else StringField
    return field(label, validators=[Length(max=size, message=f"Tối đa {size:,} ký tự.".replace(",", "."))])


class EntryForm(BaseForm):
    class Meta:
        csrf = False

    kind = SelectField("Loại", choices=choices(NOMINEE_KINDS.items()), default="individual")
    name = _text("Tên tập thể / Họ và tên", 200)
    title = _text("Chức vụ (cá nhân)", 200)
    achievement = _text("Thành tích trong công tác CCHC", 5000, area=True)
    evidence = _text("Minh chứng", 5000, area=True)

    def is_blank(self):
        return not any((self[n].data or "").strip() for n in ("name", "title", "achievement", "evidence"))


class NominationForm(BaseForm):
    version = version_field()
    entries = FieldList(FormField(EntryForm))


class VerdictForm(BaseForm):
    class Meta:
        csrf = False

    verdict = SelectField("Thẩm định", choices=choices(VERDICTS.items()))
    note = _text("Ý kiến thẩm định", 5000, area=True)


class AppraisalForm(BaseForm):
    version = version_field()
    verdicts = FieldList(FormField(VerdictForm))


class DecisionForm(BaseForm):
    version = version_field()
