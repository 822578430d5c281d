"""Forms of the workflow pages: the action panel, task results, unit reports, notes, evidence files."""
from flask_wtf.file import FileField, FileRequired
from wtforms import FieldList, FormField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..forms import BaseForm, VNDateField, VNNumberField, choices
from ..models import DOSSIER_COUNTS, QUALITY_GRADES, TASK_STATUSES


class ActionForm(BaseForm):
    """Every workflow button posts this: the version the person saw, a reason where one is needed, and
    the document number and date where accepting gives them (the consolidated report)."""
    version = HiddenField()
    reason = TextAreaField("Lý do", validators=[Optional(), Length(max=2000, message="Tối đa 2.000 ký tự.")])
    number = StringField("Số văn bản", validators=[Optional(), Length(max=40)], description="Ví dụ: 245/BC-UBND")
    number_date = VNDateField("Ngày ban hành", validators=[Optional()])
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
# Biểu II.06a: each total is the sum of its parts, and what came in is either resolved or pending.
SUMS = {
    "received_total": ("received_online", "received_direct", "received_carried"),
    "resolved_total": ("resolved_early", "resolved_on_time", "resolved_late"),
    "pending_total": ("pending_within", "pending_overdue"),
}


MAX_COUNT = 10**9  # far above any ward's figures, far below what the columns hold


def count_field(name):
    return VNNumberField(COUNT_LABELS[name], default=0, whole=True, validators=[
        InputRequired("Nhập số (0 nếu không có)."), NumberRange(min=0, message="Không được âm."),
        NumberRange(max=MAX_COUNT, message="Số quá lớn.")])


class DossierRowForm(BaseForm):
    class Meta:
        csrf = False

    field_name = StringField("Lĩnh vực", validators=[Optional(), Length(max=200, message="Tối đa 200 ký tự.")])

    def validate(self, extra_validators=None):
        if not super().validate(extra_validators):
            return False
        ok = True
        for total, parts in SUMS.items():
            expected = sum(self[p].data for p in parts)
            if self[total].data != expected:
                labels = " + ".join(COUNT_LABELS[p].lower() for p in parts)
                self[total].errors.append(f"Phải bằng {labels} = {expected}.")
                ok = False
        if ok and self.received_total.data != self.resolved_total.data + self.pending_total.data:
            self.received_total.errors.append(
                f"Tổng tiếp nhận phải bằng đã giải quyết + đang giải quyết = "
                f"{self.resolved_total.data + self.pending_total.data}.")
            ok = False
        if ok and self.received_total.data and not (self.field_name.data or "").strip():
            self.field_name.errors.append("Vui lòng nhập tên lĩnh vực.")
            ok = False
        return ok

    def is_blank(self):
        return not (self.field_name.data or "").strip() and not any(self[n].data for n in DOSSIER_COUNTS)


for _name in DOSSIER_COUNTS:  # eleven counts, one field each
    setattr(DossierRowForm, _name, count_field(_name))


class TargetActualForm(BaseForm):
    class Meta:
        csrf = False

    value = VNNumberField("Kết quả", validators=[
        Optional(), NumberRange(min=0, max=MAX_COUNT, message="Nhập một số từ 0 đến 1.000.000.000.")])
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
