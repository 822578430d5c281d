"""How long the 1,000-task consolidated report takes to download from the server, as a person gets it:
gunicorn with the project's gunicorn.conf.py (2 workers × 4 threads), the draft's PDF asked for over HTTP
by the VHXH officer who drafted it.

    .venv/bin/python bench/pdf_server.py [--repeat 5] [--tasks 1000]

The world is bench/render_pdf.py's (a throw-away SQLite file in a temp directory: the plan grown to
`--tasks`, Quý III/2025 accepted, the consolidated report drafted by the workflow's prefill). The first
download of each gunicorn worker is reported apart: it starts that worker's PDF forkserver (pool.py).
Each request goes to whichever worker is free, so "first" is the first request, and the next one may
still be another worker's first: the table shows every request's time. Figures go in BENCHMARKS.md.
"""
import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import harness  # noqa: E402
import render_pdf  # noqa: E402

DRAFTER = "thamdinh"  # the VHXH officer render_pdf's prefill drafts the report as


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="downloads after the first two (default 5)")
    parser.add_argument("--tasks", type=int, default=1000, help="plan size (default 1000)")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="cchc-bench-pdfserver-")
    instance = os.path.join(workdir, "instance")
    os.environ["CCHC_INSTANCE_PATH"] = instance
    try:
        database_url = f"sqlite:///{os.path.join(workdir, 'bench.db')}"
        report_id = build(database_url, max(0, args.tasks - render_pdf.SEEDED_TASKS))
        with harness.Gunicorn(instance, database_url) as server:
            times, size = downloads(server.url, f"/documents/consolidated/{report_id}.pdf", 2 + args.repeat)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    later = times[2:]
    print(f"Consolidated report, {args.tasks} tasks, {size / 1024:.0f} KB, over HTTP from gunicorn, "
          f"{os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.1f}")
    print("every request (s): " + ", ".join(f"{t:.2f}" for t in times))
    print(f"first {times[0]:.2f} s, second {times[1]:.2f} s; then best {min(later):.2f} s, "
          f"median {statistics.median(later):.2f} s of {len(later)}")


def build(database_url, extra_tasks):
    """The consolidated draft's id in a new database at `database_url`."""
    app = render_pdf.world(database_url.removeprefix("sqlite:///"))
    with app.test_request_context():
        report_id = render_pdf.build(extra_tasks).report.id
        render_pdf.db.session.remove()
        render_pdf.db.engine.dispose()
    return report_id


def downloads(base, path, count):
    """Each download's seconds, and the PDF's size; one signed-in person, one request at a time."""
    browser = harness.Browser(base, DRAFTER, password=render_pdf.DEMO_PASSWORD)
    times, size = [], 0
    for _ in range(count):
        start = time.perf_counter()
        with browser.opener.open(base + path, timeout=120) as response:
            data = response.read()
        times.append(time.perf_counter() - start)
        if response.status != 200 or not data.startswith(b"%PDF"):
            raise RuntimeError(f"{path}: {response.status}, {data[:60]!r}")
        size = len(data)
    return times, size


if __name__ == "__main__":
    main()
