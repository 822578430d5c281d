"""Search timing: how long `search.query.find` takes as the index grows, and what indexing costs a save.

    .venv/bin/python bench/search_bench.py [--results 20000] [--url postgresql+psycopg://...]

Builds a throw-away SQLite database in a temp directory (or uses --url, an empty PostgreSQL database),
loads the plan and the demo accounts, opens Quý III, then adds --results synthetic task results (copies
of the plan's tasks in extra periods, each with a few sentences of Vietnamese text) through the ORM, so
the index is filled by its own flush listener. Prints the time of that load, of `flask search reindex`,
and the median of 20 searches for a rare word, a common phrase and a phrase without diacritics, as an
overseer and as a unit officer.
"""
import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from sqlalchemy import select  # noqa: E402

from workflow import create_app  # noqa: E402
from workflow.extensions import db  # noqa: E402
from workflow.models import ReportingPeriod, Task, TaskResult, User  # noqa: E402
from workflow.search import index, query  # noqa: E402
from workflow.seed import load_plan, seed_demo_accounts  # noqa: E402

SENTENCES = ["Đã triển khai cải cách thủ tục hành chính tại Bộ phận Một cửa.",
             "Tiếp nhận hồ sơ trực tuyến toàn trình, số hóa kết quả giải quyết.",
             "Rà soát, đơn giản hóa quy trình nội bộ; niêm yết công khai.",
             "Chưa bố trí được kinh phí cho chữ ký số của cán bộ."]
QUERIES = ["Phuongthuc7", "cải cách hành chính", "ho so truc tuyen"]


def _app(url, workdir):
    os.environ["CCHC_INSTANCE_PATH"] = os.path.join(workdir, "instance")
    return create_app({"TESTING": True, "SECRET_KEY": "bench", "DEMO_MODE": True,
                       "SQLALCHEMY_DATABASE_URI": url or f"sqlite:///{os.path.join(workdir, 'bench.db')}"})


def _fill(count):
    plan, _ = load_plan()
    seed_demo_accounts()
    tasks = db.session.scalars(select(Task)).all()
    made, n = 0, 0
    while made < count:
        n += 1
        period = ReportingPeriod(plan_id=plan.id, name=f"Bench {n}", kind="month", start_date=date(2025, 7, 1),
                                 end_date=date(2025, 7, 31), due_date=date(2025, 8, 5))
        db.session.add(period)
        for task in tasks[:count - made]:
            text = " ".join(SENTENCES[(made + i) % len(SENTENCES)] for i in range(3))
            db.session.add(TaskResult(task=task, period=period, unit_id=task.lead_unit_id,
                                      done_text=f"{text} Phuongthuc{made % 1000}"))
            made += 1
        db.session.commit()
    return made


def _median_ms(person, words):
    times = []
    for _ in range(20):
        start = time.perf_counter()
        query.find(person, words)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--results", type=int, default=20000)
    parser.add_argument("--url")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="cchc-search-bench-")
    try:
        with _app(args.url, workdir).app_context():
            db.create_all()
            start = time.perf_counter()
            made = _fill(args.results)
            print(f"{made} task results written and indexed in {time.perf_counter() - start:.1f} s")
            start = time.perf_counter()
            with db.engine.begin() as conn:
                entries = index.rebuild(conn)
            print(f"reindex: {entries} entries in {time.perf_counter() - start:.1f} s")
            for username in ("thamdinh", "kthtdt"):
                person = db.session.scalar(select(User).where(User.username == username))
                for words in QUERIES:
                    total = query.find(person, words).total
                    print(f"{username:9} {words!r:24} {total:6} matches  {_median_ms(person, words):7.1f} ms")
            if args.url:
                db.drop_all()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
