"""Backup and restore: the database, the uploaded evidence and the stored final documents in one
timestamped .tar.gz with a manifest of every file's size and SHA-256 (`flask backup`, `flask restore`).

Consistent while the app writes:
- SQLite: the online backup API (sqlite3.Connection.backup) copies the whole file in one step inside
  one read transaction. In WAL mode writers go on meanwhile; the copy is the database as it was when
  the step began, so it holds every transaction committed before the backup started.
- PostgreSQL: `pg_dump --format=custom`, which reads everything in one repeatable-read snapshot.
The database is copied first, the files after it. A file is written before its row commits (evidence,
final PDFs) and never changed afterwards, so every file a row of the copied database names is already
on disk when the files are read; a file added later is only an extra. (An evidence file deleted in
that window can be missing: its row was being deleted anyway.)

The archive (0600, in a 0700 folder: it holds password hashes) is written as `.part` and renamed
when complete. Restoring extracts into a staging folder next to the instance, checks every file
against the manifest (no file missing, none extra, sizes and hashes equal, no path leaving the
staging folder, nothing but plain files), checks a SQLite copy with `PRAGMA integrity_check`, takes a
safety backup of what is there now, then writes the database (SQLite: the backup API again, into
the live file, so connections that are still open see the restored content; PostgreSQL:
`pg_restore --clean --single-transaction`) and swaps the folders in. It refuses a database that
other processes are using unless forced.
"""
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
import zlib
from datetime import datetime, timezone
from glob import escape, glob
from pathlib import PurePosixPath

from sqlalchemy import text

from .extensions import db

FORMAT = 1
PREFIX = "cchc-backup-"
SUFFIX = ".tar.gz"
MANIFEST = "manifest.json"
FILE_DIRS = ("uploads", "documents")  # under the instance folder
SQLITE_MEMBER = "database/cchc.sqlite3"
PG_MEMBER = "database/cchc.pgdump"
CHUNK = 1024 * 1024
MANIFEST_MAX = 64 * 1024 * 1024


class BackupError(Exception):
    """A backup that cannot be made, or an archive that must not be restored."""


# -- where things are -------------------------------------------------------------------------------


def engine_kind(url):
    backend = url.get_backend_name()
    if backend in ("sqlite", "postgresql"):
        return backend
    raise BackupError(f"Không hỗ trợ sao lưu cơ sở dữ liệu {backend}.")


def sqlite_path(url):
    path = url.database
    if not path or path == ":memory:" or path.startswith("file:"):
        raise BackupError("Cơ sở dữ liệu SQLite không phải là một tệp trên đĩa.")
    return os.path.abspath(path)


def backups_dir(app):
    return os.path.join(app.instance_path, "backups")


def pg_tool(app, name):
    """pg_dump / pg_restore: PG_BIN_DIR if set, else the newest /usr/lib/postgresql/*/bin, else PATH."""
    configured = app.config.get("PG_BIN_DIR")
    candidates = [os.path.join(configured, name)] if configured else []
    versions = sorted(glob(f"/usr/lib/postgresql/*/bin/{name}"),
                      key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0, reverse=True)
    candidates += versions
    which = shutil.which(name)
    if which:
        candidates.append(which)
    for candidate in candidates:
        if os.access(candidate, os.X_OK):
            return candidate
    raise BackupError(f"Không tìm thấy {name} (cài postgresql-client hoặc đặt PG_BIN_DIR).")


def libpq_target(url):
    """(a libpq connection URL without the password, the environment carrying it): the password
    never appears on a command line (ps would show it)."""
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False), env


# -- hashing and names --------------------------------------------------------------------------------


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


class _Hashing(io.RawIOBase):
    """A file read through this adds what it reads to a SHA-256 (tarfile reads the member's bytes)."""

    def __init__(self, fh):
        self.fh, self.digest, self.size = fh, hashlib.sha256(), 0

    def readable(self):
        return True

    def read(self, n=-1):
        data = self.fh.read(n)
        self.digest.update(data)
        self.size += len(data)
        return data


