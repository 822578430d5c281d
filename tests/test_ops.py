"""Operations: /healthz for a load balancer, the request id and the one log line per request, and
the app served the way `make run` serves it: gunicorn with gunicorn.conf.py, which keeps every
acknowledged write when one of its workers is killed with SIGKILL under load.

The gunicorn tests start gunicorn (2 workers × 4 threads, gthread) on 127.0.0.1 on a scratch
database of their own (a SQLite file, or a database created next to TEST_DATABASE_URL's on
PostgreSQL), drive it over HTTP with signed-in sessions (CSRF tokens and all) and stop it.
"""
import importlib.util
import json
import logging
import os
import pathlib
import re
import runpy
import subprocess
import sys
import time
import urllib.request

import pytest

from workflow import ops
from workflow.extensions import db, limiter

from .conftest import make_app
from .items_support import user

ROOT = pathlib.Path(__file__).resolve().parent.parent


def load_bench(name):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return module


harness = load_bench("harness")


def request_lines(caplog):
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "workflow.requests"]


@pytest.fixture
def logs(caplog):
    caplog.set_level(logging.INFO, logger="workflow.requests")
    return caplog


# -- /healthz -------------------------------------------------------------------------------------------


def test_healthz_answers_200_without_a_session(client):
    response = client.get("/healthz", buffered=True)
    assert response.status_code == 200
    assert response.json["status"] == "ok" and response.json["database"] == "ok"
    assert response.json["disk_free_mb"] > 0
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers  # no session started for a probe
    assert response.headers["Content-Type"] == "application/json"


def test_healthz_is_503_when_the_disk_is_nearly_full(client, monkeypatch):
    monkeypatch.setattr(ops, "free_mb", lambda path: 42.0)
    response = client.get("/healthz", buffered=True)
    assert response.status_code == 503
    assert response.json["status"] == "fail" and response.json["database"] == "ok"
    assert response.json["problems"] == ["disk space low (42 MB free, minimum 100 MB)"]
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("app_config", [{"HEALTH_MIN_FREE_MB": 10 ** 12}])
def test_the_free_space_threshold_is_configurable(client, app_config):
    response = client.get("/healthz", buffered=True)
    assert response.status_code == 503 and "disk space low" in response.json["problems"][0]


def test_healthz_is_503_when_the_database_does_not_answer(tmp_path):
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'no-such-folder' / 'x.db'}")
    with app.app_context():
        response = app.test_client().get("/healthz", buffered=True)
        db.engine.dispose()
    assert response.status_code == 503
    assert response.json["database"] == "fail"
    assert response.json["problems"] == ["database unavailable (OperationalError)"]
    assert "no-such-folder" not in response.text  # the reason, not the path or the driver's message


@pytest.mark.parametrize("app_config", [{"RATELIMIT_DEFAULT": "2 per minute"}])
def test_healthz_is_never_rate_limited(client, app_config):
    try:
        assert [client.get("/healthz", buffered=True).status_code for _ in range(5)] == [200] * 5
        assert [client.get("/login", buffered=True).status_code for _ in range(3)] == [200, 200, 429]  # it applies elsewhere
    finally:
        # One Limiter serves every app of the session and keeps a default limit once given one.
        limiter.limit_manager.set_default_limits([])


# -- request id and log line ------------------------------------------------------------------------------


def test_a_well_formed_request_id_is_echoed_and_logged(client, logs):
    response = client.get("/healthz?token=s3cret", headers={"X-Request-ID": "lb-7f3a.42"}, buffered=True)
    assert response.headers["X-Request-ID"] == "lb-7f3a.42"
    assert response.json["request_id"] == "lb-7f3a.42"
    [line] = request_lines(logs)
    assert line["request_id"] == "lb-7f3a.42"
    assert (line["method"], line["path"], line["status"], line["user_id"]) == ("GET", "/healthz", 200, None)
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert "s3cret" not in logs.text  # the path only, never the query string


@pytest.mark.parametrize("sent", ["", "has space", "x" * 129, "bad\"quote", "-leading-dash", "ý-không-ascii"])
def test_a_malformed_request_id_is_replaced(client, logs, sent):
    response = client.get("/healthz", headers={"X-Request-ID": sent}, buffered=True)
    rid = response.headers["X-Request-ID"]
    assert rid != sent and re.fullmatch(r"[0-9a-f]{32}", rid)
    assert [line["request_id"] for line in request_lines(logs)] == [rid]


