"""Configuration: defaults, then instance/config.py, then environment variables."""
import os
import secrets

ENV_OVERRIDES = {
    "SECRET_KEY": str,
    "DATABASE_URL": str,
    "DEMO_MODE": lambda v: v.lower() in ("1", "true", "yes", "on"),
    "LOGIN_LIMIT": str,
    "LOGIN_IP_LIMIT": str,
    "RATELIMIT_STORAGE_URI": str,
    "UPLOAD_MAX_MB": int,
    "PDF_FONT_DIR": str,
}


def defaults(instance_path):
    return {
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + os.path.join(instance_path, "cchc.db"),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "DEMO_MODE": False,
        # Failed logins allowed per username (and, more generously, per IP) in the window.
        "LOGIN_LIMIT": "5 per 15 minutes",
        "LOGIN_IP_LIMIT": "30 per 15 minutes",
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_HEADERS_ENABLED": False,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,  # token lives as long as the session
        "UPLOAD_MAX_MB": 20,
        "PDF_FONT_DIR": "/usr/share/fonts/truetype/liberation2",
        "TASKS_PER_PAGE": 25,
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
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY is not set (instance/config.py or environment).")
