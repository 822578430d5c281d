"""Operations: /healthz for a load balancer, and one structured log line per request with its id.

/healthz answers 200 when the database answers `SELECT 1` and the disk holding the instance folder
(uploads, stored documents, the SQLite file) has more than HEALTH_MIN_FREE_MB free; 503 with the
reasons otherwise. It needs no session, sets no cookie, is never rate-limited and is never cached.

Every request gets an id: the caller's X-Request-ID when it is well-formed (a proxy's or load
balancer's), else a new one. It is echoed in the X-Request-ID response header and written, with the
method, the path (never the query string: it may carry tokens), the status, the duration, the
signed-in user's id and the client address, as one JSON line on the `workflow.requests` logger
(Flask's app logger → stderr → gunicorn's error log / journald). The line is written when the
response has been sent (its body iterator closed), so a slow download counts in full; the
request id is in `request.environ["cchc.request_id"]` for the rest of the app.
"""
import json
import logging
import os
import re
import shutil
import time
import uuid

from flask import Blueprint, current_app, g, jsonify, request
from sqlalchemy import text
from werkzeug.wsgi import ClosingIterator

from .extensions import db, limiter

bp = Blueprint("ops", __name__)
log = logging.getLogger("workflow.requests")

ENVIRON_ID = "cchc.request_id"
ENVIRON_USER = "cchc.user_id"
# A caller's id is taken only when it cannot break a log line or a header: letters, digits and
# a few separators (UUIDs, AWS trace ids, nginx $request_id), at most 128 characters.
WELL_FORMED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:;=+/-]{0,127}")
PATH_MAX = 512  # a longer path (a scanner's) is cut in the log line
# Paths whose last part is a secret (a calendar feed, a mail stop link, a password reset): logged without it.
SECRET_PATHS = re.compile(r"^(/lich/|/mail/stop/|/dat-lai-mat-khau/)[^/]+")


def new_request_id():
    return uuid.uuid4().hex


def request_id_from(header):
    """The caller's id if it is well-formed, else a new one."""
    header = (header or "").strip()
    return header if WELL_FORMED.fullmatch(header) else new_request_id()


def current_request_id():
    return request.environ.get(ENVIRON_ID)


class RequestLog:
    """WSGI middleware around the Flask app: the id, the response header and the log line."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        rid = request_id_from(environ.get("HTTP_X_REQUEST_ID"))
        environ[ENVIRON_ID] = rid
        seen = {}

        def start(status, headers, exc_info=None):
            seen["status"] = status
            headers = [(k, v) for k, v in headers if k.lower() != "x-request-id"]
            headers.append(("X-Request-ID", rid))
            return start_response(status, headers, exc_info)

        try:
            body = self.wsgi_app(environ, start)
        except BaseException:
            write_line(environ, "500", started)  # the server answers 500 for an app that raised
            raise
        return ClosingIterator(body, lambda: write_line(environ, seen.get("status", "500"), started))


def write_line(environ, status, started):
    path = (environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")) or "/"
    try:
        path = path.encode("latin-1").decode("utf-8", "replace")  # WSGI hands the path over as latin-1
    except UnicodeEncodeError:
        pass
    try:
        code = int(str(status).split(" ", 1)[0])
    except ValueError:
        code = 0
    log.info(json.dumps({
        "event": "request",
        "request_id": environ.get(ENVIRON_ID),
        "method": environ.get("REQUEST_METHOD"),
        "path": SECRET_PATHS.sub(r"\1[token]", path)[:PATH_MAX],
        "status": code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        "user_id": environ.get(ENVIRON_USER),
        "ip": environ.get("REMOTE_ADDR"),
    }, ensure_ascii=True))  # ASCII: a path cannot bring a line break or a control character into the log


def _remember_user(response):
    """Hand the signed-in user's id to the log line. Only a user the request already loaded: looking
    one up here would cost every anonymous request (and /healthz) a query and a session."""
    user = g.get("_login_user")  # Flask-Login's cache of current_user for this request
    if user is not None and getattr(user, "is_authenticated", False):
        # The row id, never the session's "<id>:<token>" (User.session_id): the token is a secret.
        request.environ[ENVIRON_USER] = getattr(user, "id", None)
    return response


# -- /healthz -----------------------------------------------------------------------------------


def free_mb(path):
    """Free space, in MB, on the disk holding `path` (for an unprivileged process)."""
    return shutil.disk_usage(path).free / (1024 * 1024)


def watched_dirs(app):
    """The folders whose disk must have room: the instance folder (uploads/, documents/, backups/) and
    the SQLite file's folder when the database is a file elsewhere."""
    dirs = [app.instance_path]
    uri = app.config.get("SQLALCHEMY_DATABASE_URI", "")
    if uri.startswith("sqlite:///"):
        database = db.engine.url.database
        if database and database != ":memory:":
            dirs.append(os.path.dirname(os.path.abspath(database)))
    found = []
    for path in dirs:
        while path and not os.path.isdir(path):  # not created yet: its nearest existing parent
            parent = os.path.dirname(path)
            path = parent if parent != path else ""
        if path and path not in found:
            found.append(path)
    return found


def check_database():
    """None when the database answers SELECT 1; else the reason (the error's class, not its text:
    it may name hosts or users)."""
    try:
        db.session.execute(text("SELECT 1")).scalar_one()
        return None
    except Exception as err:  # noqa: BLE001 - any failure means "not healthy"
        current_app.logger.warning("healthz: database check failed (request %s): %r", current_request_id(), err)
        return f"database unavailable ({type(err).__name__})"
    finally:
        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001, S110 - the connection is already gone
            pass


@bp.get("/healthz")
@limiter.exempt
def healthz():
    minimum = float(current_app.config.get("HEALTH_MIN_FREE_MB", 100))
    problems = []
    database = check_database()
    if database:
        problems.append(database)
    free = None
    try:
        free = min(free_mb(path) for path in watched_dirs(current_app))
    except OSError as err:
        problems.append(f"disk unreadable ({type(err).__name__})")
    if free is not None and free < minimum:
        problems.append(f"disk space low ({int(free)} MB free, minimum {int(minimum)} MB)")
    body = {
        "status": "fail" if problems else "ok",
        "database": "fail" if database else "ok",
        "disk_free_mb": None if free is None else int(free),
        "request_id": current_request_id(),
    }
    if problems:
        body["problems"] = problems
    response = jsonify(body)
    response.status_code = 503 if problems else 200
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app):
    app.wsgi_app = RequestLog(app.wsgi_app)
    app.after_request(_remember_user)
    log.setLevel(app.config.get("REQUEST_LOG_LEVEL", "INFO"))
    app.logger  # noqa: B018 - creating Flask's logger gives `workflow` its stderr handler when none is set
    app.register_blueprint(bp)
