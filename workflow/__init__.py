"""CCHC Workflow: the administrative-reform plan of Phù Liễn ward, as a web application."""
import os

from flask import Flask

from . import config
from .validation import IdConverter
from .extensions import csrf, db, limiter, login_manager, migrate

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def create_app(test_config=None):
    app = Flask(
        __name__,
        instance_path=os.environ.get("CCHC_INSTANCE_PATH", os.path.join(ROOT, "instance")),
        instance_relative_config=True,
        template_folder=os.path.join(ROOT, "templates"),
        static_folder=os.path.join(ROOT, "static"),
    )
    config.load(app, test_config)
    app.url_map.converters["int"] = IdConverter

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(ROOT, "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)

    # The engine's kinds first, then the wings that add theirs: lists follow the registry's order.
    from . import items, consolidated, ranking, nominations  # noqa: I001
    from . import admin, auth, cli, errors, plan, public, security, templating
    from .documents import routes as documents_routes, verify_routes, word_routes  # noqa: F401 - they add to bp
    from .issuance import routes as issuance_routes
    from .calendar import routes as calendar_routes
    from .dashboard import routes as dashboard_routes
    from . import search
    from .search import cli as search_cli, routes as search_routes
    from .mail import cli as mail_cli, routes as mail_routes
    from .reminders import cli as reminders_cli, routes as reminders_routes

    security.init_app(app)
    templating.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    mail_cli.init_app(app)
    reminders_cli.init_app(app)
    search_cli.init_app(app)
    search.init_app(app)
    from . import ops  # /healthz; a request id and one log line per request (wraps the WSGI app)
    ops.init_app(app)
    for blueprint in (auth.bp, plan.bp, items.bp, consolidated.bp, documents_routes.bp, issuance_routes.bp, ranking.bp, nominations.bp, public.bp,
                      reminders_routes.bp, mail_routes.bp, calendar_routes.bp, dashboard_routes.bp, search_routes.bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(admin.bp, url_prefix="/admin")
    from . import pagecache  # last: its hooks run after the others' before_request, first of their after_request
    pagecache.init_app(app)
    return app
