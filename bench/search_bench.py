"""Search at city size: how long `search.query.find` takes on the city database, and what the index costs.

    .venv/bin/python bench/search_bench.py [--url URL] [--units 100] [--tasks 10000] [--rounds 6]
    .venv/bin/python bench/search_bench.py --url sqlite:////tmp/city.db --reuse --explain

The data is bench/city.py's (100 units, 10,000 tasks, 4 periods opened = 40,000 task results with a ward's
Vietnamese text, 400 unit reports, return reasons, evidence captions; its build ends with the index rebuilt,
as `flask search reindex` does), in a SQLite file in a temp directory, or in --url (a scratch database:
everything in it is dropped; PostgreSQL: postgresql+psycopg://…). --reuse keeps a database built before
(anything with search entries in it). --units/--tasks make it smaller; --results N is the old option
(N task results: N/4 tasks).

Printed: the build (its seconds, of which the index rebuild), what a save costs with the index kept current
(the flush of one edited draft, its search entry written by the session's listener, rolled back; and
`index.refresh` of one task result alone), then the latency of `query.find` — the function the search page
calls — over `--rounds` rounds of every combination of:

- person: an overseer (chutich, the chairman: every item) and a unit officer (kthtdt, a member of one unit:
  the catalogue, his unit's items, the results of tasks his unit cooperates on — the WHERE clause grows);
- query: a rare word ("zalo"/"kiosk", in ~1 entry in 500), a common phrase with diacritics ("cải cách hành
  chính", in a third of the entries), the same without them ("cai cach hanh chinh"), a task code ("3.x4711",
  a different task each round);
- filters: none, period, unit, state, period + unit + state (a different period, unit and state each round);

4 rounds = 160 searches, the default 6 = 240. Each search is timed whole (SQL, ORM and the highlighted
snippets) and its SQL apart (cursor execute to fetch); p50/p95/p99 in ms per query kind, person, filter and
overall (nearest rank). --explain prints the plan of both statements of the common phrase for each person
(EXPLAIN QUERY PLAN on SQLite, EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL). Figures in BENCHMARKS.md; the goal
of issue 14 is p95 under 100 ms.
"""
import argparse
import math
import os
import shutil
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "bench"))

from sqlalchemy import event, func, select  # noqa: E402

import city  # noqa: E402
from workflow import create_app  # noqa: E402
from workflow.extensions import db  # noqa: E402
from workflow.models import ReportingPeriod, State, Task, TaskResult, Unit, User  # noqa: E402
from workflow.models.search import SearchEntry  # noqa: E402
from workflow.search import index, query  # noqa: E402

PEOPLE = {"overseer (chutich)": "chutich", "unit officer (kthtdt)": "kthtdt"}
RARE = ["zalo", "kiosk"]
PHRASE = "cải cách hành chính"
PHRASE_ASCII = "cai cach hanh chinh"
KINDS = ("rare word", "phrase with diacritics", "phrase without diacritics", "task code")
FILTERS = ("none", "period", "unit", "state", "period+unit+state")
STATES = (State.DRAFT, State.SUBMITTED, State.REVIEWED, State.ACCEPTED)


def _app(url):
    return create_app({"TESTING": True, "SECRET_KEY": "bench", "DEMO_MODE": True, "SQLALCHEMY_DATABASE_URI": url})


def _has_entries(url):
    from sqlalchemy import create_engine, inspect
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("search_entries"):
                return 0
            return conn.scalar(select(func.count()).select_from(SearchEntry.__table__))
    finally:
        engine.dispose()


