"""Deciding and enqueuing a day's reminders at city size: how long scheduler.run takes and how many SQL
statements it runs, for 100 units and 10,000 tasks (Quý III opened: 10,000 task results and 100 unit
reports, every one a draft three days after the due day — a Monday, so every rule fires: the daily
overdue digest to each unit's people, the escalation to VHXH and the leaders, the leaders' weekly digest).

    .venv/bin/python bench/reminders.py [--units 100] [--tasks 10000] [--repeat 3]

A throw-away SQLite database in a temp directory (instance/ is not touched). The first run writes the
day's messages; the reruns find them written (the outbox refuses their keys) and write none. Figures in
BENCHMARKS.md."""
import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import datetime, timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from sqlalchemy import event, func, select  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from workflow import create_app, wards  # noqa: E402
from workflow.extensions import db  # noqa: E402
from workflow.items import services  # noqa: E402
from workflow.models import OutboxMessage, ReportingPeriod, Task, TaskResult, Unit, User  # noqa: E402
from workflow.reminders import scheduler  # noqa: E402
from workflow.seed import DEMO_PASSWORD, load_plan, seed_demo_accounts  # noqa: E402

MONDAY_AFTER_DUE = datetime(2025, 9, 8, 1, 0)  # 08:00 in the ward, three days after 05/09/2025


def build(workdir, units, tasks):
    os.environ["CCHC_INSTANCE_PATH"] = os.path.join(workdir, "instance")
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir}/r.db"})
    with app.app_context():
        db.create_all()
        plan, _ = load_plan()
        password = generate_password_hash(DEMO_PASSWORD)
        seed_demo_accounts(password_hash=password)
        ward = wards.current()
        have = db.session.scalar(select(func.count(Unit.id)))
        for n in range(have, units):
            unit = Unit(code=f"DV{n:03d}", name=f"Đơn vị số {n}", ward=ward)
            person = User(username=f"dv{n:03d}", full_name=f"Cán bộ đơn vị {n}", unit=unit, email=f"dv{n:03d}@phulien.local",
                          password_hash=password)
            person.roles = ["member"]
            db.session.add_all([unit, person])
        db.session.flush()
        all_units = db.session.scalars(select(Unit).order_by(Unit.id)).all()
        start = db.session.scalar(select(func.count(Task.id)))
        for i in range(start, tasks):
            area = plan.areas[i % len(plan.areas)]
            db.session.add(Task(plan=plan, area=area, position=100 + i, code=f"{area.number}.x{i}", title=f"Nhiệm vụ {i}",
                                content="Nội dung", lead_unit=all_units[i % len(all_units)],
                                deadline=plan.start_date + timedelta(days=i % 150)))
        db.session.commit()
        period = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.name == "Quý III/2025"))
        services.open_period(db.session.scalar(select(User).where(User.username == "admin")), period)
        results = db.session.scalar(select(func.count(TaskResult.id)))
        print(f"{len(all_units)} units, {tasks} tasks, {results} task results opened")
    return app


def measure(app, repeat):
    statements = []
    with app.app_context():
        listener = lambda *args: statements.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        for n in range(repeat):
            statements.clear()
            start = time.perf_counter()
            written = scheduler.run(MONDAY_AFTER_DUE)
            took = time.perf_counter() - start
            print(f"run {n + 1}: {took:.2f} s, {len(statements)} SQL statements, {written} messages written")
        event.remove(db.engine, "before_cursor_execute", listener)
        print(f"outbox: {db.session.scalar(select(func.count(OutboxMessage.id)))} messages (opening included)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--tasks", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="cchc-reminders-")
    try:
        measure(build(workdir, args.units, args.tasks), args.repeat)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
