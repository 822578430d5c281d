"""SQL statements per page, for every role: the figure that must not grow when the code is reshaped.

    .venv/bin/python bench/query_counts.py [--tasks 36] [--units 0]
    .venv/bin/python bench/query_counts.py --units 100 --tasks 10000     # the city database

Builds bench/city.py's database in a temp directory (instance/ is not touched): by default the Phù Liễn plan
as seeded (its 36 tasks and its units), --tasks/--units grow it (city size: 100 units, 10,000 tasks); the
demo accounts, 5 members per unit, 4 periods opened with the city's mix of states (a third draft, a sixth
submitted, a sixth reviewed, a third accepted) and text. Then, in the first period, a few items are moved
along the workflow (a report sent, a draft task result accepted, a consolidated draft, a ranking sheet),
and signed in as each demo account through Flask's test client it counts the statements each page runs
(SQLAlchemy's before_cursor_execute). Each page is requested twice and the second count is printed, so
one-time loads do not blur the figure. Results are in BENCHMARKS.md.
"""
import argparse
import os
import shutil
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "bench"))

from sqlalchemy import event, select  # noqa: E402

import city  # noqa: E402
from workflow import create_app  # noqa: E402
from workflow.extensions import db  # noqa: E402
from workflow.models import (ConsolidatedReport, RankingSheet, ReportingPeriod, SelfAssessment,  # noqa: E402
                             TaskResult, UnitReport, User)
from workflow.seed import DEMO_PASSWORD  # noqa: E402

ACCOUNTS = ["admin", "chutich", "thamdinh", "tiepnhan", "vhxh", "kthtdt", "ttpvhcc", None]  # None: not signed in


def build(workdir, tasks, units=0):
    """The city database (bench/city.py) with `tasks` tasks and `units` units (0: the plan's own), then a
    few items moved; returns the app on it."""
    url = f"sqlite:///{os.path.join(workdir, 'bench.db')}"
    summary = city.build(url, os.path.join(workdir, "instance"), units=units, tasks=tasks, quiet=True)
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False, "DEMO_MODE": True,
                      "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        _move()
    return app, summary


def _move():
    """In the first period (all opened by city.build): KTHTDT's report written and sent, one of TTPVHCC's
    draft task results sent, reviewed and accepted, the consolidated draft and the ranking sheet made."""
    from workflow.items import states
    period = db.session.scalars(select(ReportingPeriod).order_by(ReportingPeriod.due_date, ReportingPeriod.id)).first()
    report = db.session.scalar(select(UnitReport).where(UnitReport.period_id == period.id,
                                                        UnitReport.unit_id == _user("kthtdt").unit_id))
    _write_report(report)
    states.perform(_user("kthtdt"), report, "submit", report.version)
    result = db.session.scalar(select(TaskResult).where(TaskResult.period_id == period.id, TaskResult.state == "draft",
                                                        TaskResult.unit_id == _user("ttpvhcc").unit_id)
                               .order_by(TaskResult.id))
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
        period = db.session.scalars(select(ReportingPeriod).order_by(ReportingPeriod.due_date, ReportingPeriod.id)).first()
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
    parser.add_argument("--tasks", type=int, default=36, help="grow the plan to this many tasks (default 36: as seeded)")
    parser.add_argument("--units", type=int, default=0, help="grow the ward to this many units (default: the plan's own)")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="cchc-queries-")
    try:
        app, summary = build(workdir, args.tasks, args.units)
        urls = pages(app)
        print(f"# SQL statements per page ({summary['units']} units, {summary['tasks']} tasks, {summary['periods']} periods, "
              f"{summary['task_results']} task results); '-' = refused (status in brackets)")
        print("| page | " + " | ".join(name or "(anonymous)" for name in ACCOUNTS) + " |")
        print("|---|" + "---:|" * len(ACCOUNTS))
        for url in urls:
            cells = []
            for username in ACCOUNTS:
                status, n = count(app, username, url)
                cells.append(str(n) if status == 200 else f"- ({status})")  # 302: to the sign-in page
            print(f"| `{url}` | " + " | ".join(cells) + " |", flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
