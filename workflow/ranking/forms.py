"""The scheme editor's form: one row per criterion of the base version, the bands (each with the assessment
of the unit head's responsibility that follows from it), the minimum basis for the top band, a note.

The rules across fields (maxima adding up to 100, bands descending) are schemes.problems(), the same
function the save service runs, so the messages beside the fields and the service never disagree.
"""
import math

from wtforms import FieldList, FloatField, FormField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import TextInput

from ..formats import vn_number
from ..forms import BaseForm, VNNumberField
from .criteria import RESUBMIT_DAYS, params_of
from .schemes import MAX_BANDS, MAX_MIN_TOP_TASKS, PARAMS, SUM_RULE, problems

STALE_FORM = "Biểu mẫu thiếu phiên bản; vui lòng tải lại trang."
NOT_FITTING = "Biểu mẫu không khớp với bộ tiêu chí hiện hành; vui lòng tải lại trang."
MAX_LABELS = {"bonus": "Cộng tối đa (điểm)", "penalty": "Trừ tối đa (điểm)"}


class PointsField(FloatField):
    """A number typed the Vietnamese way (12,5) or with a dot; NaN and infinity are refused.
    A text input: a number input would refuse (and blank) the decimal comma."""
    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "decimal"})
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            value = float(valuelist[0].strip().replace(",", "."))
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            self.data = None
            raise ValueError(self.gettext("Not a valid float value."))
        self.data = value

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else vn_number(self.data, 4)


class CriterionForm(BaseForm):
    class Meta:
        csrf = False

    code = HiddenField()
    label = StringField("Tên tiêu chí", validators=[DataRequired("Vui lòng nhập tên tiêu chí."),
                                                    Length(max=200, message="Tối đa 200 ký tự.")])
    max_points = PointsField("Điểm tối đa", validators=[InputRequired("Vui lòng nhập điểm tối đa."),
                                                        NumberRange(0, 100, "Từ 0 đến 100.")],
                             description=SUM_RULE)
    late_factor = PointsField(PARAMS["late_factor"][0], validators=[Optional(), NumberRange(0, 1, "Từ 0 đến 1.")],
                              description="0,5 = tính một nửa số điểm khi trễ hạn.")
    per_item = PointsField(PARAMS["per_item"][0], validators=[Optional(), NumberRange(0, 100, "Từ 0 đến 100.")])
    resubmit_working_days = IntegerField(
        PARAMS["resubmit_working_days"][0], validators=[Optional(), NumberRange(0, 30, "Từ 0 đến 30 ngày.")],
        render_kw={"inputmode": "numeric"},
        description=f"Báo cáo gửi lần đầu đúng hạn, bị trả lại, gửi lại trong số ngày làm việc này (không kể thứ Bảy, "
                    f"Chủ nhật, ngày nghỉ lễ) được tính đúng hạn; quá thì tính theo ngày gửi lại. Phiên bản đã lưu "
                    f"chưa có tham số này được tính là {RESUBMIT_DAYS}.")


class BandForm(BaseForm):
    class Meta:
        csrf = False

    label = StringField("Xếp loại", validators=[Optional(), Length(max=100, message="Tối đa 100 ký tự.")])
    min_score = PointsField("Từ điểm", validators=[Optional(), NumberRange(0, 100, "Từ 0 đến 100.")])
    head = StringField("Đánh giá trách nhiệm người đứng đầu", validators=[
        Optional(), Length(max=300, message="Tối đa 300 ký tự.")],
        description="Ví dụ: Người đứng đầu hoàn thành tốt trách nhiệm về CCHC.")

    @property
    def blank(self):
        """An unused row (the spare one, or a band removed by clearing it): ignored."""
        typed = (self.min_score.raw_data or [""])[0].strip()
        return (not (self.label.data or "").strip() and not typed and self.min_score.data is None
                and not (self.head.data or "").strip())


