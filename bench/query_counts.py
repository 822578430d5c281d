"""SQL statements per page, for every role: the figure that must not grow when the code is reshaped.

    .venv/bin/python bench/query_counts.py [--tasks 1000]

Builds a throw-away SQLite database in a temp directory (instance/ is not touched), loads the Phù Liễn
plan and the demo accounts, optionally grows the plan to --tasks tasks, opens both periods, moves a few
items along the workflow (a report sent, a task result accepted, a consolidated draft, a ranking
sheet), then signs in as each demo account through Flask's test client and counts the statements each
page runs (SQLAlchemy's before_cursor_execute). Each page is requested twice and the second count is
printed, so one-time loads do not blur the figure. Results are in BENCHMARKS.md.
"""
import argparse
import os
import shutil
import sys
import tempfile
from datetime import timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from sqlalchemy import event, func, select  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from workflow import create_app  # noqa: E402
from workflow.extensions import db  # noqa: E402
from workflow.models import (ConsolidatedReport, RankingSheet, ReportingPeriod, SelfAssessment, Task,  # noqa: E402
                             TaskResult, Unit, UnitReport, User)
from workflow.seed import DEMO_PASSWORD, load_plan, seed_demo_accounts  # noqa: E402
from workflow.seed.scoring import load_default_scheme  # noqa: E402

ACCOUNTS = ["admin", "chutich", "thamdinh", "tiepnhan", "vhxh", "kthtdt", "ttpvhcc", None]  # None: not signed in


def build(workdir, tasks):
    os.environ["CCHC_INSTANCE_PATH"] = os.path.join(workdir, "instance")
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False, "DEMO_MODE": True,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{os.path.join(workdir, 'bench.db')}"})
    with app.app_context():
        db.create_all()
        plan, _ = load_plan()
        load_default_scheme(plan)
        seed_demo_accounts(password_hash=generate_password_hash(DEMO_PASSWORD))
        _grow(plan, tasks)
        _open_and_move(app)
    return app


def _grow(plan, tasks):
    have = db.session.scalar(select(func.count(Task.id)).where(Task.plan_id == plan.id))
    units = db.session.scalars(select(Unit).order_by(Unit.id)).all()
    for i in range(have, tasks):
        area = plan.areas[i % len(plan.areas)]
        db.session.add(Task(plan=plan, area=area, position=100 + i, code=f"{area.number}.x{i}", title=f"Nhiệm vụ {i}",
                            content="Nội dung", lead_unit=units[i % len(units)],
                            deadline=plan.start_date + timedelta(days=i % 150)))
    db.session.commit()


def _open_and_move(app):
    from workflow.items import services, states
    admin = _user("admin")
    for period in db.session.scalars(select(ReportingPeriod).order_by(ReportingPeriod.due_date)):
        services.open_period(admin, period)
    period = db.session.scalars(select(ReportingPeriod).order_by(ReportingPeriod.due_date)).first()
    report = db.session.scalar(select(UnitReport).where(UnitReport.period_id == period.id,
                                                        UnitReport.unit_id == _user("kthtdt").unit_id))
    _write_report(report)
    states.perform(_user("kthtdt"), report, "submit", report.version)
    result = db.session.scalar(select(TaskResult).where(TaskResult.period_id == period.id,
                                                        TaskResult.unit_id == _user("ttpvhcc").unit_id))
    result.done_text = "Đã triển khai."
    db.session.commit()
    states.perform(_user("ttpvhcc"), result, "submit", result.version)
    states.perform(_user("thamdinh"), result, "review", result.version)
    states.perform(_user("tiepnhan"), result, "accept", result.version)
    _make_consolidated_and_sheet(period)


def _write_report(report):
    """What a unit writes before sending (sending refuses an incomplete report)."""
    for section in report.sections:
        section.body = "Kết quả trong kỳ."
    for actual in report.target_actuals:
        actual.value, actual.value_text = (3, "3/30") if actual.target.metric == "rank" else (100, "")
    db.session.commit()


def _make_consolidated_and_sheet(period):
    try:  # where these services live moves with the code; the pages are what is measured
        from workflow.consolidated import services as consolidation
    except ImportError:
        from workflow.items import consolidation
    from workflow.ranking import sheets
    consolidation.prefill(_user("vhxh"), period)
    sheets.make(_user("vhxh"), period)


def _user(username):
    return db.session.scalar(select(User).where(User.username == username))


def pages(app):
    with app.app_context():
        period = db.session.scalars(select(ReportingPeriod).order_by(ReportingPeriod.due_date)).first()
        first = {model.KIND: db.session.scalar(select(model.id).where(model.period_id == period.id).order_by(model.id))
                 for model in (TaskResult, UnitReport, SelfAssessment, ConsolidatedReport, RankingSheet)}
        unit_id = _user("kthtdt").unit_id
    urls = ["/login", "/", "/tasks", "/work", "/cooperation", "/queue/review", "/queue/accept", "/notifications", "/documents",
            f"/periods/{period.id}/consolidated", "/ranking", f"/ranking?period={period.id}",
            f"/ranking/{unit_id}?period={period.id}", "/cong-khai"]
    urls += [f"/items/{kind}/{item_id}" for kind, item_id in first.items()]
    return urls


def count(app, username, url):
    client = app.test_client()
    if username:
        client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
    statements = []

    def record(*_args):
        statements.append(1)

    with app.app_context():
        engine = db.engine
    client.get(url)
    event.listen(engine, "before_cursor_execute", record)
    try:
        status = client.get(url).status_code
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return status, len(statements)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=36, help="grow the plan to this many tasks (default 36)")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="cchc-queries-")
    try:
        app = build(workdir, args.tasks)
        urls = pages(app)
        print(f"# SQL statements per page ({args.tasks} tasks); '-' = refused (status in brackets)")
        print("| page | " + " | ".join(name or "(anonymous)" for name in ACCOUNTS) + " |")
        print("|---|" + "---:|" * len(ACCOUNTS))
        for url in urls:
            cells = []
            for username in ACCOUNTS:
                status, n = count(app, username, url)
                cells.append(str(n) if status == 200 else f"- ({status})")  # 302: to the sign-in page
            print(f"| `{url}` | " + " | ".join(cells) + " |")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
