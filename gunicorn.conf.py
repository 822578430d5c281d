"""Gunicorn settings for `make run` (and a systemd unit): sized for a 2-core machine.

    PORT=5000 WEB_CONCURRENCY=2 GUNICORN_THREADS=4 .venv/bin/gunicorn --config gunicorn.conf.py

Two worker processes of four threads each (gthread): a request that renders a PDF (1-20 s of
WeasyPrint) ties up one thread, not the site, and a worker that dies (kill -9, out of memory) is
replaced by the master while the other keeps serving. The app logs one line per request itself
(workflow/ops.py, with its request id), so gunicorn's own access log stays off; its error log
(start, stop, worker deaths) goes to stderr like the app's.

Bound to 127.0.0.1 only: put a reverse proxy (nginx, a load balancer) in front for TLS. On SQLite
the app opens every connection in WAL mode with a busy timeout (workflow/extensions.py), so two
processes share the file safely.
"""
import os

wsgi_app = "wsgi:app"
bind = f"127.0.0.1:{os.environ.get('PORT', '5000')}"

worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

# gthread's heartbeat does not wait on requests, so a long PDF render is not killed for it; the
# timeout only catches a worker whose main loop is stuck.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30  # on stop/restart, requests in flight get this long to finish
keepalive = 5

# Requests a worker serves before it is replaced (with jitter, so both workers never restart at once):
# bounds what a slow leak can grow to.
max_requests = 2000
max_requests_jitter = 200

# Slow-client and oversized-header protection (the defaults, written down).
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

control_socket_disable = True  # gunicorn 27's control socket: not used here (same as --no-control-socket)

accesslog = None  # the app writes one structured line per request (workflow/ops.py)
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "cchc-workflow"


def on_starting(server):
    """Create instance/config.py (its random SECRET_KEY) once, in the master, before any worker
    starts: two workers creating it at the same moment could each sign sessions with its own key."""
    from workflow import ROOT
    from workflow.config import ensure_instance_config

    ensure_instance_config(os.environ.get("CCHC_INSTANCE_PATH", os.path.join(ROOT, "instance")))


def post_worker_init(worker):
    """The app is loaded in this worker: move what it allocated so far (modules, the SQLAlchemy
    mappers, the templates) out of the garbage collector's scans, and let a page's many short-lived
    objects (a city's dashboard makes ~10^5) reach a collection less often: a full collection walks
    every tracked object, and at the default thresholds a big page paid for several. Measured on the city
    database (BENCHMARKS.md): the first home page of a worker 1.96 s -> 1.45 s, later ones 205 -> 185 ms."""
    import gc
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
