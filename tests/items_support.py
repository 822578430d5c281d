"""Helpers the workflow tests share: people by username, and the items of an opened period."""
from sqlalchemy import select

from workflow.extensions import db
from workflow.items import services
from workflow.models import ReportingPeriod, Task, TaskResult, UnitReport, User


def user(username):
    return db.session.scalar(select(User).where(User.username == username))


def open_q3():
    """Quý III/2025 opened: every task result and unit report exists as a draft."""
    period = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.name == "Quý III/2025"))
    services.open_period(user("admin"), period)
    return period


def result_of(code, period):
    return db.session.scalar(select(TaskResult).join(Task).where(Task.code == code, TaskResult.period_id == period.id))


def report_of(username, period):
    return db.session.scalar(select(UnitReport).where(UnitReport.unit_id == user(username).unit_id,
                                                      UnitReport.period_id == period.id))


def add_user(username, unit, roles):
    """An extra account, e.g. someone holding two roles of the workflow."""
    person = User(username=username, full_name=username, unit=unit)
    person.roles = roles
    person.set_password("mat-khau-dai")
    db.session.add(person)
    db.session.commit()
    return person
