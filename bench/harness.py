"""What the operations benches and tests share: a scratch database with the plan open, gunicorn
started on it with the project's gunicorn.conf.py, signed-in HTTP clients, and writer threads that
save task-result drafts through HTTP and record every write the server acknowledged.

Used by bench/kill_worker.py and by tests/test_ops.py and tests/test_backup.py (loaded by path).

The writers' bookkeeping makes "no acknowledged write lost" checkable on a draft that is saved over
and over: every save sends the item's version and carries a unique marker (`w <item>:<new version>:
<nonce>`), and the app's conditional `UPDATE … WHERE version = ?` makes the versions of one item a
chain. So for each item the database (live, or restored from a backup) must hold a version at least
that of the last acknowledged save, and its text must be the marker of an attempt that produced
exactly that version (an attempt whose answer was lost may have committed: allowed, and counted).
"""
import http.client
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

PASSWORD = "PhuLien@2025"
PERIOD = "Quý III/2025"
OFFICERS = ("vhxh", "vp", "kthtdt", "ttsnc", "ttpvhcc")
TIMEOUT = 30


# -- a scratch database -------------------------------------------------------------------------------


def prepare_database(database_url, instance, fresh=True):
    """Schema, plan, demo accounts (a cheap password hash) and Quý III/2025 opened, in `database_url`.
    Everything already in that database is dropped when `fresh`: point it only at a scratch database."""
    os.environ["CCHC_INSTANCE_PATH"] = instance
    from sqlalchemy import select
    from werkzeug.security import generate_password_hash

    from workflow import create_app
    from workflow.extensions import db
    from workflow.items import services
    from workflow.models import ReportingPeriod, User
    from workflow.seed import load_plan, seed_demo_accounts

    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        if fresh:
            db.drop_all()
            db.create_all()
            load_plan()
            seed_demo_accounts(password_hash=generate_password_hash(PASSWORD, method="scrypt:1024:8:1"))
            admin = db.session.scalar(select(User).where(User.username == "admin"))
            period = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.name == PERIOD))
            services.open_period(admin, period)
        db.session.remove()
        db.engine.dispose()


def draft_items(database_url, per_officer=2):
    """{officer: [task result id, ...]}: drafts of Quý III/2025 that each officer's unit leads."""
    from sqlalchemy import create_engine, text
    engine = create_engine(database_url)
    found = {}
    with engine.connect() as conn:
        for username in OFFICERS:
            rows = conn.execute(text(
                "SELECT tr.id FROM task_results tr JOIN users u ON u.unit_id = tr.unit_id "
                "JOIN reporting_periods p ON p.id = tr.period_id "
                "WHERE u.username = :u AND p.name = :p ORDER BY tr.id"), {"u": username, "p": PERIOD}).scalars().all()
            found[username] = list(rows[:per_officer])
    engine.dispose()
    return found


def stored_items(database_url, ids):
    """{id: (version, done_text)} read straight from the database."""
    from sqlalchemy import bindparam, create_engine, text
    engine = create_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, version, done_text FROM task_results WHERE id IN :ids")
                            .bindparams(bindparam("ids", expanding=True)), {"ids": list(ids)}).all()
    engine.dispose()
    return {r.id: (r.version, r.done_text) for r in rows}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- gunicorn -----------------------------------------------------------------------------------------


