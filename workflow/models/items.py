"""What units submit: a task result per task and period, a unit report per unit and period."""
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from ..extensions import db
from ..formats import vn_number
from .org import Unit, User, utcnow
from .plan import Area, ReportingPeriod, Target, Task
from .state import IN_REVIEW, State, StateType


class WorkflowItem:
    """Columns every item of the approval workflow carries. Only workflow/items/states.py changes
    state, version and the *_by/*_at columns. Templates read the flags below, never state names."""

    KIND: str  # URL and history name of the item type (its record in workflow/kinds.py)
    STATE_LABELS: dict = {}  # a kind's own names of its states ("Chờ Chủ tịch ký"), else State.label

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[State] = mapped_column(StateType, default=State.DRAFT, index=True)
    version: Mapped[int] = mapped_column(default=1)
    return_reason: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None]
    late_days: Mapped[int | None]  # days after the due date the last submission came, 0 when on time
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    @declared_attr
    def period_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("reporting_periods.id", ondelete="CASCADE"), index=True)

    @declared_attr
    def unit_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("units.id"), index=True)

    @declared_attr
    def submitted_by_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("users.id"))

    @declared_attr
    def reviewed_by_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("users.id"))

    @declared_attr
    def period(cls) -> Mapped[ReportingPeriod]:
        return relationship(ReportingPeriod)

    @declared_attr
    def unit(cls) -> Mapped[Unit]:
        return relationship(Unit)

    @declared_attr
    def submitted_by(cls) -> Mapped[User | None]:
        return relationship(User, foreign_keys=[cls.submitted_by_id])

    @property
    def sort_code(self):
        """Orders a unit's items of one period in lists (task results by their task's code)."""
        return ""

    @property
    def state_label(self):
        return self.label_of(self.state)

    def label_of(self, state):
        return self.STATE_LABELS.get(State(state), State(state).label)

    @property
    def is_draft(self):
        return self.state == State.DRAFT

    @property
    def is_returned(self):
        return self.is_draft and bool(self.return_reason)

    @property
    def in_review(self):
        return self.state in IN_REVIEW

    @property
    def is_accepted(self):
        return self.state == State.ACCEPTED


TASK_STATUSES = {
    "not_started": "Chưa triển khai",
    "in_progress": "Đang thực hiện",
    "done": "Hoàn thành",
    "cannot_do": "Không thực hiện được",
}


class TaskResult(WorkflowItem, db.Model):
    __tablename__ = "task_results"
    # The lists at city size (issue 14; migration 0016), each read from an index alone: a period's figures
    # per unit and state (status page, dashboard, public page); what is in a state per period and unit (the
    # clock's drafts, a filtered queue); a queue oldest first (and its count).
    __table_args__ = (UniqueConstraint("task_id", "period_id"),
                      Index("ix_task_results_period_unit_state", "period_id", "unit_id", "state"),
                      Index("ix_task_results_state_period_unit", "state", "period_id", "unit_id"),
                      Index("ix_task_results_state_submitted", "state", "submitted_at"))
    KIND = "task-result"

    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    work_status: Mapped[str] = mapped_column(String(12), default="not_started")
    progress: Mapped[int] = mapped_column(default=0)
    done_text: Mapped[str] = mapped_column(Text, default="")
    completed_on: Mapped[date | None]
    output_text: Mapped[str] = mapped_column(Text, default="")
    blocked_reason: Mapped[str] = mapped_column(Text, default="")

    task: Mapped[Task] = relationship()
    contributions: Mapped[list["TaskContribution"]] = relationship(
        cascade="all, delete-orphan", order_by="TaskContribution.id")

    @property
    def title(self):
        return f"{self.task.code}. {self.task.title}"

    @property
    def sort_code(self):
        return self.task.code

    @property
    def work_status_label(self):
        return TASK_STATUSES.get(self.work_status, self.work_status)

    def snapshot(self):
        """The content as people read it, for the change view after a return."""
        return {
            "Tình trạng": self.work_status_label,
            "Tiến độ (%)": str(self.progress),
            "Kết quả thực hiện": self.done_text,
            "Ngày hoàn thành": f"{self.completed_on:%d/%m/%Y}" if self.completed_on else "",
            "Sản phẩm đã có": self.output_text,
            "Lý do không thực hiện được": self.blocked_reason,
        }


