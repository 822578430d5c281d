"""Forms of the self-assessment (the unit's scores), its appraisal (VHXH's) and the ranking sheet.

Bounds that depend on the criterion (0..max, or -max..0 for a penalty) are the service's to check;
these forms check what every score shares: a finite number of sensible size, texts of bounded length."""
from wtforms import FieldList, FormField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..forms import BaseForm, VNNumberField, choices
from ..items.forms import version_field
from ..models import INITIATIVE_KINDS

POINTS_RANGE = "Điểm từ -1.000 đến 1.000."


def points_field(label):
    return VNNumberField(label, validators=[Optional(), NumberRange(-1000, 1000, message=POINTS_RANGE)])


class ScoreLineForm(BaseForm):
    class Meta:
        csrf = False

    points = points_field("Điểm")
    text = TextAreaField("Giải trình", validators=[Length(max=5000, message="Tối đa 5.000 ký tự.")])


class InitiativeForm(BaseForm):
    class Meta:
        csrf = False

    kind = SelectField("Loại", choices=choices(INITIATIVE_KINDS.items()))
    title = StringField("Tên sáng kiến, mô hình", validators=[Length(max=300, message="Tối đa 300 ký tự.")])
    description = TextAreaField("Nội dung, hiệu quả", validators=[Length(max=5000, message="Tối đa 5.000 ký tự.")])
    points = VNNumberField("Điểm đề xuất", validators=[
        Optional(), NumberRange(0, 1000, message="Điểm từ 0 đến 1.000.")])

    def is_blank(self):
        return not any((self[n].data or "").strip() for n in ("title", "description")) and self.points.data is None


class SelfAssessmentForm(BaseForm):
    version = version_field()
    lines = FieldList(FormField(ScoreLineForm))
    initiatives = FieldList(FormField(InitiativeForm))


class AppraisalForm(BaseForm):
    version = version_field()
    lines = FieldList(FormField(ScoreLineForm))
    awards = FieldList(FormField(ScoreLineForm))


class RankingSheetForm(BaseForm):
    version = version_field()


PROPOSAL_REASON = "Lý do đề nghị áp dụng cho kỳ đang chạy"


class ProposalForm(BaseForm):
    """A proposal to apply the active scheme version to a running period: its reason (the draft's form,
    after a return, carries the version too)."""
    version = HiddenField()
    reason = TextAreaField(PROPOSAL_REASON, validators=[
        DataRequired("Vui lòng nêu lý do đề nghị áp dụng cho kỳ đang chạy."),
        Length(max=2000, message="Tối đa 2.000 ký tự.")])
