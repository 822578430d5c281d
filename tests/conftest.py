"""Fixtures: a fresh database per test, a client, a login helper per role, a query counter.

TEST_DATABASE_URL points the suite at another server (PostgreSQL in CI); its user must be able to
create databases. Each test gets its own database copied from a template made once per session
(schema only, or schema + plan + demo accounts when the test asks for `seeded`): a SQLite file by
default, on PostgreSQL a database created from a template database.
"""
import atexit
import os
import shutil
import tempfile

import pytest
from sqlalchemy import create_engine, event
from sqlalchemy.engine import make_url
from werkzeug.security import generate_password_hash

from workflow import create_app
from workflow.documents import certificate
from workflow.extensions import db, limiter
from workflow.seed import DEMO_PASSWORD, load_plan, seed_demo_accounts

from .items_support import open_q3

ROLE_USERS = {
    "admin": "admin", "chairman": "chutich", "vicechairman": "phochutich", "reviewer": "thamdinh", "acceptor": "tiepnhan",
    "member": "vhxh", "vhxh": "vhxh", "vp": "vp", "kthtdt": "kthtdt", "ttsnc": "ttsnc", "ttpvhcc": "ttpvhcc",
}


_SIGNING = {}


def demo_signing():
    """One DEMO certificate for the whole session (documents/certificate.py), as app settings: every
    test app signs what its chairman signs with it."""
    if not _SIGNING:
        folder = tempfile.mkdtemp(prefix="cchc-signing-")
        atexit.register(shutil.rmtree, folder, True)
        signing_dir = certificate.ensure_demo(folder, "UBND phường Phù Liễn")
        passphrase = os.environ.get(certificate.PASSPHRASE_ENV)
        if not passphrase:
            with open(os.path.join(signing_dir, certificate.PASSPHRASE_FILE), encoding="utf-8") as fh:
                passphrase = fh.read().strip()
        _SIGNING.update(SIGNING_P12=os.path.join(signing_dir, "ward.p12"), SIGNING_CA=os.path.join(signing_dir, "ca.pem"),
                        SIGNING_IMAGES=signing_dir, SIGNING_PASSPHRASE=passphrase)
    return dict(_SIGNING)


def make_app(tmp_path, **overrides):
    config = {
        **demo_signing(),
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": os.environ.get("TEST_DATABASE_URL")
        or f"sqlite:///{tmp_path / 'test.db'}",
        "WTF_CSRF_ENABLED": False,
        "DEMO_MODE": True,
    }
    config.update(overrides)
    os.environ["CCHC_INSTANCE_PATH"] = str(tmp_path / "instance")  # uploads and documents per test
    return create_app(config)


@pytest.fixture
def app_config():
    """Override in a test module to change the app's configuration."""
    return {}


# scrypt as in production, at a work factor of 2^10 instead of 2^15: every sign-in of the suite
# checks a password, and the default cost (~0.15 s each) was a tenth of the suite's time.
TEST_HASH_METHOD = "scrypt:1024:8:1"


@pytest.fixture(scope="session")
def demo_hash():
    return generate_password_hash(DEMO_PASSWORD, method=TEST_HASH_METHOD)


def _fill(name, demo_hash):
    """The schema, and for "seeded" the plan and the demo accounts, in the current app's database."""
    db.create_all()
    if name == "seeded":
        load_plan()
        seed_demo_accounts(password_hash=demo_hash)
    db.session.remove()
    db.engine.dispose()  # closes the last connection (SQLite folds the WAL back into the file)


@pytest.fixture(scope="session")
def sqlite_templates(tmp_path_factory, demo_hash):
    """Two SQLite files built once: {'schema': ..., 'seeded': ...}."""
    if os.environ.get("TEST_DATABASE_URL"):
        return None
    paths = {}
    for name in ("schema", "seeded"):
        folder = tmp_path_factory.mktemp(f"template-{name}")
        with make_app(folder).app_context():
            _fill(name, demo_hash)
        paths[name] = folder / "test.db"
    return paths


class PostgresTemplates:
    """The PostgreSQL counterpart: template databases <test db>_schema and <test db>_seeded built once;
    each test's database is a fresh copy (CREATE DATABASE … TEMPLATE), far cheaper than building the
    schema again per test."""

    def __init__(self, url):
        self.url = make_url(url)
        self.server = create_engine(self.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        self.names = {name: f"{self.url.database}_{name}" for name in ("schema", "seeded")}

    def _recreate(self, name, template=None):
        with self.server.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))

    def build(self, tmp_path_factory, demo_hash):
        for name, database in self.names.items():
            self._recreate(database)
            url = self.url.set(database=database).render_as_string(hide_password=False)
            with make_app(tmp_path_factory.mktemp(f"pg-{name}"), SQLALCHEMY_DATABASE_URI=url).app_context():
                _fill(name, demo_hash)

    def copy(self, name):
        self._recreate(self.url.database, self.names[name])

    def drop(self):
        with self.server.connect() as conn:
            for database in self.names.values():
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        self.server.dispose()


@pytest.fixture(scope="session")
def postgres_templates(tmp_path_factory, demo_hash):
    url = os.environ.get("TEST_DATABASE_URL")
    if not url or not url.startswith("postgresql"):
        yield None
        return
    templates = PostgresTemplates(url)
    templates.build(tmp_path_factory, demo_hash)
    yield templates
    templates.drop()


@pytest.fixture
def app(request, tmp_path, app_config, sqlite_templates, postgres_templates):
    wanted = "seeded" if {"seeded", "auth"} & set(request.fixturenames) else "schema"
    if sqlite_templates:
        shutil.copyfile(sqlite_templates[wanted], tmp_path / "test.db")
    elif postgres_templates:
        postgres_templates.copy(wanted)
    app = make_app(tmp_path, **app_config)
    with app.app_context():
        if not (sqlite_templates or postgres_templates):
            db.drop_all()
            db.create_all()
        limiter.reset()
        yield app
        db.session.remove()
        db.engine.dispose()


def empty_database():
    """Drop every table, the migration stamp too. The open session goes first: on PostgreSQL
    its read locks would make DROP wait forever."""
    db.session.remove()
    db.drop_all()
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


@pytest.fixture
def seeded(app, demo_hash):
    """The Phù Liễn plan and the demo accounts."""
    plan, _ = load_plan()
    seed_demo_accounts(password_hash=demo_hash)
    return plan


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def period(seeded):
    """Quý III/2025, opened: every task result and unit report exists as a draft."""
    return open_q3()


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, who="admin", password=DEMO_PASSWORD):
        username = ROLE_USERS.get(who, who)
        return self.client.post("/login", data={"username": username, "password": password})

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client, seeded):
    return Auth(client)


class QueryCounter:
    def __init__(self, engine):
        self.engine, self.statements = engine, []

    def _record(self, conn, cursor, statement, *args):
        self.statements.append(statement)

    def __enter__(self):
        self.statements = []
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._record)

    @property
    def count(self):
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    """Counts what pages cost to compute, so the kept pages (workflow/pagecache.py) are off in a test that
    counts: asked twice, a page would otherwise come back kept. tests/test_pagecache.py counts those."""
    app.config["PAGE_CACHE"] = False
    return lambda: QueryCounter(db.engine)
