"""`flask backup` while gunicorn takes a write load, then `flask restore` into a fresh installation:
how long the backup takes, what it does to the writers, and that nothing acknowledged is missing.

    .venv/bin/python bench/backup_under_load.py [--threads 8] [--before 2] [--after 2] [--files 200]

Builds a scratch SQLite database in a temp directory (or uses --database-url, a scratch PostgreSQL
database: everything in it is dropped), loads the plan, opens Quý III/2025, puts --files evidence-
sized files (100 KB each) in instance/uploads, and starts gunicorn with gunicorn.conf.py. Writer
threads save task-result drafts over HTTP; after --before seconds `flask --app wsgi backup` runs as
cron would run it (its own process); --after seconds after it ends the writers stop. The archive is
restored with `flask --app wsgi restore --yes` into a new instance folder and database, checked with
PRAGMA integrity_check (SQLite), and every save acknowledged before the backup command was started
is looked for in it. Figures measured on the project machine are in BENCHMARKS.md.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402


def flask(instance, database_url, *args):
    env = {**os.environ, "CCHC_INSTANCE_PATH": instance, "DATABASE_URL": database_url}
    env.pop("TEST_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=harness.ROOT, env=env,
                          capture_output=True, text=True, check=True)


def latency(writes):
    values = sorted((w.acked - w.sent) * 1000 for w in writes)
    if not values:
        return None, None
    return round(statistics.median(values), 1), round(values[max(int(len(values) * 0.95) - 1, 0)], 1)


def run(workdir, database_url=None, threads=8, before=2.0, after=2.0, files=200):
    instance = os.path.join(workdir, "instance")
    url = database_url or f"sqlite:///{os.path.join(workdir, 'live.db')}"
    harness.prepare_database(url, instance)
    uploads = os.path.join(instance, "uploads")
    os.makedirs(uploads, exist_ok=True)
    for i in range(files):
        with open(os.path.join(uploads, f"{i:032x}.pdf"), "wb") as fh:
            fh.write(b"%PDF-1.7\n" + os.urandom(100 * 1024))
    items = harness.draft_items(url, per_officer=max(2, threads // len(harness.OFFICERS) + 1))
    with harness.Gunicorn(instance, url) as server:
        writers = harness.Writers(server.url, items, threads=threads).start()
        try:
            time.sleep(before)
            launched = time.monotonic()
            done = flask(instance, url, "backup", "--to", os.path.join(workdir, "archives"))
            finished = time.monotonic()
            time.sleep(after)
        finally:
            ledger = writers.stop()
    archive = done.stdout.split(" vào ", 1)[1].split(" (", 1)[0]
    fresh_instance = os.path.join(workdir, "fresh")
    if url.startswith("sqlite"):
        fresh_url = f"sqlite:///{os.path.join(workdir, 'restored.db')}"
        scratch = None
    else:
        scratch = harness.ScratchDatabase(url, workdir, "restored").__enter__()
        fresh_url = scratch.url
    try:
        started = time.monotonic()
        flask(fresh_instance, fresh_url, "restore", "--yes", archive)
        restore_s = time.monotonic() - started
        ids = {w.item_id for w in ledger.writes}
        lost, _ = ledger.check(harness.stored_items(fresh_url, ids), before=launched)
        live_lost, _ = ledger.check(harness.stored_items(url, ids))
        figures = {
            "database": url.split(":", 1)[0],
            "files_in_uploads": files,
            "archive_mb": round(os.path.getsize(archive) / 1024 / 1024, 1),
            "backup_command_s": round(finished - launched, 2),
            "backup_reported_s": float(done.stdout.rsplit(", ", 1)[1].split(" s)")[0]),
            "restore_command_s": round(restore_s, 2),
            "acknowledged_before_backup": sum(1 for w in ledger.acked if w.acked < launched),
            "acknowledged_during_backup": sum(1 for w in ledger.acked if launched <= w.acked <= finished),
            "acknowledged_after_backup": sum(1 for w in ledger.acked if w.acked > finished),
            "client_errors": len(ledger.errors) + writers.other_errors,
            "p50_p95_ms_outside_backup": latency([w for w in ledger.acked if not launched <= w.acked <= finished]),
            "p50_p95_ms_during_backup": latency([w for w in ledger.acked if launched <= w.acked <= finished]),
            "lost_in_restored_copy": len(lost),
            "lost_in_live_database": len(live_lost),
        }
        if fresh_url.startswith("sqlite"):
            from workflow.backup import integrity
            figures["restored_integrity_check"] = integrity(fresh_url.split("///", 1)[1])
        return figures
    finally:
        if scratch is not None:
            scratch.__exit__(None, None, None)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--before", type=float, default=2.0, help="seconds of load before the backup (default 2)")
    parser.add_argument("--after", type=float, default=2.0, help="seconds of load after it (default 2)")
    parser.add_argument("--files", type=int, default=200, help="100 KB files in uploads/ (default 200)")
    parser.add_argument("--database-url", help="a scratch database (dropped and rebuilt); default: SQLite in a temp dir")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="cchc-backup-bench-")
    try:
        figures = run(workdir, args.database_url, args.threads, args.before, args.after, args.files)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        print(json.dumps(figures, indent=1))
    else:
        for key, value in figures.items():
            print(f"{key:>30}: {value}")
    sys.exit(1 if figures["lost_in_restored_copy"] or figures["lost_in_live_database"] else 0)


if __name__ == "__main__":
    main()
