"""A city-sized database for the benchmarks: 100 units, 10,000 tasks, 4 periods opened (40,000 task
results), about 500 people, the items in a realistic mix of states.

    .venv/bin/python bench/city.py sqlite:////tmp/city.db [--instance /tmp/city-instance]

build(database_url, instance) is what benches import (bench/pages.py). Everything already in that
database is dropped: point it only at a scratch database. Written fast: the schema by create_all, one
precomputed password hash, units, people, tasks and task results by bulk INSERTs; opening the periods
(unit reports, self-assessments, the opening messages) goes through the app's own open_period, which
then finds every task result already there.

The mix, per period, by task number: a third draft, a sixth submitted (waiting for review), a sixth
reviewed (waiting for acceptance), a third accepted; every period is past its due day by today's
clock, so the drafts are late.
"""
import argparse
import os
import sys
import time
from datetime import date, datetime, timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

UNITS, TASKS, PEOPLE_PER_UNIT = 100, 10_000, 5
PASSWORD = "PhuLien@2025"
# The plan's two periods plus two more (name, kind, start, end, due).
EXTRA_PERIODS = [("Quý IV/2025", "quarter", date(2025, 10, 1), date(2025, 12, 31), date(2025, 12, 5)),
                 ("Quý I/2026", "quarter", date(2026, 1, 1), date(2026, 3, 31), date(2026, 3, 5))]
# State of task number i in a period: i % 6 -> state (2 of 6 draft, 1 submitted, 1 reviewed, 2 accepted).
MIX = ("draft", "draft", "submitted", "reviewed", "accepted", "accepted")
CHUNK = 2000  # rows per INSERT batch


def build(database_url, instance, units=UNITS, tasks=TASKS, quiet=False):
    """Create the city database at `database_url` (its files under `instance`); returns a summary dict."""
    os.environ["CCHC_INSTANCE_PATH"] = instance
    from sqlalchemy import func, select
    from werkzeug.security import generate_password_hash

    from workflow import create_app
    from workflow.extensions import db
    from workflow.models import TaskResult, User
    from workflow.seed import load_plan, seed_demo_accounts
    from workflow.seed.scoring import load_default_scheme

    started = time.perf_counter()
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        db.drop_all()
        db.create_all()
        plan, _ = load_plan()
        load_default_scheme(plan)
        password = generate_password_hash(PASSWORD, method="scrypt:1024:8:1")  # once, for everybody
        seed_demo_accounts(password_hash=password)
        unit_ids = _units(plan, units)
        people = _people(unit_ids, password)
        _tasks(plan, unit_ids, tasks)
        periods = _periods(plan)
        for period in periods:
            _results(period, people)
        _open(periods)
        summary = {"units": len(unit_ids), "tasks": tasks, "periods": len(periods),
                   "people": db.session.scalar(select(func.count(User.id))),
                   "task_results": db.session.scalar(select(func.count(TaskResult.id))),
                   "seconds": round(time.perf_counter() - started, 1)}
        db.session.remove()
        db.engine.dispose()
    if not quiet:
        print(summary)
    return summary


def _insert(model, rows):
    from sqlalchemy import insert

    from workflow.extensions import db
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(model), rows[start:start + CHUNK])


def _units(plan, count):
    """The plan's units plus numbered ones up to `count`; their ids in id order."""
    from sqlalchemy import select

    from workflow import wards
    from workflow.extensions import db
    from workflow.models import Unit
    have = db.session.scalars(select(Unit.id).order_by(Unit.id)).all()
    ward_id = wards.current().id
    _insert(Unit, [{"code": f"DV{n:03d}", "name": f"Đơn vị số {n}", "ward_id": ward_id,
                    "head_email": f"truong.dv{n:03d}@phulien.example"} for n in range(len(have), count)])
    db.session.commit()
    return db.session.scalars(select(Unit.id).order_by(Unit.id)).all()


