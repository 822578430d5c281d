"""`flask backup` and `flask restore`: one archive (database + uploads + stored documents) with a
SHA-256 manifest; a restore checks the archive first and refuses anything that does not match.

The test that matters most takes a backup while writer threads save task-result drafts through a
live server (werkzeug's threaded server on 127.0.0.1, the app on a SQLite file or on the server
TEST_DATABASE_URL names — there the archive holds a pg_dump), restores it into a fresh database
and checks it: PRAGMA integrity_check says ok (SQLite), and every save acknowledged before the
backup started is there (bench/harness.py's ledger explains the check).
"""
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import threading
import time

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from workflow import backup
from workflow.extensions import db
from workflow.models import User

from .conftest import make_app
from .test_ops import harness

pytestmark = pytest.mark.db

ON_POSTGRES = (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgresql")


def pg_tools_missing():
    try:
        backup.pg_tool(type("App", (), {"config": {}})(), "pg_dump")
        return False
    except backup.BackupError:
        return True


needs_tools = pytest.mark.skipif(ON_POSTGRES and pg_tools_missing(), reason="pg_dump/pg_restore not installed")


def add_user(username):
    person = User(username=username, full_name=username, unit_id=db.session.scalar(select(User.unit_id)),
                  password_hash="scrypt:1024:8:1$not-a-real-hash")
    db.session.add(person)
    db.session.commit()
    db.session.remove()


def put(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)


@pytest.fixture
def files(app):
    """An evidence file, a stored final PDF, and what must stay out of a backup."""
    instance = app.instance_path
    put(os.path.join(instance, "uploads", "a1b2.pdf"), b"%PDF-1.7 evidence " * 100)
    put(os.path.join(instance, "uploads", "c3d4.png"), b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    put(os.path.join(instance, "documents", "e5f6.pdf"), b"%PDF-1.7 final report")
    put(os.path.join(instance, "uploads", ".upload-x.part"), b"half written")  # an upload in progress
    return {"uploads/a1b2.pdf", "uploads/c3d4.png", "documents/e5f6.pdf"}


def members(archive):
    with tarfile.open(archive, "r:gz") as tar:
        return {m.name: (m, tar.extractfile(m).read()) for m in tar.getmembers()}


def rewrite(archive, target, change):
    """A copy of `archive` with `change(name, data) -> [(name, data or TarInfo+data), ...]` applied."""
    with tarfile.open(target, "w:gz") as out:
        for name, (member, data) in members(archive).items():
            for new_name, new_data, kind in change(name, data):
                info = tarfile.TarInfo(new_name)
                info.size, info.mode = len(new_data), 0o600
                if kind == "symlink":
                    info.type, info.linkname, info.size = tarfile.SYMTYPE, "/etc/passwd", 0
                out.addfile(info, io.BytesIO(new_data) if kind != "symlink" else None)
    return target


@pytest.fixture
def fresh(tmp_path):
    """An empty installation elsewhere to restore into: its own instance folder and database."""
    with harness.ScratchDatabase(os.environ.get("TEST_DATABASE_URL"), str(tmp_path / "fresh"), "restored") as scratch:
        other = make_app(tmp_path / "fresh", SQLALCHEMY_DATABASE_URI=scratch.url)
        try:
            yield other
        finally:
            with other.app_context():
                db.session.remove()
                db.engine.dispose()


def restore_cli(app, *args):
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["restore", *args])
        db.session.remove()
        db.engine.dispose()
    return result


def users_in(app):
    with app.app_context():
        count = db.session.scalar(select(func.count(User.id)))
        db.session.remove()
        db.engine.dispose()
    return count


@needs_tools
def test_backup_writes_one_archive_with_a_manifest(app, seeded, files, runner):
    result = runner.invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    folder = os.path.join(app.instance_path, "backups")
    [name] = os.listdir(folder)
    archive = os.path.join(folder, name)
    assert name.startswith("cchc-backup-") and name.endswith(".tar.gz") and archive in result.output
    assert os.stat(archive).st_mode & 0o777 == 0o600 and os.stat(folder).st_mode & 0o777 == 0o700
    found = members(archive)
    manifest = json.loads(found.pop("manifest.json")[1])
    database = "database/cchc.pgdump" if ON_POSTGRES else "database/cchc.sqlite3"
    assert set(found) == files | {database}  # the .part of an upload in progress stays out
    assert manifest["database"]["engine"] == ("postgresql" if ON_POSTGRES else "sqlite")
    assert {e["path"] for e in manifest["files"]} == set(found)
    for entry in manifest["files"]:
        data = found[entry["path"]][1]
        assert entry["size"] == len(data)
        assert entry["sha256"] == __import__("hashlib").sha256(data).hexdigest()
    if not ON_POSTGRES:
        copy = os.path.join(app.instance_path, "check.db")
        put(copy, found[database][1])
        assert backup.integrity(copy) == "ok"


@needs_tools
def test_restore_into_a_fresh_installation(app, seeded, files, tmp_path, fresh):
    archive = str(tmp_path / "nightly.tar.gz")
    assert app.test_cli_runner().invoke(args=["backup", "--to", archive]).exit_code == 0
    result = restore_cli(fresh, archive, "--yes")
    assert result.exit_code == 0, result.output
    assert users_in(fresh) == db.session.scalar(select(func.count(User.id))) > 0
    for name in files:
        with open(os.path.join(app.instance_path, name), "rb") as a, open(os.path.join(fresh.instance_path, name), "rb") as b:
            assert a.read() == b.read()
    assert not os.path.exists(os.path.join(fresh.instance_path, "uploads", ".upload-x.part"))
    assert [p for p in os.listdir(fresh.instance_path) if p.startswith(".restore-")] == []  # staging removed


@needs_tools
def test_restore_asks_for_yes_and_check_only_verifies(app, seeded, files, tmp_path):
    archive = str(tmp_path / "a.tar.gz")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup", "--to", archive]).exit_code == 0
    checked = runner.invoke(args=["restore", archive, "--check"])
    assert checked.exit_code == 0 and "hợp lệ" in checked.output
    refused = runner.invoke(args=["restore", archive])
    assert refused.exit_code == 1 and "--yes" in refused.output


@needs_tools
def test_restore_takes_a_safety_copy_and_puts_the_backup_back(app, seeded, files, tmp_path):
    archive = str(tmp_path / "a.tar.gz")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup", "--to", archive]).exit_code == 0
    put(os.path.join(app.instance_path, "uploads", "later.pdf"), b"%PDF- added after the backup")
    add_user("later")
    result = runner.invoke(args=["restore", archive, "--yes"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User).where(User.username == "later")) is None
    assert not os.path.exists(os.path.join(app.instance_path, "uploads", "later.pdf"))
    [safety] = [p for p in os.listdir(os.path.join(app.instance_path, "backups")) if "pre-restore" in p]
    saved = members(os.path.join(app.instance_path, "backups", safety))
    assert "uploads/later.pdf" in saved  # what the restore replaced can be put back


TAMPERINGS = {  # name: (how the archive is changed, what the refusal says)
    "changed bytes": (lambda name, data: [(name, data.replace(b"evidence", b"EVIDENCE") if name == "uploads/a1b2.pdf"
                                           else data, "file")], "sai kích thước hoặc SHA-256: uploads/a1b2.pdf"),
    "missing file": (lambda name, data: [] if name == "documents/e5f6.pdf" else [(name, data, "file")],
                     "thiếu documents/e5f6.pdf"),
    "extra file": (lambda name, data: [(name, data, "file")] + ([("uploads/extra.pdf", b"x", "file")]
                                                               if name == "manifest.json" else []),
                   "không có trong manifest: uploads/extra.pdf"),
    "path leaving the folder": (lambda name, data: [("uploads/../../evil.txt" if name == "uploads/c3d4.png" else name,
                                                     data, "file")], "Tên tệp không hợp lệ"),
    "absolute path": (lambda name, data: [("/tmp/evil.txt" if name == "uploads/c3d4.png" else name, data, "file")],
                      "Tên tệp không hợp lệ"),
    "symlink": (lambda name, data: [(name, data, "file")] + ([("uploads/link.pdf", b"", "symlink")]
                                                            if name == "manifest.json" else []),
                "không phải tệp thường"),
    "no manifest": (lambda name, data: [] if name == "manifest.json" else [(name, data, "file")],
                    "không có manifest hợp lệ"),
    "manifest edited": (lambda name, data: [
        (name, data.replace(b'"size": 1800', b'"size": 1801') if name == "manifest.json" else data, "file")],
        "sai kích thước hoặc SHA-256: uploads/a1b2.pdf"),
}


@needs_tools
@pytest.mark.parametrize("tampering", list(TAMPERINGS))
def test_restore_refuses_an_archive_that_does_not_match_its_manifest(app, seeded, files, tmp_path, tampering):
    archive = str(tmp_path / "good.tar.gz")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup", "--to", archive]).exit_code == 0
    change, reason = TAMPERINGS[tampering]
    bad = rewrite(archive, str(tmp_path / "bad.tar.gz"), change)
    users_count = db.session.scalar(select(func.count(User.id)))
    add_user("kept")
    result = runner.invoke(args=["restore", bad, "--yes"])
    assert result.exit_code == 1 and reason in result.output, result.output
    assert db.session.scalar(select(func.count(User.id))) == users_count + 1  # nothing restored
    with open(os.path.join(app.instance_path, "uploads", "a1b2.pdf"), "rb") as fh:
        assert fh.read() == b"%PDF-1.7 evidence " * 100
    assert not os.path.exists(tmp_path / "evil.txt") and not os.path.exists("/tmp/evil.txt")
    assert [p for p in os.listdir(app.instance_path) if p.startswith(".restore-")] == []
    assert not os.path.isdir(os.path.join(app.instance_path, "backups"))  # refused before the safety copy


@needs_tools
def test_restore_refuses_a_database_another_process_has_open(app, seeded, tmp_path):
    archive = str(tmp_path / "a.tar.gz")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup", "--to", archive]).exit_code == 0
    if ON_POSTGRES:
        holder_code = ("import sys, time, psycopg; c = psycopg.connect(sys.argv[1]); print('open', flush=True); "
                       "time.sleep(60)")
        target = backup.libpq_target(db.engine.url)[0]
    else:
        holder_code = ("import sys, time, sqlite3; c = sqlite3.connect(sys.argv[1]); c.execute('select 1').fetchall(); "
                       "print('open', flush=True); time.sleep(60)")
        target = db.engine.url.database
    holder = subprocess.Popen([sys.executable, "-c", holder_code, target], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        refused = runner.invoke(args=["restore", archive, "--yes"])
        assert refused.exit_code == 1 and "đang được dùng" in refused.output
        if not ON_POSTGRES:
            assert str(holder.pid) in refused.output
    finally:
        holder.kill()
        holder.wait(10)
    allowed = runner.invoke(args=["restore", archive, "--yes"])
    assert allowed.exit_code == 0, allowed.output


@needs_tools
def test_keep_prunes_the_oldest_scheduled_archives(app, seeded, tmp_path):
    runner = app.test_cli_runner()
    folder = str(tmp_path / "nightly")
    for _ in range(3):
        assert runner.invoke(args=["backup", "--to", folder, "--keep", "2"]).exit_code == 0
        time.sleep(0.01)
    assert len(os.listdir(folder)) == 2


# -- under load ---------------------------------------------------------------------------------------


@pytest.fixture
def live_server(app, period):
    db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="backup-live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(10)
        server.server_close()


@needs_tools
def test_a_backup_taken_under_write_load_holds_every_write_acknowledged_before_it(app, live_server, tmp_path, fresh):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    items = harness.draft_items(url, per_officer=2)
    writers = harness.Writers(live_server, items, threads=6).start()
    try:
        time.sleep(1.0)
        started = time.monotonic()
        archive, manifest = backup.create(app, to=str(tmp_path / "archives"))
        finished = time.monotonic()
        time.sleep(0.5)
    finally:
        ledger = writers.stop()
    assert writers.failures == [] and ledger.errors == []
    before = [w for w in ledger.acked if w.acked < started]
    assert len(before) >= 10, "too few writes before the backup to prove anything"
    assert any(w.sent < finished and (w.acked or 0) > started for w in ledger.writes) or \
        any(w.acked > finished for w in ledger.acked), "the load did not go on while the backup ran"

    result = restore_cli(fresh, archive, "--yes")
    assert result.exit_code == 0, result.output
    restored_url = fresh.config["SQLALCHEMY_DATABASE_URI"]
    if not ON_POSTGRES:
        assert backup.integrity(restored_url.split("///", 1)[1]) == "ok"
    ids = {w.item_id for w in ledger.writes}
    restored = harness.stored_items(restored_url, ids)
    lost, _ = ledger.check(restored, before=started)
    assert lost == []
    live = harness.stored_items(url, ids)
    assert all(restored[i][0] <= live[i][0] for i in ids)  # a snapshot: nothing from after it was taken
    assert ledger.check(live) == ([], 0)  # and the live database lost nothing either
    shutil.rmtree(tmp_path / "archives")
