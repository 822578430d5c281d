"""Whole pages kept between requests while nothing they show can have changed.

At city size (100 units, 10,000 tasks) the chairman's home page does ≈ 185 ms of work and a list page
20–30 ms; the same page asked again with nothing changed is ≈ 1.7 ms from here (BENCHMARKS.md). A
page is kept per app process under (data revision, person and session, URL, ward day):

- The data revision is the counter `pages` (models/revision.py). It moves in the same transaction as
  every write made through a session: a flush that wrote any row, an INSERT/UPDATE/DELETE run through
  it. It is read before the view runs, so a page kept under n was computed from data at least as new as
  n, and once a write commits no request reads n again. Exact, not a guess by time: a stale figure on
  the chairman's page is worse than a slow one.
- The person and the session: a page holds the person's own work and this session's CSRF token.
- The ward's day (the demo day in demo mode): late and due-soon lists change when a day passes.

Kept at most MAX_AGE seconds all the same: times shown such as "đã chờ 3 giờ" move without a write,
and a write made outside a session (restoring a backup, rebuilding the search index from the CLI)
shows within that. Never kept: anything but a plain GET answered 200 text/html (no htmx fragment, no
download), a page while a flashed message waits, a page whose view changed the session, a page that
sets a cookie of its own.
"""
import threading
import time
from collections import OrderedDict

from flask import current_app, g, request, session
from flask_login import current_user
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from .extensions import db
from .formats import local_date
from .models.org import utcnow
from .models.revision import PAGES, Revision

MAX_AGE = 60            # seconds a kept page is served before it is made again
WAIT = 30               # seconds a request waits for the thread making the same page
MAX_BYTES = 32 << 20    # per process: ≈ 170 city-sized home pages
_WROTE = "pages_wrote"
NEVER = frozenset({None, "static", "ops.healthz"})  # endpoints that are never a page: no key is read for them
# Signing in, password links (their validity runs out by the minute) and the like: cheap, and never kept.
NEVER_BLUEPRINTS = frozenset({"auth"})
# The session key any request may set without changing the page (security.SEEN). A CSRF token made while
# rendering is a change: the page then carries a token the key did not name.
_SESSION_OWN = ("_seen",)


# -- the revision: moves with every write -----------------------------------------------------------------

def _note_flush(session, _context):
    session.info[_WROTE] = True  # after_flush runs only for a flush that wrote something


def _note_statement(state):
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True


def _bump(session):
    session.flush()  # the commit's own flush comes after this event: its writes must be noted here
    if session.info.pop(_WROTE, False):
        session.connection().execute(update(Revision).where(Revision.name == PAGES).values(n=Revision.n + 1))


def _forget(session, *_):
    session.info.pop(_WROTE, None)


def install():
    """Listen to every session; once, however often it is called."""
    for name, listener in (("after_flush", _note_flush), ("do_orm_execute", _note_statement),
                           ("before_commit", _bump), ("after_rollback", _forget)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


# -- the kept pages ---------------------------------------------------------------------------------------

class Pages:
    """(body, headers, time kept) per key, least recently used dropped past MAX_BYTES; shared by the
    app's threads. One thread makes a missing page while the others asking for it wait for it (a city
    home page takes seconds the first time: four threads making it at once took four times as long),
    and a page past MAX_AGE is served to them while that one thread makes it again."""

    def __init__(self, max_bytes=MAX_BYTES):
        self.lock = threading.Lock()
        self.entries = OrderedDict()
        self.making = {}  # key -> Event set when the thread making that page is done
        self.size, self.max_bytes = 0, max_bytes

    def lookup(self, key):
        """(the entry to serve or None, whether this caller makes the page and must call done())."""
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None and time.monotonic() - entry[2] <= MAX_AGE:
                self.entries.move_to_end(key)
                return entry, False
            if key not in self.making:
                self.making[key] = threading.Event()
                return None, True
            event = self.making[key]
        if entry is not None:
            return entry, False  # past MAX_AGE, being made again: served until then
        event.wait(WAIT)
        with self.lock:
            return self.entries.get(key), False  # still none (not keepable, or failed): made here too

    def put(self, key, body, headers):
        if len(body) > self.max_bytes // 8:
            return
        with self.lock:
            if key in self.entries:
                self._drop(key)
            self.entries[key] = (body, headers, time.monotonic())
            self.size += len(body)
            while self.size > self.max_bytes:
                self._drop(next(iter(self.entries)))

    def done(self, key):
        with self.lock:
            event = self.making.pop(key, None)
        if event is not None:
            event.set()

    def _drop(self, key):
        self.size -= len(self.entries.pop(key)[0])


def pages():
    """This app's kept pages (each app, e.g. each test's, has its own)."""
    return current_app.extensions.setdefault("kept_pages", Pages())


def _key():
    """The key of this request's page, or None when it may not be kept."""
    if (request.method != "GET" or request.headers.get("HX-Request") or "_flashes" in session
            or request.endpoint in NEVER or request.blueprint in NEVER_BLUEPRINTS):
        return None
    revision = db.session.scalar(select(Revision.n).where(Revision.name == PAGES))
    if revision is None:
        return None
    person = current_user.get_id() if current_user.is_authenticated else None  # "<id>:<session token>"
    return (revision, person, session.get("csrf_token"), request.full_path, local_date(utcnow()))


def serve_kept():
    """before_request, after the person is known: the kept page, if any."""
    if not current_app.config["PAGE_CACHE"]:
        return None
    key = _key()
    if key is None:
        return None
    entry, making = pages().lookup(key)
    if making:
        g.page_making = key
    if entry is not None:
        body, headers, _ = entry
        return current_app.response_class(body, 200, headers)
    g.page_key, g.page_session = key, _own_session()  # made by the view: keep() keeps it
    return None


def keep(response):
    """after_request (run first of them): keep the page as the view made it."""
    key = g.pop("page_key", None)
    if (key is None or response.status_code != 200 or response.mimetype != "text/html"
            or response.direct_passthrough or "Set-Cookie" in response.headers
            or _own_session() != g.pop("page_session", None)):
        return response
    pages().put(key, response.get_data(), list(response.headers.items()))
    return response


def release(_exc=None):
    """teardown_request: whatever became of the page, the threads waiting for it go on."""
    key = g.pop("page_making", None)
    if key is not None:
        pages().done(key)


def _own_session():
    """The session as the view sees it, minus what any request may set."""
    return {k: v for k, v in session.items() if k not in _SESSION_OWN}


def init_app(app):
    """Registered last: serve_kept then runs after the other before_request functions (the sign-in
    limits, the session checks) and keep before the other after_request functions, which then add their
    headers to a kept page as to a fresh one."""
    app.before_request(serve_kept)
    app.after_request(keep)
    app.teardown_request(release)


install()