class TaskContribution(db.Model):
    """A cooperating unit's note on a task result; the lead unit reads it, it is not part of the item."""
    __tablename__ = "task_contributions"
    __table_args__ = (UniqueConstraint("result_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("task_results.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    note: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit] = relationship()
    author: Mapped[User] = relationship()


# The reviewer grades a unit report's quality when reviewing it; the factor weighs the quality criterion.
QUALITY_GRADES = {"A": ("Tốt", 1.0), "B": ("Khá", 0.75), "C": ("Trung bình", 0.5), "D": ("Yếu", 0.25)}

NARRATIVE = {
    "limitations": "Tồn tại, hạn chế",
    "causes": "Nguyên nhân",
    "next_steps": "Phương hướng, nhiệm vụ kỳ tới",
    "proposals": "Đề xuất, kiến nghị",
}


class UnitReport(WorkflowItem, db.Model):
    __tablename__ = "unit_reports"
    __table_args__ = (UniqueConstraint("unit_id", "period_id"),)
    KIND = "unit-report"

    limitations: Mapped[str] = mapped_column(Text, default="")
    causes: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    proposals: Mapped[str] = mapped_column(Text, default="")
    satisfaction_rate: Mapped[float | None]
    quality_grade: Mapped[str | None] = mapped_column(String(1))
    # The unit's number and date of the report, from its register when first sent ("05/BC-VHXH").
    doc_number: Mapped[str | None] = mapped_column(String(60))
    doc_date: Mapped[date | None]

    sections: Mapped[list["ReportSection"]] = relationship(
        cascade="all, delete-orphan", order_by="ReportSection.position")
    dossier_rows: Mapped[list["DossierRow"]] = relationship(
        cascade="all, delete-orphan", order_by="DossierRow.position")
    target_actuals: Mapped[list["TargetActual"]] = relationship(cascade="all, delete-orphan")

    @property
    def title(self):
        return f"Báo cáo {self.period.name} – {self.unit.name}"

    @property
    def quality_label(self):
        return QUALITY_GRADES[self.quality_grade][0] if self.quality_grade else None

    def snapshot(self):
        data = {f"Lĩnh vực {s.area.number}. {s.area.name}": s.body for s in self.sections}
        data.update({label: getattr(self, name) for name, label in NARRATIVE.items()})
        for row in self.dossier_rows:
            data[f"Biểu II.06a – {row.field_name}"] = row.summary()
        for actual in self.target_actuals:
            data[f"Chỉ tiêu {actual.target.code}"] = actual.summary()
        data["Tỷ lệ hài lòng (%)"] = vn_number(self.satisfaction_rate)
        return data


class ReportSection(db.Model):
    """The unit's narrative for one plan area."""
    __tablename__ = "report_sections"
    __table_args__ = (UniqueConstraint("report_id", "area_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("unit_reports.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    position: Mapped[int] = mapped_column(default=0)
    body: Mapped[str] = mapped_column(Text, default="")

    area: Mapped[Area] = relationship()


DOSSIER_COUNTS = [
    "received_online", "received_direct", "received_carried", "received_total",
    "resolved_early", "resolved_on_time", "resolved_late", "resolved_total",
    "pending_within", "pending_overdue", "pending_total",
]
# Biểu II.06a: each total is the sum of its parts (the app adds them up; nobody types a total).
DOSSIER_SUMS = {
    "received_total": ("received_online", "received_direct", "received_carried"),
    "resolved_total": ("resolved_early", "resolved_on_time", "resolved_late"),
    "pending_total": ("pending_within", "pending_overdue"),
}
DOSSIER_PARTS = [name for name in DOSSIER_COUNTS if name not in DOSSIER_SUMS]


def dossier_totals(parts):
    """The three totals of a row from its parts (a dict of the eight part counts)."""
    return {total: sum(parts[p] or 0 for p in names) for total, names in DOSSIER_SUMS.items()}


def dossier_row_problems(row):
    """What breaks the form's arithmetic in one row (a dict of field_name and the eleven counts):
    (None for the row as a whole, or the field, message)."""
    found = []
    if row["received_total"] != row["resolved_total"] + row["pending_total"]:
        found.append((None, f"Tổng tiếp nhận {vn_number(row['received_total'])} phải bằng đã giải quyết + "
                                        f"đang giải quyết = {vn_number(row['resolved_total'] + row['pending_total'])}."))
    if not row["field_name"].strip() and any(row[n] for n in DOSSIER_COUNTS):
        found.append(("field_name", "Vui lòng nhập tên lĩnh vực."))
    return found


class DossierRow(db.Model):
    """One field (lĩnh vực) of the procedure-dossier table, national form Biểu II.06a."""
    __tablename__ = "dossier_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("unit_reports.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    field_name: Mapped[str] = mapped_column(String(200))
    received_total: Mapped[int] = mapped_column(default=0)
    received_online: Mapped[int] = mapped_column(default=0)
    received_direct: Mapped[int] = mapped_column(default=0)   # in person or by post
    received_carried: Mapped[int] = mapped_column(default=0)  # carried over from the last period
    resolved_total: Mapped[int] = mapped_column(default=0)
    resolved_early: Mapped[int] = mapped_column(default=0)
    resolved_on_time: Mapped[int] = mapped_column(default=0)
    resolved_late: Mapped[int] = mapped_column(default=0)
    pending_total: Mapped[int] = mapped_column(default=0)
    pending_within: Mapped[int] = mapped_column(default=0)
    pending_overdue: Mapped[int] = mapped_column(default=0)

    def as_dict(self):
        return {name: getattr(self, name) for name in ("field_name", *DOSSIER_COUNTS)}

    def summary(self):
        return (f"tiếp nhận {self.received_total} (trực tuyến {self.received_online}, trực tiếp/BCCI "
                f"{self.received_direct}, kỳ trước {self.received_carried}); đã giải quyết {self.resolved_total} "
                f"(trước hạn {self.resolved_early}, đúng hạn {self.resolved_on_time}, quá hạn {self.resolved_late}); "
                f"đang giải quyết {self.pending_total} (trong hạn {self.pending_within}, quá hạn {self.pending_overdue})")


class TargetActual(db.Model):
    """The figure a unit reports for a plan target it is responsible for."""
    __tablename__ = "target_actuals"
    __table_args__ = (UniqueConstraint("report_id", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("unit_reports.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id"))
    value: Mapped[float | None]
    value_text: Mapped[str] = mapped_column(String(40), default="", server_default="")  # a rank: "3/30"
    note: Mapped[str] = mapped_column(Text, default="")

    target: Mapped[Target] = relationship()

    @property
    def reported(self):
        return self.value is not None or bool(self.value_text)

    @property
    def shown(self):
        """The result as written: a rank as the unit typed it ("3/30"), a figure the Vietnamese way."""
        return self.value_text or vn_number(self.value)

    def summary(self):
        return f"{self.shown} {self.note}".strip()