class Gunicorn:
    """gunicorn with the project's gunicorn.conf.py on 127.0.0.1 (a port the kernel picks), its log
    in a file. Stop it with stop() (or use it as a context manager)."""

    def __init__(self, instance, database_url, workers=2, threads=4, log_path=None, extra_env=None):
        self.instance, self.database_url = instance, database_url
        self.workers, self.threads = workers, threads
        self.log_path = log_path or os.path.join(instance, "gunicorn.log")
        self.extra_env = extra_env or {}
        self.process, self.port = None, None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout=60):
        os.makedirs(self.instance, exist_ok=True)
        env = {**os.environ, "PORT": "0", "WEB_CONCURRENCY": str(self.workers), "GUNICORN_THREADS": str(self.threads),
               "CCHC_INSTANCE_PATH": self.instance, "DATABASE_URL": self.database_url, **self.extra_env}
        env.pop("TEST_DATABASE_URL", None)
        self.log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", os.path.join(ROOT, "gunicorn.conf.py"),
             "--no-control-socket", "--chdir", ROOT],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while self.port is None:
            found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", self.log_text())
            if found:
                self.port = int(found.group(1))
            elif self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"gunicorn did not start:\n{self.log_text()}")
            else:
                time.sleep(0.05)
        self.wait_workers(self.workers, deadline - time.monotonic())
        self.wait_healthy(deadline - time.monotonic())
        return self

    def log_text(self):
        with open(self.log_path, "rb") as fh:
            return fh.read().decode("utf-8", "replace")

    def worker_pids(self):
        """The master's children, from /proc (no psutil needed)."""
        master = self.process.pid
        try:
            with open(f"/proc/{master}/task/{master}/children") as fh:
                return sorted(int(p) for p in fh.read().split())
        except OSError:
            pids = []
            for pid in filter(str.isdigit, os.listdir("/proc")):
                try:
                    with open(f"/proc/{pid}/stat") as fh:
                        if int(fh.read().rsplit(")", 1)[1].split()[1]) == master:
                            pids.append(int(pid))
                except (OSError, IndexError, ValueError):
                    continue
            return sorted(pids)

    def wait_workers(self, count, timeout=30, exclude=()):
        """Until `count` workers (none of `exclude`) are up; their pids."""
        deadline = time.monotonic() + max(timeout, 1)
        while time.monotonic() < deadline:
            pids = [p for p in self.worker_pids() if p not in exclude]
            if len(pids) >= count:
                return pids
            time.sleep(0.05)
        raise RuntimeError(f"gunicorn has {self.worker_pids()} workers, wanted {count}:\n{self.log_text()}")

    def wait_healthy(self, timeout=30):
        deadline = time.monotonic() + max(timeout, 1)
        while True:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=5) as response:
                    if response.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"/healthz never answered 200:\n{self.log_text()}")
            time.sleep(0.1)

    def stop(self, timeout=20):
        """SIGINT (gunicorn's quick shutdown), SIGKILL to the whole group if it lingers."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
        if getattr(self, "log", None) and not self.log.closed:
            self.log.close()
        return self.process.returncode if self.process else None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


# -- HTTP clients -------------------------------------------------------------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def hidden_value(html, name):
    for tag in re.findall(r"<input[^>]*>", html):
        if re.search(rf'\bname="{re.escape(name)}"', tag):
            value = re.search(r'\bvalue="([^"]*)"', tag)
            if value:
                return value.group(1)
    return None


class Browser:
    """One signed-in person: a cookie jar, the CSRF token of the session (when the app checks them)."""

    def __init__(self, base, username, password=PASSWORD):
        self.base, self.username = base, username
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())
        _, page, _ = self.get("/login")
        status, _, location = self.post("/login", {"username": username, "password": password,
                                                   "csrf_token": hidden_value(page, "csrf_token") or ""})
        if status != 303 or location.endswith("/login"):
            raise RuntimeError(f"{username} could not sign in ({status})")
        self.token = None  # the sign-in starts a new session: its token comes with the next page

    def _open(self, request):
        try:
            with self.opener.open(request, timeout=TIMEOUT) as response:
                return response.status, response.read().decode("utf-8", "replace"), response.headers.get("Location", "")
        except urllib.error.HTTPError as err:
            with err:
                return err.code, err.read().decode("utf-8", "replace"), err.headers.get("Location", "")

    def get(self, path):
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path, data):
        body = urllib.parse.urlencode(data).encode()
        return self._open(urllib.request.Request(self.base + path, data=body, method="POST"))

    def item_version(self, item_id):
        """The item's version as its page shows it (and this session's CSRF token from the same page)."""
        status, page, _ = self.get(f"/items/task-result/{item_id}")
        if status != 200:
            raise RuntimeError(f"item {item_id}: {status}")
        self.token = hidden_value(page, "csrf_token") or self.token
        return int(hidden_value(page, "version"))


# -- writers ------------------------------------------------------------------------------------------


@dataclass
class Write:
    item_id: int
    version: int  # the version the save creates
    marker: str
    sent: float
    acked: float | None = None  # time.monotonic() when the 303 came back
    error: str | None = None


@dataclass
class Ledger:
    writes: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, write):
        with self.lock:
            self.writes.append(write)

    @property
    def acked(self):
        return [w for w in self.writes if w.acked is not None]

    @property
    def errors(self):
        return [w for w in self.writes if w.error is not None]

    def check(self, stored, before=None):
        """Compare with {id: (version, done_text)} read from a database. `before`: only the writes
        acknowledged before that time.monotonic() must be there (a backup taken then). Returns
        (lost, unacknowledged commits): `lost` lists every item whose acknowledged write the database
        does not hold, or whose text no attempt wrote at that version (a torn or mixed write)."""
        with self.lock:
            writes = sorted(self.writes, key=lambda w: w.sent)
        lost, unacked = [], 0
        for item_id in sorted({w.item_id for w in writes}):
            mine = [w for w in writes if w.item_id == item_id]
            version, text = stored.get(item_id, (None, None))
            must = [w for w in mine if w.acked is not None and (before is None or w.acked < before)]
            last = max(must, key=lambda w: w.version) if must else None
            if last is not None and (version is None or version < last.version):
                lost.append({"item": item_id, "acknowledged": last.version, "found": version})
                continue
            at_version = [w for w in mine if w.version == version]
            if at_version and text not in {w.marker for w in at_version}:
                lost.append({"item": item_id, "version": version, "text": (text or "")[:60]})
                continue
            for i, w in enumerate(mine):  # an attempt whose answer was lost but which committed
                if w.acked is None:
                    later = mine[i + 1] if i + 1 < len(mine) else None
                    if (later is not None and later.version == w.version + 1) or \
                            (later is None and before is None and (version, text) == (w.version, w.marker)):
                        unacked += 1
        return lost, unacked


def write_fields(version, marker, token):
    data = {"version": version, "work_status": "in_progress", "progress": 50, "done_text": marker,
            "completed_on": "", "output_text": "Sản phẩm thử tải", "blocked_reason": ""}
    if token:
        data["csrf_token"] = token
    return data


class Writers:
    """`threads` threads, each signed in as an officer, saving drafts of that officer's items in turn
    until stop(); every save attempt goes into the ledger, every other request that failed (a sign-in,
    a page read) is counted in `other_errors`. start() returns once every thread has signed in and read
    its items' versions, so the load begins at once."""

    def __init__(self, base, items, threads=8, pause=0.0):
        self.base, self.pause, self.ledger = base, pause, Ledger()
        self.stopping, self.go = threading.Event(), threading.Event()
        pairs = [(officer, item) for officer, ids in items.items() for item in ids]
        assignments = [[] for _ in range(threads)]
        for i, pair in enumerate(pairs):
            assignments[i % threads].append(pair)
        self.threads = [threading.Thread(target=self._run, args=(mine,), name=f"writer-{i}", daemon=True)
                        for i, mine in enumerate(assignments) if mine]
        self.ready = threading.Semaphore(0)
        self.failures, self.other_errors = [], 0
        self._errors_lock = threading.Lock()

    def start(self, timeout=60):
        for thread in self.threads:
            thread.start()
        deadline = time.monotonic() + timeout
        for _ in self.threads:
            if not self.ready.acquire(timeout=max(deadline - time.monotonic(), 0.1)):
                self.stopping.set()
                raise RuntimeError(f"the writers could not sign in: {self.failures}")
        self.started = time.monotonic()
        self.go.set()
        return self

    def stop(self):
        self.stopping.set()
        self.go.set()
        for thread in self.threads:
            thread.join(TIMEOUT + 10)
        if any(t.is_alive() for t in self.threads):
            raise RuntimeError("a writer thread never came back")
        return self.ledger

    def _count_error(self):
        with self._errors_lock:
            self.other_errors += 1

    def _session(self, officer):
        while not self.stopping.is_set():
            try:
                return Browser(self.base, officer)
            except (OSError, http.client.HTTPException, RuntimeError):  # e.g. a worker was killed under this request: try again
                self._count_error()
                time.sleep(0.05)
        return None

    def _version(self, browser, item_id):
        while not self.stopping.is_set():
            try:
                return browser.item_version(item_id)
            except (OSError, http.client.HTTPException, RuntimeError):
                self._count_error()
                time.sleep(0.05)
        return None

    def _run(self, mine):
        try:
            sessions, versions = {}, {}
            for officer, item_id in mine:
                sessions[officer] = sessions.get(officer) or self._session(officer)
                if sessions[officer] is None:
                    return
                versions[item_id] = self._version(sessions[officer], item_id)
            self.ready.release()
            self.go.wait()
            self._loop(mine, sessions, versions)
        except Exception as err:  # noqa: BLE001 - reported to the caller
            self.failures.append(repr(err))

    def _loop(self, mine, sessions, versions):
        n = 0
        while not self.stopping.is_set():
            officer, item_id = mine[n % len(mine)]
            n += 1
            browser = sessions[officer]
            if versions.get(item_id) is None:
                versions[item_id] = self._version(browser, item_id)
                if versions[item_id] is None:
                    return
            version = versions[item_id]
            write = Write(item_id, version + 1, f"w {item_id}:{version + 1}:{uuid.uuid4().hex[:12]}", time.monotonic())
            self.ledger.add(write)
            try:
                status, _, _ = browser.post(f"/items/task-result/{item_id}",
                                            write_fields(version, write.marker, browser.token))
            # reset, refused, timeout, or an answer cut off by the kill (IncompleteRead): the outcome is unknown
            except (OSError, http.client.HTTPException) as err:
                write.error = type(err).__name__
                versions[item_id] = None  # read it again from the page
                continue
            if status == 303:
                write.acked = time.monotonic()
                versions[item_id] = version + 1
            else:
                write.error = f"HTTP {status}"
                versions[item_id] = None
            if self.pause:
                time.sleep(self.pause)


class ScratchDatabase:
    """A database of its own for a live server: a SQLite file in `folder`, or, when `base_url` is
    PostgreSQL, a database `<its name>_<suffix>` created on the same server and dropped at the end."""

    def __init__(self, base_url, folder, suffix):
        self.base_url, self.folder, self.suffix = base_url, folder, suffix
        self.url, self._server = None, None

    def __enter__(self):
        if self.base_url and self.base_url.startswith("postgresql"):
            from sqlalchemy import create_engine
            from sqlalchemy.engine import make_url
            base = make_url(self.base_url)
            self.name = f"{base.database}_{self.suffix}"
            self._server = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
            with self._server.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
                conn.exec_driver_sql(f'CREATE DATABASE "{self.name}"')
            self.url = base.set(database=self.name).render_as_string(hide_password=False)
        else:
            os.makedirs(self.folder, exist_ok=True)
            self.url = f"sqlite:///{os.path.join(self.folder, self.suffix + '.db')}"
        return self

    def __exit__(self, *exc):
        if self._server is not None:
            with self._server.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self._server.dispose()
