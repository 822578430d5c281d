"""Configuration: defaults, then instance/config.py, then environment variables."""
import os
import secrets

from . import democlock


def flag(value):
    return value.strip().lower() in ("1", "true", "yes", "on")


ENV_OVERRIDES = {
    "SECRET_KEY": str,
    "DATABASE_URL": str,
    "DEMO_MODE": flag,
    "LOGIN_LIMIT": str,
    "LOGIN_IP_LIMIT": str,
    "RATELIMIT_STORAGE_URI": str,
    "TRUSTED_PROXIES": int,
    "BEHIND_TLS": flag,
    "SESSION_IDLE_MINUTES": int,
    "UPLOAD_MAX_MB": int,
    "PDF_FONT_DIR": str,
    "PDF_WORKERS": int,
    "PDF_CHUNK_ROWS": int,
    "PAGE_CACHE": flag,
    "HEALTH_MIN_FREE_MB": int,
    "PG_BIN_DIR": str,
    # The ward's signing certificate (PKCS#12), the CA its signatures are checked against, and the
    # folder of seal.png / signature-<username>.png; default instance/signing/. The passphrase is read
    # from SIGNING_PASSPHRASE by documents/certificate.py, never from a file outside demo mode.
    "MAIL_SERVER": str,
    "MAIL_PORT": int,
    "MAIL_USE_TLS": flag,
    "MAIL_USE_SSL": flag,
    "MAIL_USERNAME": str,
    "MAIL_PASSWORD": str,
    "MAIL_SENDER": str,
    "BASE_URL": str,
    "DEMO_TODAY": str,
    "SIGNING_P12": str,
    "SIGNING_CA": str,
    "SIGNING_IMAGES": str,
}


def defaults(instance_path):
    return {
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + os.path.join(instance_path, "cchc.db"),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "DEMO_MODE": False,
        # Sign-in attempts allowed per username (and, more generously, per client address) in a window
        # that starts with the first attempt; each is counted before its password is checked, a
        # success clears its username's counter and gives its address's attempt back (auth/attempts.py).
        "LOGIN_LIMIT": "5 per 15 minutes",
        "LOGIN_IP_LIMIT": "30 per 15 minutes",
        # Where those counters live: the database (shared by every worker, kept over restarts) unless
        # this names a Redis server (redis://, rediss://, redis+unix://...).
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_HEADERS_ENABLED": False,
        # Reverse proxies in front of the app whose X-Forwarded-For / X-Forwarded-Proto are believed
        # (werkzeug's ProxyFix); 0 = the app is reached directly and the peer address is the client's.
        "TRUSTED_PROXIES": 0,
        # Served over HTTPS (by the app or a proxy): Secure cookies and HSTS.
        "BEHIND_TLS": False,
        # A session unused this long ends (checked on each request; last seen kept in the session).
        "SESSION_IDLE_MINUTES": 480,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,  # token lives as long as the session
        "UPLOAD_MAX_MB": 20,
        "PDF_FONT_DIR": "/usr/share/fonts/truetype/liberation2",
        # A task annex longer than PDF_CHUNK_ROWS rows is laid out in pieces by up to PDF_WORKERS
        # processes at once (documents/pool.py): WeasyPrint lays out one page after another on one
        # core, about 0.13 s a page. 0 or 1 worker: always in this process.
        "PDF_WORKERS": min(4, os.cpu_count() or 1),
        "PDF_CHUNK_ROWS": 150,
        # A page asked again by the same session while nothing was written is served as it was made
        # (workflow/pagecache.py); off: every page is made for every request.
        "PAGE_CACHE": True,
        "TASKS_PER_PAGE": 25,
        # Mail (workflow/mail/): with no MAIL_SERVER, messages are written as .eml files under
        # instance/outbox/ instead of sent, so a new user sees exactly what would go out.
        "MAIL_SERVER": "",
        "MAIL_PORT": 25,
        "MAIL_USE_TLS": False,   # STARTTLS after connecting
        "MAIL_USE_SSL": False,   # TLS from the first byte (port 465)
        "MAIL_USERNAME": "",
        "MAIL_PASSWORD": "",
        "MAIL_SENDER": "Hệ thống CCHC <cchc@localhost>",
        # The address users reach the site at: the links in e-mails and calendar feeds start with it.
        "BASE_URL": "http://127.0.0.1:5000",
        "TIMEZONE": "Asia/Ho_Chi_Minh",
    }


def ensure_instance_config(instance_path):
    """Create instance/config.py with a random SECRET_KEY on first run."""
    os.makedirs(instance_path, exist_ok=True)
    path = os.path.join(instance_path, "config.py")
    if not os.path.exists(path):
        with open(path, "w", encoding="utf-8") as fh:
            fh.write("# Created on first run. Not in git. Environment variables override.\n")
            fh.write(f"SECRET_KEY = {secrets.token_hex(32)!r}\n")
    return path


def load(app, test_config=None):
    app.config.from_mapping(defaults(app.instance_path))
    if test_config is None:
        app.config.from_pyfile(ensure_instance_config(app.instance_path))
    for name, cast in ENV_OVERRIDES.items():
        if name in os.environ:
            app.config[name] = cast(os.environ[name])
    if test_config is not None:
        app.config.from_mapping(test_config)
    if app.config.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    app.config["MAX_CONTENT_LENGTH"] = (app.config["UPLOAD_MAX_MB"] + 1) * 1024 * 1024
    if app.config["BEHIND_TLS"]:  # one switch: cookies only over HTTPS (security.py adds HSTS)
        app.config.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True, PREFERRED_URL_SCHEME="https")
    app.config["DEMO_TODAY"] = democlock.parse(app.config.get("DEMO_TODAY"))
    if app.config["DEMO_TODAY"] and not app.config["DEMO_MODE"]:
        raise RuntimeError("DEMO_TODAY chỉ dùng khi DEMO_MODE=1 (dữ liệu demo); một phường thật chạy theo đồng hồ thật.")
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY is not set (instance/config.py or environment).")
