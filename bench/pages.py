"""How the main pages hold at city size: bytes, SQL statements and throughput under load, against /healthz.

    .venv/bin/python bench/pages.py [--database /tmp/city.db] [--seconds 5] [--connections 16] [--repeat 2]

Builds the city database (bench/city.py: 100 units, 10,000 tasks, 4 periods opened) in a temp directory,
or reuses the SQLite file given with --database (built there first if missing). For each page, signed in
as the demo account that uses it:

- bytes and SQL statements of one request as the page is made, in-process (Flask's test client, the second of
  two requests, counted with SQLAlchemy's before_cursor_execute; kept pages off);
- then gunicorn as `make run` starts it (gunicorn.conf.py: 2 workers × 4 threads) and `wrk` (Debian package
  wrk) with --connections for --seconds against each page, the session cookie of a sign-in made with urllib:
  requests/s, its ratio to /healthz's, p50 and p99 latency, after 2 s of the same load not counted (each
  worker's first home page or ranking computes the standings it then keeps). --repeat runs the load part again.
  Each run is made twice: with kept pages (workflow/pagecache.py, as served: under wrk nothing is written, so
  every request after the first of a worker is a kept page) and with PAGE_CACHE=0 (every page made anew: what
  a request pays after any write).

The goal of issue 14: every page ≥ 50 % of /healthz's requests/s, none over 200 KB. Figures in BENCHMARKS.md.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "bench"))

import city  # noqa: E402
import harness  # noqa: E402


def pages(database_url, instance):
    """[(label, account or None, path)]: the pages measured, with ids read from the city database."""
    from sqlalchemy import create_engine, text
    engine = create_engine(database_url)
    with engine.connect() as conn:
        period = conn.execute(text("SELECT id FROM reporting_periods ORDER BY due_date, id LIMIT 1")).scalar()
        waiting, unit = conn.execute(text("SELECT id, unit_id FROM task_results WHERE state = 'submitted' "
                                          "AND period_id = :p ORDER BY id LIMIT 1"), {"p": period}).one()
        officer = conn.execute(text("SELECT username FROM users WHERE unit_id = :u AND username LIKE 'cb%' ORDER BY id LIMIT 1"),
                               {"u": unit}).scalar()
    engine.dispose()
    return [
        ("/healthz", None, "/healthz"),
        ("/login (reference)", None, "/login"),
        ("/notifications (reference: a signed-in page's floor)", "chutich", "/notifications"),
        ("home /", "chutich", "/"),
        ("/queue/review", "thamdinh", "/queue/review"),
        ("/queue/accept", "tiepnhan", "/queue/accept"),
        ("item page", "thamdinh", f"/items/task-result/{waiting}"),
        ("/tasks", "chutich", "/tasks"),
        ("/ranking", "chutich", "/ranking"),
        ("/cong-khai", None, "/cong-khai"),
        ("/cong-khai unit page", None, f"/cong-khai/{period}/don-vi/{unit}"),
        ("status page", "chutich", f"/periods/{period}/consolidated"),
        ("/ho-so", "chutich", f"/ho-so?period={period}&kind=task-result"),
        ("search (overseer, no diacritics)", "chutich", "/tim-kiem?q=cai+cach+hanh+chinh"),
        ("search (overseer, filtered)", "chutich", f"/tim-kiem?q=c%E1%BA%A3i+c%C3%A1ch&period={period}&state=submitted"),
        ("search (a unit's officer)", officer, "/tim-kiem?q=cai+cach"),
        ("home / (a unit's officer)", officer, "/?"),
    ]


def in_process(database_url, instance, measured):
    """{path: (status, bytes, statements)} through Flask's test client."""
    os.environ["CCHC_INSTANCE_PATH"] = instance
    from sqlalchemy import event

    from workflow import create_app
    from workflow.extensions import db
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False, "PAGE_CACHE": False,
                      "SQLALCHEMY_DATABASE_URI": database_url})
    found = {}
    with app.app_context():
        engine = db.engine
    for _, account, path in measured:
        client = app.test_client()
        if account:
            client.post("/login", data={"username": account, "password": city.PASSWORD})
        client.get(path)
        statements = []
        listener = lambda *args: statements.append(1)  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            response = client.get(path)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        found[path] = (response.status_code, len(response.data), len(statements))
    with app.app_context():
        db.engine.dispose()
    return found


