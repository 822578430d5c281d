"""Sign-in attempts, counted before the password is checked, in a store every worker shares.

Each attempt (a well-formed POST /login) adds one to two counters, its client address's
("ip:<address>", LOGIN_IP_LIMIT) and its username's ("user:<name>", LOGIN_LIMIT), with one atomic
statement each, and only an attempt that is still within both limits gets its password checked. So
32 simultaneous wrong passwords for one username, on any number of workers, check at most
LOGIN_LIMIT of them; the rest are answered 429 without a hash. A success clears its username's
counter and gives its address back the attempt (the address limit counts failures: a ward office
signs in from one address).

A counter's window starts with its first attempt and lasts the limit's period ("5 per 15 minutes":
15 minutes); attempts while refused still count but do not extend it. The store:

- the database (default): table `login_attempts`, one row per key, incremented with
  INSERT … ON CONFLICT DO UPDATE … RETURNING (SQLite ≥ 3.35 and PostgreSQL), which the database
  runs one at a time per row; rows of ended windows are deleted whenever a new window opens;
- Redis, when RATELIMIT_STORAGE_URI names one (redis://, rediss://, redis+unix://,
  redis+sentinel://, redis+cluster://): the `limits` library's storage (INCRBY + EXPIRE in one Lua
  script), keys prefixed "cchc-login:". Any other URI than those and the default memory:// is refused
  at the first sign-in: counters in one process's memory are what this module replaces.
"""
import hashlib
import math
import time
from functools import lru_cache

from flask import current_app
from limits import parse
from sqlalchemy import case, delete, update
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models.org import LoginAttempt
from .services import normalise_username

REDIS_SCHEMES = ("redis://", "rediss://", "redis+unix://", "redis+sentinel://", "redis+cluster://")
REDIS_PREFIX = "cchc-login"
KEY_MAX = 100  # LoginAttempt.key
EXTENSION = "cchc.login_attempts"


def now():
    """The clock of the database store (tests move it)."""
    return time.time()


@lru_cache(maxsize=16)
def _limit(text):
    return parse(text)


def _key(kind, value):
    key = f"{kind}:{value}"
    return key if len(key) <= KEY_MAX else f"{kind}#" + hashlib.sha256(value.encode()).hexdigest()


class DatabaseCounters:
    """Counters in `login_attempts`, on the app's own database (the request's session commits them
    at once, before any password is checked)."""

    def hit(self, key, seconds):
        """Add one attempt; (attempts in the window, Unix time the window ends)."""
        moment = now()
        table = LoginAttempt.__table__
        dialect = db.session.get_bind().dialect.name
        insert = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}[dialect]
        stmt = insert(table).values(key=key, hits=1, expires_at=moment + seconds)
        ended = table.c.expires_at <= moment
        stmt = stmt.on_conflict_do_update(
            index_elements=[table.c.key],
            set_={"hits": case((ended, 1), else_=table.c.hits + 1),
                  "expires_at": case((ended, stmt.excluded.expires_at), else_=table.c.expires_at)},
        ).returning(table.c.hits, table.c.expires_at)
        hits, expires_at = db.session.execute(stmt).one()
        if hits == 1:  # a new window: forget the counters whose windows have ended
            db.session.execute(delete(table).where(table.c.expires_at <= moment))
        db.session.commit()
        return hits, expires_at

    def clear(self, key):
        db.session.execute(delete(LoginAttempt.__table__).where(LoginAttempt.key == key))
        db.session.commit()

    def give_back(self, key):
        table = LoginAttempt.__table__
        db.session.execute(update(table).where(table.c.key == key, table.c.hits > 0, table.c.expires_at > now())
                           .values(hits=table.c.hits - 1))
        db.session.commit()


class RedisCounters:
    """Counters in Redis through the `limits` storage (the same one Flask-Limiter uses)."""

    GIVE_BACK = ("local n = tonumber(redis.call('get', KEYS[1]) or '0') "
                 "if n > 0 then return redis.call('decr', KEYS[1]) end return 0")

    def __init__(self, uri):
        from limits.storage import storage_from_string
        self.storage = storage_from_string(uri, key_prefix=REDIS_PREFIX)

    def hit(self, key, seconds):
        hits = self.storage.incr(key, seconds)
        return hits, self.storage.get_expiry(key)

    def clear(self, key):
        self.storage.clear(key)

    def give_back(self, key):
        self.storage.get_connection().eval(self.GIVE_BACK, 1, self.storage.prefixed_key(key))


def store_for(uri):
    uri = (uri or "memory://").strip()
    if uri.startswith(REDIS_SCHEMES):
        return RedisCounters(uri)
    if uri.startswith("memory://"):
        return DatabaseCounters()
    raise RuntimeError(f"RATELIMIT_STORAGE_URI: sign-in attempts are counted in the database (memory://, "
                       f"the default) or in Redis (redis://…), not in {uri.split(':', 1)[0]}.")


def counters():
    app = current_app._get_current_object()
    if EXTENSION not in app.extensions:
        app.extensions[EXTENSION] = store_for(app.config.get("RATELIMIT_STORAGE_URI"))
    return app.extensions[EXTENSION]


def keys(username, address):
    return _key("ip", address or "unknown"), _key("user", normalise_username(username))


def refused(username, address):
    """Count this attempt for the address, then the username. None when the password may be checked;
    else the seconds until the window that refused it ends (for Retry-After)."""
    store = counters()
    ip_key, user_key = keys(username, address)
    for setting, key in (("LOGIN_IP_LIMIT", ip_key), ("LOGIN_LIMIT", user_key)):
        limit = _limit(current_app.config[setting])
        hits, ends = store.hit(key, limit.get_expiry())
        if hits > limit.amount:
            return max(1, math.ceil(ends - now()))
    return None


def succeeded(username, address):
    """The password was right: its username starts afresh, its address gets the attempt back."""
    store = counters()
    ip_key, user_key = keys(username, address)
    store.clear(user_key)
    store.give_back(ip_key)


def over_limit(setting, kind, value):
    """The same counters for other guarded forms (a password reset asked for, a current password
    typed on "Đổi mật khẩu"): one hit for "<kind>:<value>" against the limit named by config[setting].
    None while within it; else the seconds until the window that refused it ends."""
    limit = _limit(current_app.config[setting])
    hits, ends = counters().hit(_key(kind, value), limit.get_expiry())
    return max(1, math.ceil(ends - now())) if hits > limit.amount else None


def forget(kind, value):
    """Start "<kind>:<value>" afresh (a password changed: its sign-in lock is lifted)."""
    counters().clear(_key(kind, value))
