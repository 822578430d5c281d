"""The `plan` fixture, and building ranking data through the real workflow: results filled, moved with perform() at chosen
times (so on-time and late are real), evidence rows, report figures. Used by test_ranking_pages.py."""
import secrets
from datetime import date, datetime

import pytest
from sqlalchemy import select

from tests.items_support import ready
from workflow.extensions import db
from workflow.items import services, states
from workflow.models import Evidence, ReportingPeriod, Target, Task, TaskResult, Unit, UnitReport, User
from workflow.ranking import schemes
from workflow.seed.scoring import load_default_scheme

Q3, YEAR = "Quý III/2025", "Năm 2025"
ON_TIME_Q3 = datetime(2025, 9, 1, 3)       # 10:00 in the ward, before the 05/09 due date
LATE_Q3 = datetime(2025, 9, 10, 3)         # 5 days after it
ON_TIME_YEAR = datetime(2025, 12, 1, 3)
OWNERS = {"VHXH": "vhxh", "VP": "vp", "KTHTDT": "kthtdt", "TTSNC": "ttsnc", "TTPVHCC": "ttpvhcc"}


@pytest.fixture
def plan(seeded):
    """The seeded plan with its default scoring scheme and both periods opened."""
    load_default_scheme(seeded)
    for p in seeded.periods:
        services.open_period(user("admin"), p)
    return seeded


def user(username):
    return db.session.scalar(select(User).where(User.username == username))


def unit(code):
    return db.session.scalar(select(Unit).where(Unit.code == code))


def period(name):
    return db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.name == name))


def result(code, period_name):
    return db.session.scalar(select(TaskResult).join(Task).where(
        Task.code == code, TaskResult.period_id == period(period_name).id))


def report(unit_code, period_name):
    return db.session.scalar(select(UnitReport).where(
        UnitReport.unit_id == unit(unit_code).id, UnitReport.period_id == period(period_name).id))


def move(item, steps, at):
    """steps: "submit", "review", "accept", "return" in order, all at time `at` (naive UTC)."""
    actors = {"submit": OWNERS[item.unit.code], "review": "thamdinh", "accept": "tiepnhan", "return": "thamdinh"}
    for action in steps:
        states.perform(user(actors[action]), ready(item) if action == "submit" else item, action, item.version, reason="Bổ sung số liệu", now=at, grade="B")


ACCEPT = ("submit", "review", "accept")


def finish(code, period_name, status, completed_on=None, blocked="", at=ON_TIME_Q3, steps=ACCEPT):
    item = result(code, period_name)
    item.work_status, item.completed_on, item.blocked_reason = status, completed_on, blocked
    item.progress = 100 if status == "done" else 50
    db.session.commit()
    move(item, steps, at)
    return item


def attach_files(item, count):
    for _ in range(count):
        name = secrets.token_hex(16)
        db.session.add(Evidence(item_kind=item.KIND, item_id=item.id, original_name=f"{name}.pdf",
                                stored_name=name, content_type="application/pdf", size=100,
                                sha256=secrets.token_hex(32), uploaded_by_id=user(OWNERS[item.unit.code]).id))
    db.session.commit()


def send_report(unit_code, period_name, figures=None, at=ON_TIME_Q3, steps=ACCEPT):
    item = report(unit_code, period_name)
    codes = {t.id: t.code for t in db.session.scalars(select(Target))}
    for actual in item.target_actuals:
        actual.value = (figures or {}).get(codes[actual.target_id], actual.value)
    db.session.commit()
    move(item, steps, at)
    return item


def realistic_mix():
    """A quarter and a year as they happen: on time, late, not done, unaccepted, returned, missing."""
    attach_files(finish("1.a", Q3, "done", date(2025, 7, 25)), 1)                   # VHXH on time, 1 file
    finish("3.b", Q3, "done", date(2025, 10, 15), at=datetime(2025, 10, 20))        # TTPVHCC 15 days late
    finish("6.b", Q3, "cannot_do", blocked="Chưa có hướng dẫn của thành phố.")        # KTHTDT cannot do
    attach_files(finish("7.d", Q3, "done", date(2025, 9, 20), at=datetime(2025, 9, 25)), 2)
    finish("2.a", Q3, "in_progress", steps=("submit",))                              # VP: not accepted yet
    finish("7.đ", YEAR, "done", date(2025, 11, 20), at=ON_TIME_YEAR)                 # TTSNC on time
    send_report("TTPVHCC", Q3, {"1": 5, "4": 100, "5": 95})                         # all targets met
    send_report("VHXH", Q3, {"1": 3, "3": 0}, at=LATE_Q3)                            # 5 days late, 3 missed
    send_report("VP", Q3, {"2": 100}, steps=("submit",))                             # sent, not accepted
    send_report("KTHTDT", Q3, steps=("submit", "return"))                            # returned, not resent
    send_report("TTPVHCC", YEAR, {"5": 88}, at=ON_TIME_YEAR)                         # 5 missed this time


def with_min_basis(plan_, tasks, running=(Q3,)):
    """A new scheme version, the active one's weights, with the minimum basis for the top band set to
    `tasks` counted tasks (the default 3 keeps a unit with fewer due tasks out of the top band), applied to
    the `running` periods the only way a running period takes a new version: VHXH proposes, the chairman
    approves."""
    base = schemes.active_scheme(plan_)
    data = {"criteria": [{"code": c.code, "label": c.label, "max_points": c.max_points, "params": c.params}
                         for c in base.criteria],
            "bands": [{"min_score": b.min_score, "label": b.label, "head": b.head_assessment} for b in base.bands],
            "min_top_tasks": tasks, "note": ""}
    version = schemes.save_version(user("thamdinh"), plan_, base.version, data)
    for name in running:
        apply_to_running(name)
    return version


def apply_to_running(period_name, reason="Áp dụng trọng số mới cho kỳ đang chạy"):
    """VHXH's reviewer proposes the active scheme version for the running period; the chairman approves."""
    from workflow.ranking import governance
    proposal = governance.propose(user("thamdinh"), period(period_name), reason)
    return states.perform(user("chutich"), proposal, "accept", proposal.version)