# Flask-Login's "strong" session protection ties a session to its User-Agent: wrk sends urllib's.
USER_AGENT = "Python-urllib/%d.%d" % sys.version_info[:2]


def cookie_of(base, account):
    """The session cookie as a browser holds it after the first page (which adds the session's CSRF token)."""
    browser = harness.Browser(base, account)
    browser.get("/notifications")
    return "; ".join(f"{c.name}={c.value}" for c in browser.jar)


def answers_200(url, cookie):
    """The page itself, not a redirect to the sign-in page, is what wrk will measure."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **({"Cookie": cookie} if cookie else {})})
    opener = urllib.request.build_opener(harness.NoRedirect())
    with opener.open(request, timeout=300) as response:
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{url}: {response.status}")


def drain(server, timeout=300):
    """Until gunicorn's workers are idle (their CPU time stops growing): the requests a slow page left
    queued must not be counted against the next page."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        before = _cpu_ticks(server.worker_pids())
        time.sleep(0.5)
        if _cpu_ticks(server.worker_pids()) - before <= 2:
            return


def _cpu_ticks(pids):
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime + stime
        except (OSError, IndexError, ValueError):
            continue
    return total


def wrk(url, cookie, seconds, connections):
    """(requests/s, p50 ms, p99 ms, non-2xx/3xx answers) from one wrk run."""
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "30s", "--latency",
               "-H", f"User-Agent: {USER_AGENT}", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rate, _latency(out, "50%"), _latency(out, "99%"), int(bad.group(1)) if bad else 0


def _latency(out, share):
    found = re.search(rf"^\s+{re.escape(share)}\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
    if not found:
        return float("nan")
    value, unit = float(found.group(1)), found.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def load(database_url, instance, measured, seconds, connections, kept=True):
    """{path: wrk figures} with gunicorn serving the database, its kept pages on or off."""
    figures = {}
    with harness.Gunicorn(instance, database_url, extra_env={"PAGE_CACHE": "1" if kept else "0"}) as server:
        cookies = {account: cookie_of(server.url, account) for account in {a for _, a, _ in measured if a}}
        for _, account, path in measured:
            answers_200(server.url + path, cookies.get(account))
            wrk(server.url + path, cookies.get(account), 2, connections)  # warm-up, not counted: every worker's
            drain(server)                                                 # first home/ranking computes the standings
            figures[path] = wrk(server.url + path, cookies.get(account), seconds, connections)
    return figures


def table(measured, sizes, runs):
    print("| page | account | bytes | SQL | " + " | ".join(f"req/s (run {n + 1}) | ratio | p50 / p99 ms"
                                                         for n in range(len(runs))) + " |")
    print("|---|---|---:|---:|" + "---:|---:|---:|" * len(runs))
    for label, account, path in measured:
        status, size, statements = sizes[path]
        cells = []
        for run in runs:
            rate, p50, p99, bad = run[path]
            ratio = rate / run["/healthz"][0] if run["/healthz"][0] else 0
            cells += [f"{rate:.1f}" + (f" ({bad} errors)" if bad else ""), f"{ratio:.2f}", f"{p50:.0f} / {p99:.0f}"]
        size_text = f"{size:,}" if status == 200 else f"{size:,} ({status})"
        print(f"| {label} | {account or '-'} | {size_text} | {statements} | " + " | ".join(cells) + " |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="a SQLite file to reuse (built there when missing)")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install -y wrk")
    workdir = tempfile.mkdtemp(prefix="cchc-pages-")
    try:
        path = os.path.abspath(args.database or os.path.join(workdir, "city.db"))
        database_url, instance = f"sqlite:///{path}", os.path.join(workdir, "instance")
        if not os.path.exists(path):
            city.build(database_url, instance)
        measured = pages(database_url, instance)
        sizes = in_process(database_url, instance, measured)
        for kept in (True, False):
            runs = [load(database_url, instance, measured, args.seconds, args.connections, kept)
                    for _ in range(args.repeat)]
            with open("/proc/loadavg") as fh:
                print(f"# kept pages {'on' if kept else 'off'}; load average after the runs: "
                      f"{' '.join(fh.read().split()[:3])}")
            table(measured, sizes, runs)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