def safe_member_name(name):
    """The member's name if it may be extracted: relative, no '..', under a known top folder."""
    path = PurePosixPath(name)
    if (not name or "\\" in name or "\x00" in name or path.is_absolute()
            or any(part in ("", ".", "..") for part in name.split("/"))):
        raise BackupError(f"Tên tệp không hợp lệ trong bản sao lưu: {name!r}")
    if name != MANIFEST and (len(path.parts) < 2 or path.parts[0] not in ("database", *FILE_DIRS)):
        raise BackupError(f"Tệp lạ trong bản sao lưu: {name!r}")
    return name


def _utc_stamp():
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _archive_path(app, to, label):
    if to and to.endswith((".tar.gz", ".tgz")):
        path = os.path.abspath(to)
        if os.path.exists(path):
            raise BackupError(f"Tệp {path} đã có; chọn tên khác.")
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        return path
    folder = os.path.abspath(to or backups_dir(app))
    os.makedirs(folder, mode=0o700, exist_ok=True)
    base = PREFIX + _utc_stamp() + (f"-{label}" if label else "")
    path, n = os.path.join(folder, base + SUFFIX), 1
    while os.path.exists(path):
        n += 1
        path = os.path.join(folder, f"{base}-{n}{SUFFIX}")
    return path


# -- SQLite -------------------------------------------------------------------------------------------