def test_one_line_per_request_whatever_its_answer(client, logs):
    answers = [client.get(path, buffered=True) for path in ("/healthz", "/login", "/no-such-page", "/")]
    lines = request_lines(logs)
    assert [(line["path"], line["status"]) for line in lines] == [
        ("/healthz", 200), ("/login", 200), ("/no-such-page", 404), ("/", 302)]
    assert [line["request_id"] for line in lines] == [a.headers["X-Request-ID"] for a in answers]
    assert len({line["request_id"] for line in lines}) == 4


def test_the_line_names_the_signed_in_user_by_id_only(auth, client, logs):
    client.post("/login", data={"username": "ttpvhcc", "password": "PhuLien@2025"}, buffered=True)
    client.get("/", buffered=True)
    officer = user("ttpvhcc")
    lines = request_lines(logs)
    assert [(line["method"], line["status"], line["user_id"]) for line in lines] == [
        ("POST", 303, officer.id), ("GET", 200, officer.id)]
    assert officer.session_token not in logs.text  # the session id is "<id>:<token>": never logged


def test_the_logged_path_is_decoded_and_escaped(client, logs):
    client.get("/tài-liệu%0Agiả", buffered=True)
    [record] = [r for r in logs.records if r.name == "workflow.requests"]
    assert "\n" not in record.getMessage()  # one line, whatever the path holds
    assert json.loads(record.getMessage())["path"] == "/tài-liệu\ngiả"


# -- served by gunicorn, as `make run` does --------------------------------------------------------------


def test_make_run_serves_with_gunicorn(monkeypatch):
    """`make run` = install, debs, db, serve-demo: gunicorn with gunicorn.conf.py (not flask run), in demo mode."""
    # Run from `make test`, make would print "Entering/Leaving directory" lines: not a nested make here.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    dry = subprocess.run(["make", "--no-print-directory", "-n", "run", "PORT=5123"], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True).stdout
    serve = dry.strip().splitlines()[-1]
    assert serve == "DEMO_MODE=1 PORT=5123 .venv/bin/gunicorn --config gunicorn.conf.py --no-control-socket"
    assert "init-db" in dry and "seed-demo" in dry and "flask --app wsgi run" not in dry
    monkeypatch.setenv("PORT", "5123")
    for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS"):
        monkeypatch.delenv(name, raising=False)
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert settings["bind"] == "127.0.0.1:5123" and settings["wsgi_app"] == "wsgi:app"
    assert (settings["workers"], settings["threads"], settings["worker_class"]) == (2, 4, "gthread")
    assert settings["control_socket_disable"] is True
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["workers"] == 3


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """gunicorn on a scratch database with the plan open; its log in the instance folder."""
    folder = tmp_path_factory.mktemp("served")
    with harness.ScratchDatabase(os.environ.get("TEST_DATABASE_URL"), str(folder), "served") as scratch:
        harness.prepare_database(scratch.url, str(folder / "instance"))
        server = harness.Gunicorn(str(folder / "instance"), scratch.url, workers=2, threads=4).start()
        try:
            yield server, scratch.url
        finally:
            server.stop()


def test_gunicorn_serves_healthz_with_the_request_id(served):
    server, _ = served
    request = urllib.request.Request(server.url + "/healthz", headers={"X-Request-ID": "probe-1"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200 and response.headers["Server"] == "gunicorn"
        assert response.headers["X-Request-ID"] == "probe-1"
        assert json.loads(response.read())["status"] == "ok"
    assert len(server.worker_pids()) == 2
    line = re.compile(r'INFO in ops: \{"event": "request", "request_id": "probe-1", "method": "GET", '
                      r'"path": "/healthz", "status": 200, "duration_ms": [0-9.]+, "user_id": null')
    deadline = time.monotonic() + 10  # written once the answer has gone out: a moment after the client has it
    while not line.search(server.log_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert line.search(server.log_text())


def test_kill_9_of_a_worker_under_load_loses_no_acknowledged_write(served):
    server, url = served
    kill_worker = load_bench("kill_worker")
    figures = kill_worker.kill_one_worker(server, url, threads=8, before=1.0, after=1.5)
    assert figures["writer_failures"] == []
    assert figures["acknowledged"] > 10 and figures["acknowledged_after_kill"] > 0
    assert figures["lost"] == 0, figures["lost_detail"]
    assert figures["workers_at_end"] == 2 and figures["replacement_workers"]
    assert figures.get("integrity_check", "ok") == "ok"
    print(json.dumps(figures))
