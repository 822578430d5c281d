"""Forms of the workflow pages: the action panel, task results, unit reports, notes, evidence files."""
import re

from flask_wtf.file import FileField, FileRequired
from wtforms import FieldList, FormField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from ..forms import BaseForm, VNDateField, VNNumberField, choices
from ..models import DOSSIER_PARTS, QUALITY_GRADES, TASK_STATUSES, dossier_totals


class ActionForm(BaseForm):
    """Every workflow button posts this: the version the person saw, a reason where one is needed, and
    the grade where reviewing gives one (a unit report)."""
    version = HiddenField()
    reason = TextAreaField("Lý do", validators=[Optional(), Length(max=2000, message="Tối đa 2.000 ký tự.")])
    grade = SelectField("Chất lượng báo cáo", choices=choices([("", "— Chọn —")] + [
        (code, label) for code, (label, _) in QUALITY_GRADES.items()]), validate_choice=False)


STALE_FORM = "Biểu mẫu thiếu phiên bản; vui lòng tải lại trang."


def version_field():
    # Without it a save would silently apply to whatever version is current: refuse instead.
    return HiddenField(validators=[InputRequired(STALE_FORM)])


class TaskResultForm(BaseForm):
    version = version_field()
    work_status = SelectField("Tình trạng thực hiện", choices=choices(TASK_STATUSES.items()))
    progress = VNNumberField("Tiến độ (%)", default=0, whole=True, validators=[
        InputRequired("Vui lòng nhập tiến độ."),
        NumberRange(0, 100, message="Tiến độ từ 0 đến 100%%.")])
    done_text = TextAreaField("Kết quả thực hiện", validators=[Length(max=20000)])
    completed_on = VNDateField("Ngày hoàn thành", validators=[Optional()])
    output_text = TextAreaField("Sản phẩm đã có", validators=[Length(max=5000)])
    blocked_reason = TextAreaField("Lý do không thực hiện được", validators=[Length(max=5000)])


COUNT_LABELS = {
    "received_total": "Tổng số tiếp nhận", "received_online": "Trực tuyến",
    "received_direct": "Trực tiếp, bưu chính", "received_carried": "Kỳ trước chuyển qua",
    "resolved_total": "Tổng số đã giải quyết", "resolved_early": "Trước hạn", "resolved_on_time": "Đúng hạn",
    "resolved_late": "Quá hạn", "pending_total": "Tổng số đang giải quyết", "pending_within": "Trong hạn",
    "pending_overdue": "Quá hạn",
}
MAX_COUNT = 10**9  # far above any ward's figures, far below what the columns hold


def count_field(name):
    return VNNumberField(COUNT_LABELS[name], whole=True, validators=[
        Optional(), NumberRange(min=0, message="Không được âm."),
        NumberRange(max=MAX_COUNT, message="Số quá lớn.")], render_kw={"class": "count"})


class DossierRowForm(BaseForm):
    """One row of Biểu II.06a as typed: the field and the eight parts. The totals are the app's sums,
    and whether they balance is a warning on a draft and a refusal on sending (unit_report.problems)."""
    class Meta:
        csrf = False

    field_name = StringField("Lĩnh vực", validators=[Optional(), Length(max=200, message="Tối đa 200 ký tự.")])

    def counts(self):
        """The eleven counts of what was typed (an empty cell is 0; a cell that cannot be read, too)."""
        parts = {n: (self[n].data if isinstance(self[n].data, int) and not self[n].errors else 0)
                 for n in DOSSIER_PARTS}
        return {**parts, **dossier_totals(parts)}

    def is_blank(self):
        return not (self.field_name.data or "").strip() and not any(self[n].data for n in DOSSIER_PARTS)


for _name in DOSSIER_PARTS:  # eight parts, one field each
    setattr(DossierRowForm, _name, count_field(_name))


RANK = re.compile(r"^\s*(\d{1,4})\s*/\s*(\d{1,4})\s*$")


def check_rank(_form, field):
    """A rank is written as the paper writes it: "3/30" (place / how many were ranked)."""
    text = (field.data or "").strip()
    found = RANK.match(text)
    if text and (found is None or not 1 <= int(found[1]) <= int(found[2])):
        raise ValidationError("Ghi thứ hạng dạng 3/30 (thứ hạng / số đơn vị được xếp hạng).")


class TargetActualForm(BaseForm):
    """A target's result: a figure, or for a target that is a rank, the rank as text (one of the two
    is shown, by the target's metric)."""
    class Meta:
        csrf = False

    value = VNNumberField("Kết quả", validators=[
        Optional(), NumberRange(min=0, max=MAX_COUNT, message="Nhập một số từ 0 đến 1.000.000.000.")])
    text = StringField("Thứ hạng đạt được", validators=[
        Optional(), Length(max=40, message="Tối đa 40 ký tự."), check_rank],
                       description="Ví dụ: 3/30", render_kw={"placeholder": "3/30"})
    note = StringField("Ghi chú", validators=[Optional(), Length(max=500, message="Tối đa 500 ký tự.")])


class UnitReportForm(BaseForm):
    version = version_field()
    sections = FieldList(TextAreaField(validators=[Length(max=50000)]))
    limitations = TextAreaField("Tồn tại, hạn chế", validators=[Length(max=20000)])
    causes = TextAreaField("Nguyên nhân", validators=[Length(max=20000)])
    next_steps = TextAreaField("Phương hướng, nhiệm vụ kỳ tới", validators=[Length(max=20000)])
    proposals = TextAreaField("Đề xuất, kiến nghị", validators=[Length(max=20000)])
    actuals = FieldList(FormField(TargetActualForm))
    dossier_rows = FieldList(FormField(DossierRowForm))
    satisfaction_rate = VNNumberField("Tỷ lệ hài lòng (%)", validators=[
        Optional(), NumberRange(0, 100, message="Tỷ lệ từ 0 đến 100%%.")])


class ContributionForm(BaseForm):
    note = TextAreaField("Ý kiến phối hợp", validators=[
        DataRequired("Vui lòng nhập nội dung phối hợp."), Length(max=5000, message="Tối đa 5.000 ký tự.")])


class EvidenceForm(BaseForm):
    file = FileField("Tệp minh chứng", id="evidence-file",
                     validators=[FileRequired("Vui lòng chọn tệp minh chứng cần đính kèm.")],
                     render_kw={"accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"})