def integrity(path):
    """PRAGMA integrity_check of a SQLite file: "ok" or the problems found."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    finally:
        conn.close()
    return "ok" if rows == [("ok",)] else "; ".join(r[0] for r in rows[:10])


def _sqlite_copy(source, target):
    """The live database copied with the online backup API, in one step (one consistent snapshot)."""
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.execute("PRAGMA busy_timeout=30000")
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # a self-contained file: no -wal beside it in the archive
    finally:
        dst.close()
        src.close()
    found = integrity(target)
    if found != "ok":
        raise BackupError(f"Bản sao cơ sở dữ liệu không toàn vẹn: {found}")


def _sqlite_restore(staged, target):
    """The staged copy written into the live file with the backup API: connections still open see the
    restored content (the file is not swapped under them) and the target keeps its WAL mode."""
    os.makedirs(os.path.dirname(target), exist_ok=True)
    src = sqlite3.connect(staged)
    dst = sqlite3.connect(target, timeout=30)
    try:
        dst.execute("PRAGMA busy_timeout=30000")
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    found = integrity(target)
    if found != "ok":
        raise BackupError(f"Cơ sở dữ liệu sau khi khôi phục không toàn vẹn: {found}")


def sqlite_holders(path):
    """Other processes that have the SQLite file (or its -wal/-shm) open, from /proc (Linux)."""
    wanted = {os.path.realpath(path + suffix) for suffix in ("", "-wal", "-shm")}
    found, me = set(), os.getpid()
    for pid in filter(str.isdigit, os.listdir("/proc") if os.path.isdir("/proc") else []):
        if int(pid) == me:
            continue
        fd_dir = f"/proc/{pid}/fd"
        try:
            for fd in os.listdir(fd_dir):
                try:
                    if os.readlink(os.path.join(fd_dir, fd)) in wanted:
                        found.add(int(pid))
                        break
                except OSError:
                    continue
        except OSError:
            continue
    return sorted(found)


# -- PostgreSQL ---------------------------------------------------------------------------------------


def _run(args, env, what):
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=3600, check=False)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise BackupError(f"{what} thất bại: {err}") from err
    if done.returncode != 0:
        raise BackupError(f"{what} thất bại ({done.returncode}): {done.stderr.strip()[-2000:]}")


def _pg_dump(app, url, target):
    dsn, env = libpq_target(url)
    _run([pg_tool(app, "pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
          f"--file={target}", f"--dbname={dsn}"], env, "pg_dump")


def _pg_restore(app, url, staged):
    dsn, env = libpq_target(url)
    _run([pg_tool(app, "pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
          "--single-transaction", "--exit-on-error", f"--dbname={dsn}", staged], env, "pg_restore")


def pg_other_sessions():
    """Other sessions connected to this database (our own pool is closed first)."""
    db.session.remove()
    db.engine.dispose()
    with db.engine.connect() as conn:
        count = conn.execute(text("SELECT count(*) FROM pg_stat_activity "
                                  "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar_one()
    db.engine.dispose()
    return count


# -- backup -------------------------------------------------------------------------------------------


def _revision():
    try:
        with db.engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # noqa: BLE001 - a database made without migrations (the tests') has no stamp
        return None


def _instance_files(app):
    """(archive name, path) of every stored file: uploads/ and documents/, not the half-written `.part`."""
    for top in FILE_DIRS:
        root = os.path.join(app.instance_path, top)
        for folder, dirs, names in os.walk(root):
            dirs.sort()
            for name in sorted(names):
                if name.endswith(".part"):
                    continue
                path = os.path.join(folder, name)
                if os.path.isfile(path) and not os.path.islink(path):
                    yield f"{top}/{os.path.relpath(path, root).replace(os.sep, '/')}", path


def _add(tar, name, path, entries):
    """Add one file, hashing what goes in; a file deleted meanwhile is skipped."""
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        return
    with fh:
        info = tarfile.TarInfo(name)
        stat = os.fstat(fh.fileno())
        info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o600
        hashing = _Hashing(fh)
        tar.addfile(info, hashing)
    entries.append({"path": name, "size": hashing.size, "sha256": hashing.digest.hexdigest()})


def create(app, to=None, label=None):
    """Make one archive; returns (its path, its manifest). Run inside an app context."""
    url = db.engine.url
    kind = engine_kind(url)
    path = _archive_path(app, to, label)
    part = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".part")
    staging = tempfile.mkdtemp(prefix=".backup-", dir=os.path.dirname(path))
    started = time.monotonic()
    created_at = datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
    try:
        member = SQLITE_MEMBER if kind == "sqlite" else PG_MEMBER
        dump = os.path.join(staging, os.path.basename(member))
        revision = _revision()
        if kind == "sqlite":
            _sqlite_copy(sqlite_path(url), dump)
        else:
            _pg_dump(app, url, dump)
        entries = []
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
                _add(tar, member, dump, entries)
                for name, file_path in _instance_files(app):
                    _add(tar, name, file_path, entries)
                manifest = {
                    "format": FORMAT, "app": "cchc-workflow", "created_at": created_at,
                    "database": {"engine": kind, "path": member, "revision": revision},
                    "files": entries,
                }
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
                tar.addfile(info, io.BytesIO(data))
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(part, path)
        _fsync_dir(os.path.dirname(path))
    except BaseException:
        if os.path.exists(part):
            os.remove(part)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    manifest["seconds"] = round(time.monotonic() - started, 2)
    return path, manifest


def _fsync_dir(path):
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def prune(folder, keep):
    """Keep the newest `keep` scheduled archives in `folder` (by the time they were written); the
    pre-restore safety copies are left for a person to delete. Returns the paths removed."""
    if keep <= 0:
        return []
    archives = sorted((p for p in glob(os.path.join(escape(folder), PREFIX + "*" + SUFFIX))
                       if "-pre-restore" not in os.path.basename(p)), key=lambda p: (os.stat(p).st_mtime_ns, p))
    removed = archives[:-keep]
    for path in removed:
        os.remove(path)
    return removed


# -- verify and restore -------------------------------------------------------------------------------


def extract_verified(archive, staging):
    """Extract `archive` into `staging`, then check it against its manifest. Returns the manifest;
    BackupError (with every problem, up to ten) when anything differs."""
    got, manifest = {}, None
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            for member in tar:
                name = safe_member_name(member.name.rstrip("/") if member.isdir() else member.name)
                if member.isdir():
                    continue
                if not member.isreg():
                    raise BackupError(f"Bản sao lưu chứa mục không phải tệp thường: {name!r}")
                if name in got or (name == MANIFEST and manifest is not None):
                    raise BackupError(f"Tệp {name!r} xuất hiện hai lần trong bản sao lưu.")
                source = tar.extractfile(member)
                if name == MANIFEST:
                    if member.size > MANIFEST_MAX:
                        raise BackupError("Tệp manifest quá lớn.")
                    manifest = json.loads(source.read().decode("utf-8"))
                    continue
                target = os.path.join(staging, *name.split("/"))
                os.makedirs(os.path.dirname(target), exist_ok=True)
                digest, size = hashlib.sha256(), 0
                with open(target, "xb") as out:
                    for chunk in iter(lambda: source.read(CHUNK), b""):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                got[name] = {"size": size, "sha256": digest.hexdigest()}
    except (tarfile.TarError, EOFError, zlib.error, OSError, UnicodeDecodeError, ValueError) as err:
        raise BackupError(f"Không đọc được bản sao lưu: {err}") from err
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), list):
        raise BackupError("Bản sao lưu không có manifest hợp lệ.")
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Định dạng bản sao lưu {manifest.get('format')!r} không được hỗ trợ.")
    problems, listed = [], {}
    for entry in manifest["files"]:
        listed[entry.get("path")] = entry
    for name in sorted(set(listed) - set(got)):
        problems.append(f"thiếu {name}")
    for name in sorted(set(got) - set(listed)):
        problems.append(f"không có trong manifest: {name}")
    for name in sorted(set(got) & set(listed)):
        if (got[name]["size"], got[name]["sha256"]) != (listed[name].get("size"), listed[name].get("sha256")):
            problems.append(f"sai kích thước hoặc SHA-256: {name}")
    database = manifest.get("database") or {}
    if database.get("path") not in got:
        problems.append("không có tệp cơ sở dữ liệu")
    if problems:
        raise BackupError("Bản sao lưu không khớp manifest, không khôi phục: " + "; ".join(problems[:10])
                          + (f" (và {len(problems) - 10} lỗi khác)" if len(problems) > 10 else ""))
    return manifest


def verify(archive):
    """Check an archive without restoring it; returns its manifest."""
    staging = tempfile.mkdtemp(prefix="cchc-verify-")
    try:
        manifest = extract_verified(archive, staging)
        database = manifest["database"]
        if database.get("engine") == "sqlite":
            found = integrity(os.path.join(staging, *database["path"].split("/")))
            if found != "ok":
                raise BackupError(f"Cơ sở dữ liệu trong bản sao lưu không toàn vẹn: {found}")
        return manifest
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def in_use(app):
    """Who else uses the target database: a description, or None."""
    url = db.engine.url
    if engine_kind(url) == "sqlite":
        path = sqlite_path(url)
        pids = sqlite_holders(path) if os.path.exists(path) else []
        return f"các tiến trình {', '.join(map(str, pids))} đang mở {path}" if pids else None
    count = pg_other_sessions()
    return f"{count} phiên khác đang kết nối tới cơ sở dữ liệu" if count else None


def _has_data(url):
    if engine_kind(url) == "sqlite":
        path = sqlite_path(url)
        return os.path.exists(path) and os.path.getsize(path) > 0
    return True


def restore(app, archive, force=False, safety_backup=True):
    """Restore `archive` into this app's database and instance folder. Returns a summary dict."""
    url = db.engine.url
    kind = engine_kind(url)
    os.makedirs(app.instance_path, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".restore-", dir=app.instance_path)
    try:
        manifest = extract_verified(archive, staging)
        database = manifest["database"]
        if database.get("engine") != kind:
            raise BackupError(f"Bản sao lưu là của {database.get('engine')}, cơ sở dữ liệu hiện tại là {kind}.")
        staged_db = os.path.join(staging, *database["path"].split("/"))
        if kind == "sqlite":
            found = integrity(staged_db)
            if found != "ok":
                raise BackupError(f"Cơ sở dữ liệu trong bản sao lưu không toàn vẹn: {found}")
        users = in_use(app)
        if users and not force:
            raise BackupError(f"Cơ sở dữ liệu đang được dùng ({users}). Dừng dịch vụ trước "
                              "(systemctl stop cchc) hoặc thêm --force.")
        safety = None
        if safety_backup and _has_data(url):
            safety, _ = create(app, label="pre-restore")
        db.session.remove()
        db.engine.dispose()
        if kind == "sqlite":
            _sqlite_restore(staged_db, sqlite_path(url))
        else:
            _pg_restore(app, url, staged_db)
        db.engine.dispose()
        for top in FILE_DIRS:
            _swap_in(os.path.join(staging, top), os.path.join(app.instance_path, top), staging)
        return {"manifest": manifest, "safety_backup": safety, "in_use": users,
                "files": sum(1 for e in manifest["files"] if e["path"] != database["path"])}
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap_in(staged, live, staging):
    """Put the restored folder in place of the live one (two renames on one file system)."""
    if not os.path.isdir(staged):
        os.makedirs(staged)
    if os.path.exists(live):
        os.replace(live, os.path.join(staging, ".old-" + os.path.basename(live)))
    os.replace(staged, live)
