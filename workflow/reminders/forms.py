"""The reminder policy's form: the rules of policy.DEFAULT_RULES as fields, checked with Vietnamese messages."""
import re

from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from ..forms import BaseForm, choices
from .policy import LIMITS

WEEKDAYS = choices((str(n), name) for n, name in enumerate(["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu",
                                                            "Thứ Bảy", "Chủ nhật"]))
CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _clock(_form, field):
    if not CLOCK.match(field.data or ""):
        raise ValidationError("Giờ dạng HH:MM, ví dụ 07:30.")


def _days(_form, field):
    low, high = LIMITS["before_due_days"]
    parts = [p.strip() for p in (field.data or "").split(",") if p.strip()]
    if len(parts) > 10 or not all(re.fullmatch(r"[0-9]{1,3}", p) and low <= int(p) <= high for p in parts):
        raise ValidationError(f"Các số ngày từ {low} đến {high}, cách nhau bởi dấu phẩy (tối đa 10), ví dụ 7, 3, 1, 0.")


def _bounded(name, label):
    low, high = LIMITS[name]
    return IntegerField(label, validators=[InputRequired(f"Vui lòng nhập {label.lower()}."),
                                           NumberRange(low, high, f"Từ {low} đến {high} ngày.")])


class PolicyForm(BaseForm):
    before_due_days = StringField("Nhắc trước hạn (số ngày)", validators=[Length(max=60, message="Tối đa 60 ký tự."), _days],
                                  description="0 = đúng ngày đến hạn. Gửi cho cán bộ của đơn vị còn hồ sơ chưa gửi.")
    overdue_daily = BooleanField("Sau hạn: bản tin hằng ngày các việc quá hạn của đơn vị")
    escalate_after_days = _bounded("escalate_after_days", "Báo lãnh đạo, người thẩm định và người đứng đầu đơn vị sau khi quá hạn (ngày)")
    queue_wait_days = _bounded("queue_wait_days", "Nhắc người thẩm định, tiếp nhận khi hồ sơ chờ quá (ngày)")
    weekly_weekday = SelectField("Bản tin tuần gửi lãnh đạo vào", choices=WEEKDAYS, validate_choice=True)
    weekly_time = StringField("Giờ gửi bản tin tuần", validators=[_clock])
    daily_time = StringField("Thư hằng ngày gửi từ", validators=[_clock])
    note = TextAreaField("Lý do thay đổi", validators=[DataRequired("Vui lòng nêu lý do thay đổi."),
                                                       Length(max=1000, message="Tối đa 1000 ký tự.")])

    def fill(self, rules):
        self.before_due_days.data = ", ".join(str(n) for n in rules["before_due_days"])
        self.overdue_daily.data = rules["overdue_daily"]
        for name in ("escalate_after_days", "queue_wait_days", "weekly_time", "daily_time"):
            getattr(self, name).data = rules[name]
        self.weekly_weekday.data = str(rules["weekly_weekday"])

    def rules(self):
        days = sorted({int(p) for p in self.before_due_days.data.split(",") if p.strip()}, reverse=True)
        return {"before_due_days": days, "overdue_daily": bool(self.overdue_daily.data),
                "escalate_after_days": self.escalate_after_days.data, "queue_wait_days": self.queue_wait_days.data,
                "weekly_weekday": int(self.weekly_weekday.data), "weekly_time": self.weekly_time.data,
                "daily_time": self.daily_time.data}


class RemindForm(BaseForm):
    """The message of a "Nhắc nhở" (empty: the default wording)."""
    message = TextAreaField("Lời nhắc", validators=[Length(max=1000, message="Lời nhắc dài quá 1000 ký tự.")])
