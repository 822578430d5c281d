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


RANK_TEXT = "3/30"


def ready(item):
    """A unit's draft made complete enough to send (what sending checks), then committed; other
    kinds unchanged. Tests that are about the workflow, not the content, send it with this."""
    if isinstance(item, TaskResult):
        _complete_result(item)
    elif isinstance(item, UnitReport):
        _complete_report(item)
    db.session.commit()
    return item


def _complete_result(result):
    result.done_text = result.done_text or "Đã triển khai theo kế hoạch."
    if result.work_status == "done":
        result.progress = 100
        result.completed_on = result.completed_on or result.period.start_date
        result.output_text = result.output_text or "Văn bản đã ban hành."
    if result.work_status == "cannot_do":
        result.blocked_reason = result.blocked_reason or "Chưa bố trí được kinh phí."


def _complete_report(report):
    for section in report.sections:
        section.body = section.body or f"Kết quả lĩnh vực {section.area.number}."
    for actual in report.target_actuals:
        if not actual.reported:
            if actual.target.metric == "rank":
                actual.value, actual.value_text = 3, RANK_TEXT
            else:
                actual.value = 100
