"""The plan as data: plan, targets, areas, tasks and reporting periods."""
from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..formats import vn_number
from .org import Unit, utcnow

task_cooperators = Table(
    "task_cooperators",
    db.metadata,
    Column("task_id", ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id"), primary_key=True),
)

target_units = Table(
    "target_units",
    db.metadata,
    Column("target_id", ForeignKey("targets.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id"), primary_key=True),
)


class Plan(db.Model):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    issued_on: Mapped[date]
    title: Mapped[str] = mapped_column(String(300))
    issuer: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[date]
    end_date: Mapped[date]
    signer_name: Mapped[str] = mapped_column(String(120))
    signer_title: Mapped[str] = mapped_column(String(120))
    purpose: Mapped[str] = mapped_column(Text, default="")
    requirements: Mapped[str] = mapped_column(Text, default="")

    targets: Mapped[list["Target"]] = relationship(order_by="Target.position", cascade="all, delete-orphan")
    areas: Mapped[list["Area"]] = relationship(order_by="Area.number", cascade="all, delete-orphan")
    periods: Mapped[list["ReportingPeriod"]] = relationship(
        order_by="ReportingPeriod.due_date", cascade="all, delete-orphan", back_populates="plan"
    )


class Target(db.Model):
    __tablename__ = "targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    code: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    metric: Mapped[str] = mapped_column(String(20))  # rank | percent | count
    comparator: Mapped[str | None] = mapped_column(String(2))
    value: Mapped[float | None]
    unit_label: Mapped[str | None] = mapped_column(String(20))

    responsible_units: Mapped[list[Unit]] = relationship(secondary=target_units, order_by=Unit.code)

    @property
    def goal_text(self):
        if self.value is None:
            return "Thứ hạng cao" if self.metric == "rank" else "—"
        label = self.unit_label or ""
        amount = f"{vn_number(self.value)}{label}" if label == "%" else f"{vn_number(self.value)} {label}".strip()
        return ("≥ " if self.comparator == ">=" else "") + amount


class Area(db.Model):
    __tablename__ = "areas"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))

    @property
    def label(self):
        return f"{self.number}. {self.name}"


class Task(db.Model):
    __tablename__ = "tasks"
    # (plan, area): the home page's task count per area reads this index alone (10,000 tasks at city size)
    __table_args__ = (UniqueConstraint("plan_id", "code"), Index("ix_tasks_plan_area", "plan_id", "area_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    letter: Mapped[str | None] = mapped_column(String(5))
    title: Mapped[str] = mapped_column(String(300))
    content: Mapped[str] = mapped_column(Text)
    lead_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    deadline: Mapped[date] = mapped_column(index=True)
    output: Mapped[str] = mapped_column(String(300), default="")
    position: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    plan: Mapped[Plan] = relationship()
    area: Mapped[Area] = relationship()
    lead_unit: Mapped[Unit] = relationship()
    cooperating_units: Mapped[list[Unit]] = relationship(secondary=task_cooperators, order_by=Unit.code)


class ReportingPeriod(db.Model):
    __tablename__ = "reporting_periods"
    __table_args__ = (UniqueConstraint("plan_id", "name"),)

    KINDS = {"month": "Tháng", "quarter": "Quý", "half": "6 tháng", "year": "Năm"}

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(10))
    start_date: Mapped[date]
    end_date: Mapped[date]
    due_date: Mapped[date]
    opened_at: Mapped[datetime | None]  # when its empty drafts were created
    # The scoring scheme version the period is ranked under: the one in force when it opened
    # (ranking/governance.py); changed later only by an approved proposal. None until it opens.
    scheme_id: Mapped[int | None] = mapped_column(ForeignKey("scoring_schemes.id"))

    plan: Mapped[Plan] = relationship(back_populates="periods")
    # joined: the ranking page names each period's version without a query of its own
    scheme: Mapped["ScoringScheme | None"] = relationship("ScoringScheme", lazy="joined")  # noqa: F821

    @property
    def kind_label(self):
        return self.KINDS.get(self.kind, self.kind)
