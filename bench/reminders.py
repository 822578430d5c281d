"""Deciding and enqueuing a day's reminders at city size: how long scheduler.run takes and how many SQL
statements it runs, on bench/city.py's database (100 units with 5 members each, 10,000 tasks, 4 periods
opened: 40,000 task results, a third of them drafts, a third waiting for review or acceptance; 400 unit
reports and 400 self-assessments, all drafts), at 08:00 on Monday 08/09/2025, three days after Quý
III/2025's due day, when every rule fires: the daily overdue digest to each unit's people, the escalation to
VHXH and the leaders, the reviewer's and acceptor's queues waiting too long, the leaders' weekly digest.

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
from datetime import datetime

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "bench"))

from sqlalchemy import event, func, select  # noqa: E402

import city  # noqa: E402
from workflow import create_app  # noqa: E402
from workflow.extensions import db  # noqa: E402
from workflow.models import OutboxMessage  # noqa: E402
from workflow.reminders import scheduler  # noqa: E402

MONDAY_AFTER_DUE = datetime(2025, 9, 8, 1, 0)  # 08:00 in the ward, three days after 05/09/2025


def build(workdir, units, tasks):
    url = f"sqlite:///{workdir}/r.db"
    summary = city.build(url, os.path.join(workdir, "instance"), units=units, tasks=tasks, quiet=True)
    print(f"{summary['units']} units, {summary['people']} people, {summary['tasks']} tasks, {summary['periods']} periods "
          f"opened, {summary['task_results']} task results (city.build: {summary['seconds']} s)")
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        print(f"outbox before the run: {db.session.scalar(select(func.count(OutboxMessage.id)))} messages (the openings)")
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