def percentile(values, p):
    """Nearest rank: the smallest value with at least p % of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


class SqlClock:
    """Milliseconds spent in cursor.execute (and the fetch the ORM does right after) per search."""

    def __init__(self, engine):
        self.engine, self.ms, self._start = engine, 0.0, None

    def _before(self, *_args):
        self._start = time.perf_counter()

    def _after(self, *_args):
        self.ms += (time.perf_counter() - self._start) * 1000

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._before)
        event.listen(self.engine, "after_cursor_execute", self._after)
        return self

    def __exit__(self, *_exc):
        event.remove(self.engine, "before_cursor_execute", self._before)
        event.remove(self.engine, "after_cursor_execute", self._after)


def save_cost(officer, samples=20):
    """(ms of a draft's save flush with its search entry written, ms of index.refresh of one result), medians.
    Each save is rolled back: the data stays as built."""
    drafts = db.session.scalars(select(TaskResult).where(TaskResult.unit_id == officer.unit_id,
                                                         TaskResult.state == State.DRAFT)
                                .order_by(TaskResult.id).limit(samples)).all()
    flushes, refreshes = [], []
    for result in drafts:
        result.done_text = (result.done_text or "") + " Đã cập nhật số liệu hồ sơ trực tuyến toàn trình."
        start = time.perf_counter()
        db.session.flush()
        flushes.append((time.perf_counter() - start) * 1000)
        conn = db.session.connection()
        start = time.perf_counter()
        index.refresh(conn, TaskResult.KIND, [result.id])
        refreshes.append((time.perf_counter() - start) * 1000)
        db.session.rollback()
    return statistics.median(flushes), statistics.median(refreshes)


def searches(rounds):
    """[(kind, filter name, text, Filters)] for `rounds` rounds, values varied from round to round."""
    periods = db.session.scalars(select(ReportingPeriod.id).where(ReportingPeriod.opened_at.is_not(None))
                                 .order_by(ReportingPeriod.id)).all()
    units = db.session.scalars(select(Unit.id).order_by(Unit.id)).all()
    tasks = db.session.scalar(select(func.count(Task.id)))
    picks = [1 + (n * 2477 + 1234) % tasks for n in range(rounds)]
    codes = dict(db.session.execute(select(Task.id, Task.code).where(Task.id.in_(picks))).all())
    wanted = []
    for n in range(rounds):
        texts = {"rare word": RARE[n % len(RARE)], "phrase with diacritics": PHRASE,
                 "phrase without diacritics": PHRASE_ASCII, "task code": codes[picks[n]]}
        period, unit, state = periods[n % len(periods)], units[(n * 37 + 2) % len(units)], STATES[n % len(STATES)]
        filters = {"none": query.Filters(), "period": query.Filters(period_id=period),
                   "unit": query.Filters(unit_id=unit), "state": query.Filters(state=state),
                   "period+unit+state": query.Filters(period_id=period, unit_id=unit, state=state)}
        wanted += [(kind, name, texts[kind], filters[name]) for kind in KINDS for name in FILTERS]
    return wanted


def latency(rounds):
    """Every search for every person, timed; returns [(person label, kind, filter, total ms, sql ms, matches)]."""
    people = {label: db.session.scalar(select(User).where(User.username == username)) for label, username in PEOPLE.items()}
    wanted = searches(rounds)
    for person in people.values():  # roles and unit loaded, the statements compiled once: not what is measured
        person.has_role("admin")
        query.find(person, PHRASE)
    rows = []
    with SqlClock(db.engine) as clock:
        for label, person in people.items():
            for kind, name, text, filters in wanted:
                clock.ms = 0.0
                start = time.perf_counter()
                found = query.find(person, text, filters)
                took = (time.perf_counter() - start) * 1000
                rows.append((label, kind, name, took, clock.ms, found.total))
    return rows


def report(rows):
    def line(label, group):
        total = [r[3] for r in group]
        sql = [r[4] for r in group]
        matches = statistics.median(r[5] for r in group)
        print(f"| {label} | {len(group)} | {matches:,.0f} | {percentile(total, 50):.1f} | {percentile(total, 95):.1f} | "
              f"{percentile(total, 99):.1f} | {percentile(sql, 50):.1f} | {percentile(sql, 95):.1f} |")

    print("| searches | n | matches (median) | p50 ms | p95 ms | p99 ms | SQL p50 ms | SQL p95 ms |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for kind in KINDS:
        line(kind, [r for r in rows if r[1] == kind])
    for person in PEOPLE:
        line(person, [r for r in rows if r[0] == person])
    for name in FILTERS:
        line(f"filter: {name}", [r for r in rows if r[2] == name])
    for person in PEOPLE:
        for kind in KINDS:
            line(f"{person}, {kind}", [r for r in rows if r[0] == person and r[1] == kind])
    line("**all**", rows)


def explain():
    """The plan of both statements of the common phrase, as each person searches it."""
    postgres = db.engine.dialect.name == "postgresql"
    for label, username in PEOPLE.items():
        person = db.session.scalar(select(User).where(User.username == username))
        seen = []
        listener = lambda _c, _cur, statement, parameters, *_rest: seen.append((statement, parameters))  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            query.find(person, PHRASE)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        for statement, parameters in seen:
            if not statement.lstrip().upper().startswith("SELECT") or "search_entries" not in statement:
                continue
            prefix = "EXPLAIN (ANALYZE, BUFFERS) " if postgres else "EXPLAIN QUERY PLAN "
            plan = db.session.connection().exec_driver_sql(prefix + statement, parameters).all()
            print(f"\n{label}, {PHRASE!r}: {' '.join(statement.split())[:160]}…")
            for row in plan:
                print("   ", row[0] if postgres else row[-1])
        db.session.rollback()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a scratch database (its content is dropped); default: SQLite in a temp dir")
    parser.add_argument("--reuse", action="store_true", help="keep the database at --url if it has search entries")
    parser.add_argument("--units", type=int, default=city.UNITS)
    parser.add_argument("--tasks", type=int, default=city.TASKS)
    parser.add_argument("--results", type=int, help="the old option: this many task results (tasks = results / 4)")
    parser.add_argument("--rounds", type=int, default=6, help="rounds of the 40 searches per person (default 6)")
    parser.add_argument("--explain", action="store_true", help="print the plans of the common phrase's statements")
    args = parser.parse_args()
    tasks = math.ceil(args.results / 4) if args.results else args.tasks
    workdir = tempfile.mkdtemp(prefix="cchc-search-bench-")
    try:
        url = args.url or f"sqlite:///{os.path.join(workdir, 'city.db')}"
        instance = os.path.join(workdir, "instance")
        if args.reuse and _has_entries(url):
            print(f"reusing {url.split('@')[-1]}: {_has_entries(url)} search entries")
        else:
            summary = city.build(url, instance, units=args.units, tasks=tasks, quiet=True)
            print(f"city database: {summary['units']} units, {summary['tasks']} tasks, {summary['periods']} periods, "
                  f"{summary['task_results']} task results, {summary['people']} people; {summary['search_entries']} "
                  f"search entries; built in {summary['seconds']} s, of which the index rebuild "
                  f"(= flask search reindex) {summary['index_seconds']} s")
        os.environ["CCHC_INSTANCE_PATH"] = instance
        with _app(url).app_context():
            officer = db.session.scalar(select(User).where(User.username == "kthtdt"))
            flush_ms, refresh_ms = save_cost(officer)
            print(f"a draft's save: flush with its search entry written {flush_ms:.1f} ms (median of 20, rolled back); "
                  f"index.refresh of one task result alone {refresh_ms:.1f} ms")
            started = time.perf_counter()
            rows = latency(args.rounds)
            print(f"\n{len(rows)} searches through query.find on {db.engine.dialect.name} "
                  f"in {time.perf_counter() - started:.1f} s (load average {os.getloadavg()[0]:.1f}, {os.cpu_count()} CPUs)\n")
            report(rows)
            if args.explain:
                explain()
            db.session.remove()
            db.engine.dispose()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
