"""`flask search reindex`: every search entry made again from the database (after a bulk import by
SQL, a restore, or a renamed unit or period)."""
import click
from flask.cli import AppGroup

from ..extensions import db
from . import index

search_cli = AppGroup("search", help="Chỉ mục tìm kiếm.")


@search_cli.command("reindex")
def reindex():
    """Xây lại toàn bộ chỉ mục tìm kiếm."""
    with db.engine.begin() as conn:
        count = index.rebuild(conn)
    click.echo(f"Đã lập lại chỉ mục tìm kiếm: {count} mục.")


def init_app(app):
    app.cli.add_command(search_cli)