class SchemeForm(BaseForm):
    base_version = HiddenField(validators=[InputRequired(STALE_FORM)])
    criteria = FieldList(FormField(CriterionForm), max_entries=20)
    bands = FieldList(FormField(BandForm), max_entries=MAX_BANDS + 2)
    min_top_tasks = VNNumberField(
        "Số nhiệm vụ đến hạn tối thiểu để được xếp loại cao nhất", whole=True,
        validators=[InputRequired("Vui lòng nhập số nhiệm vụ."),
                    NumberRange(0, MAX_MIN_TOP_TASKS, f"Từ 0 đến {MAX_MIN_TOP_TASKS}.")],
        description="Đơn vị có ít nhiệm vụ đến hạn hơn số này được xếp loại thấp hơn một mức, có ghi lý do; 0 = không áp dụng.")
    note = TextAreaField("Lý do điều chỉnh", validators=[Optional(), Length(max=1000, message="Tối đa 1.000 ký tự.")],
                         description="Ghi vào lịch sử phiên bản.")

    @classmethod
    def for_scheme(cls, scheme):
        """The editor filled from a saved (or default) version, with one empty band row to add a band."""
        form = cls(formdata=None)
        form.base_version.data = str(scheme.version)
        form.min_top_tasks.data = scheme.min_top_tasks
        for c in scheme.criteria:
            form.criteria.append_entry({"code": c.code, "label": c.label, "max_points": c.max_points, **params_of(c)})
        for b in scheme.bands:
            form.bands.append_entry({"label": b.label, "min_score": b.min_score, "head": b.head_assessment})
        form.bands.append_entry({})
        return form.bind(scheme)

    def bind(self, scheme):
        """Remember the base version's criteria: their kinds and which parameters each row shows."""
        self.base = scheme
        for entry, criterion in zip(self.criteria, scheme.criteria):
            entry.form.kind, entry.form.params = criterion.kind, list(params_of(criterion))
            entry.form.max_points.label.text = MAX_LABELS.get(criterion.kind, "Điểm tối đa")
            if criterion.kind == "penalty":
                entry.form.max_points.description = "Không tính vào tổng 100."
        return self

    def fits(self):
        return [e.form.code.data for e in self.criteria] == [c.code for c in self.base.criteria]

    def data_for_save(self):
        criteria = [{"code": e.form.code.data, "label": e.form.label.data, "max_points": e.form.max_points.data,
                     "params": {key: e.form[key].data for key in e.form.params}} for e in self.criteria]
        bands = [{"label": e.form.label.data or "", "min_score": e.form.min_score.data, "head": e.form.head.data or ""}
                 for e in self._kept_bands()]
        return {"criteria": criteria, "bands": bands, "note": self.note.data or "", "min_top_tasks": self.min_top_tasks.data}

    def _kept_bands(self):
        return [e for e in self.bands if not e.form.blank]

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if not self.fits():
            self.form_errors.append(NOT_FITTING)
            return False
        for entry in self.criteria:
            for key in entry.form.params:
                if entry.form[key].data is None and not entry.form[key].errors:
                    entry.form[key].errors.append("Vui lòng nhập giá trị.")
                    ok = False
        if not ok:
            return False
        data = self.data_for_save()
        kinds = [{**c, "kind": e.form.kind} for c, e in zip(data["criteria"], self.criteria)]
        broken = problems(kinds, data["bands"], data["min_top_tasks"])
        for name, message in broken:
            self.attach(name, message)
        return not broken

    def attach(self, name, message):
        """Put a rule's message beside the field it names ("criteria-0-max_points", "bands-2-label")."""
        if name in self and name != "criteria" and name != "bands":
            self[name].errors.append(message)
            return
        head, _, rest = name.partition("-")
        index, _, sub = rest.partition("-")
        rows = list(self.criteria) if head == "criteria" else self._kept_bands()
        if index.isdigit() and int(index) < len(rows) and sub in rows[int(index)].form:
            rows[int(index)].form[sub].errors.append(message)
        else:
            self.form_errors.append(message)


class ProposeForm(BaseForm):
    """"Đề nghị áp dụng cho kỳ đang chạy": the reason; the period is in the address."""
    reason = TextAreaField("Lý do đề nghị áp dụng cho kỳ đang chạy", validators=[
        DataRequired("Vui lòng nêu lý do đề nghị áp dụng cho kỳ đang chạy."),
        Length(max=2000, message="Tối đa 2.000 ký tự.")])