def _people(unit_ids, password):
    """PEOPLE_PER_UNIT members in every unit (besides the demo accounts); {unit id: [user id]}."""
    from sqlalchemy import select

    from workflow.extensions import db
    from workflow.models import User, UserRole
    from workflow.models.org import new_session_token
    rows = [{"username": f"cb{uid:03d}.{n}", "full_name": f"Cán bộ {n} đơn vị {uid}", "unit_id": uid,
             "email": f"cb{uid:03d}.{n}@phulien.example", "password_hash": password,
             "session_token": new_session_token()}
            for uid in unit_ids for n in range(1, PEOPLE_PER_UNIT + 1)]
    _insert(User, rows)
    made = db.session.execute(select(User.id, User.unit_id).where(User.username.like("cb%.%"))).all()
    _insert(UserRole, [{"user_id": uid, "role": "member"} for uid, _ in made])
    db.session.commit()
    people = {}
    for user_id, unit_id in made:
        people.setdefault(unit_id, []).append(user_id)
    return people


def _tasks(plan, unit_ids, count):
    from sqlalchemy import func, select

    from workflow.extensions import db
    from workflow.models import Task
    have = db.session.scalar(select(func.count(Task.id)).where(Task.plan_id == plan.id))
    areas = [(a.id, a.number) for a in plan.areas]
    rows = []
    for i in range(have, count):
        area_id, number = areas[i % len(areas)]
        rows.append({"plan_id": plan.id, "area_id": area_id, "position": 100 + i, "code": f"{number}.x{i}",
                     "title": f"Nhiệm vụ số {i} của kế hoạch", "content": "Nội dung nhiệm vụ.",
                     "lead_unit_id": unit_ids[i % len(unit_ids)], "deadline": plan.start_date + timedelta(days=i % 150)})
    _insert(Task, rows)
    db.session.commit()


def _periods(plan):
    from sqlalchemy import select

    from workflow.extensions import db
    from workflow.models import ReportingPeriod
    for name, kind, start, end, due in EXTRA_PERIODS:
        db.session.add(ReportingPeriod(plan_id=plan.id, name=name, kind=kind, start_date=start, end_date=end, due_date=due))
    db.session.commit()
    return db.session.scalars(select(ReportingPeriod).where(ReportingPeriod.plan_id == plan.id)
                              .order_by(ReportingPeriod.due_date.id)).all()


def _results(period, people):
    """Every task's result in `period`, in the MIX of states, sent by a member of its unit and (from
    reviewed on) reviewed by the demo reviewer, so the demo acceptor may accept what waits for him."""
    from sqlalchemy import select

    from workflow.extensions import db
    from workflow.models import Task, TaskResult, User
    reviewer = db.session.scalar(select(User.id).where(User.username == "thamdinh"))
    sent_at = datetime.combine(period.due_date, datetime.min.time()) - timedelta(days=3)
    rows = []
    for n, (task_id, unit_id) in enumerate(db.session.execute(select(Task.id, Task.lead_unit_id).order_by(Task.id))):
        state = MIX[n % len(MIX)]
        row = {"task_id": task_id, "period_id": period.id, "unit_id": unit_id, "state": state}
        if state != "draft":
            row.update(done_text="Đã triển khai theo kế hoạch.", submitted_at=sent_at + timedelta(minutes=n % 5000),
                       submitted_by_id=people[unit_id][n % PEOPLE_PER_UNIT], late_days=0)
        if state in ("reviewed", "accepted"):
            row["reviewed_by_id"] = reviewer
        rows.append(row)
    _insert(TaskResult, rows)
    db.session.commit()


def _open(periods):
    """The app's own opening: unit reports, self-assessments, the messages (task results exist already)."""
    from sqlalchemy import select

    from workflow.extensions import db
    from workflow.items import services
    from workflow.models import User
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    for period in periods:
        services.open_period(admin, period)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url", help="e.g. sqlite:////tmp/city.db (its content is dropped)")
    parser.add_argument("--instance", default=None, help="instance folder (default: beside a SQLite file)")
    parser.add_argument("--units", type=int, default=UNITS)
    parser.add_argument("--tasks", type=int, default=TASKS)
    args = parser.parse_args()
    instance = args.instance or os.path.join(os.path.dirname(args.database_url.split("///", 1)[-1]) or ".", "instance")
    build(args.database_url, instance, args.units, args.tasks)


if __name__ == "__main__":
    main()
