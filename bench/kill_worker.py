"""kill -9 of one gunicorn worker under a write load loses no acknowledged write.

    .venv/bin/python bench/kill_worker.py [--threads 8] [--before 3] [--after 5] [--database-url URL]

Builds a scratch SQLite database in a temp directory (or uses --database-url, a scratch database:
everything in it is dropped), loads the plan and the demo accounts, opens Quý III/2025, and starts
gunicorn with the project's gunicorn.conf.py (2 workers × 4 threads, gthread) on 127.0.0.1. Writer
threads sign in as the five unit officers (CSRF tokens and all, as a browser does) and save
task-result drafts over and over through HTTP. After --before seconds one worker gets SIGKILL; the
writers go on for --after seconds while the master starts a new one. Then every write the server
acknowledged (303) is looked for in the database, and the figures are printed: writes acknowledged,
errors the clients saw, writes that committed although their answer was lost, lost (must be 0), the
time until the replacement worker answered, and PRAGMA integrity_check on SQLite.

Exit status 1 if an acknowledged write is missing. Figures measured on the project machine are in
BENCHMARKS.md.
"""
import argparse
import json
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402


def run(database_url, instance, threads=8, before=3.0, after=5.0, prepare=True, workers=2):
    """The whole experiment on a gunicorn of its own; returns the figures (a dict).
    `prepare`: build the scratch data first (drops everything in `database_url`)."""
    if prepare:
        harness.prepare_database(database_url, instance)
    with harness.Gunicorn(instance, database_url, workers=workers) as server:
        return kill_one_worker(server, database_url, threads, before, after)


def kill_one_worker(server, database_url, threads=8, before=3.0, after=5.0):
    """Writers on `server` (running, with the plan open in `database_url`), SIGKILL to one worker after
    `before` seconds, `after` seconds more, then every acknowledged write looked for in the database."""
    items = harness.draft_items(database_url, per_officer=max(2, threads // len(harness.OFFICERS) + 1))
    original = server.worker_pids()
    workers = len(original)
    writers = harness.Writers(server.url, items, threads=threads).start()
    try:
        time.sleep(before)
        victim = original[0]
        killed_at = time.monotonic()
        os.kill(victim, signal.SIGKILL)
        replacement = server.wait_workers(workers, timeout=30, exclude=(victim,))
        respawned = time.monotonic() - killed_at
        time.sleep(after)
    finally:
        ledger = writers.stop()
    ended = time.monotonic()
    final_workers = server.worker_pids()
    ids = {w.item_id for w in ledger.writes}
    stored = harness.stored_items(database_url, ids)
    lost, unacked = ledger.check(stored)
    acked = ledger.acked
    latencies = sorted((w.acked - w.sent) * 1000 for w in acked)
    errors = {}
    for w in ledger.errors:
        errors[w.error] = errors.get(w.error, 0) + 1
    figures = {
        "database": database_url.split(":", 1)[0],
        "workers": workers, "threads": threads,
        "seconds": round(ended - writers.started, 1),
        "attempts": len(ledger.writes),
        "acknowledged": len(acked),
        "acknowledged_after_kill": sum(1 for w in acked if w.acked > killed_at),
        "client_errors": sum(errors.values()) + writers.other_errors,
        "errors_by_kind": {**errors, **({"sign-in or page read": writers.other_errors} if writers.other_errors else {})},
        "committed_without_answer": unacked,
        "lost": len(lost),
        "lost_detail": lost[:5],
        "killed_worker": victim,
        "replacement_workers": [p for p in replacement if p not in original],
        "workers_at_end": len(final_workers),
        "replacement_forked_s": round(respawned, 2),
        "longest_gap_after_kill_ms": round(longest_gap(acked, killed_at) * 1000),
        "writes_per_s": round(len(acked) / (ended - writers.started), 1),
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1], 1) if latencies else None,
        "writer_failures": writers.failures,
    }
    if database_url.startswith("sqlite"):
        from workflow.backup import integrity
        figures["integrity_check"] = integrity(database_url.split("///", 1)[1])
    return figures


def longest_gap(acked, since):
    """The longest stretch without an acknowledged write, from the kill on."""
    times = sorted([since] + [w.acked for w in acked if w.acked > since])
    return max((b - a for a, b in zip(times, times[1:])), default=0.0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=8, help="writer threads (default 8)")
    parser.add_argument("--before", type=float, default=3.0, help="seconds of load before the kill (default 3)")
    parser.add_argument("--after", type=float, default=5.0, help="seconds of load after the kill (default 5)")
    parser.add_argument("--database-url", help="a scratch database (dropped and rebuilt); default: SQLite in a temp dir")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="cchc-kill-")
    try:
        url = args.database_url or f"sqlite:///{os.path.join(workdir, 'bench.db')}"
        figures = run(url, os.path.join(workdir, "instance"), args.threads, args.before, args.after)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        print(json.dumps(figures, indent=1))
    else:
        for key, value in figures.items():
            print(f"{key:>26}: {value}")
    sys.exit(1 if figures["lost"] else 0)


if __name__ == "__main__":
    main()
