"""`flask mail send` (drain the outbox once, or every N seconds with --loop; --test ADDRESS writes a
test message first) and `flask mail show` (what waits, what failed, what was sent)."""
import os
import time
from datetime import datetime
from types import SimpleNamespace

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from ..extensions import db
from ..models import OutboxMessage
from . import compose, outbox, sender

mail = AppGroup("mail", help="Thư điện tử: gửi các thư đang chờ trong hàng đợi, xem tình trạng.")


def init_app(app):
    if "mail" not in app.cli.commands:
        app.cli.add_command(mail)


def _where():
    server = current_app.config["MAIL_SERVER"]
    if server:
        return f"máy chủ SMTP {server}:{current_app.config['MAIL_PORT']}"
    return f"tệp .eml trong {os.path.join(current_app.instance_path, 'outbox')} (chưa đặt MAIL_SERVER)"


def _report(result):
    skipped = f", bỏ qua {result.skipped} (người nhận đã ngừng nhận)" if result.skipped else ""
    click.echo(f"Đã gửi {result.sent}, lỗi {result.failed}{skipped}, còn chờ {result.pending} — {_where()}.")


def _enqueue_test(address):
    """A test message to `address` (no account needed) through the outbox, as every message goes."""
    person = SimpleNamespace(id=None, email=address, active=True, full_name=address, unit=None)
    stamp = datetime.now().strftime("%Y%m%d%H%M%S%f")
    # "account": a kind that has no stop link, as a test message should not.
    key = f"test:{address}:{stamp}"
    outbox.enqueue(compose.message("test_message", key=key, category="account", user=person,
                                   subject="Thư thử của Hệ thống CCHC", link="/"))
    db.session.commit()
    return key


def _test_outcome(key):
    row = db.session.scalar(select(OutboxMessage).where(OutboxMessage.key == key))
    if row.sent_at:
        click.echo(f"Thư thử đã gửi đến {row.to_addr}.")
    else:
        click.echo(f"Thư thử chưa gửi được, sẽ thử lại: {row.last_error}")


@mail.command("send")
@click.option("--loop", "every", type=click.IntRange(min=1), metavar="SECONDS",
              help="Gửi lại sau mỗi SECONDS giây cho đến khi dừng (Ctrl+C).")
@click.option("--test", "address", metavar="ADDRESS", help="Ghi một thư thử đến ADDRESS rồi gửi.")
@click.option("--limit", default=200, show_default=True, help="Số thư tối đa mỗi lượt.")
def send(every, address, limit):
    """Gửi các thư đến hạn trong hàng đợi."""
    key = _enqueue_test(address) if address else None
    try:
        while True:
            result = sender.drain(limit=limit)
            if not every or result.sent or result.failed:
                _report(result)
            if key:
                _test_outcome(key)
                key = None
            if not every:
                break
            db.session.remove()  # each round reads afresh
            time.sleep(every)
    except KeyboardInterrupt:
        click.echo("Đã dừng.")


def _show_errors(count):
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.sent_at.is_(None),
                                                          OutboxMessage.last_error.is_not(None))
                              .order_by(OutboxMessage.next_attempt_at).limit(count))
    for row in rows:
        click.echo(f"  #{row.id} {row.to_addr} — thử {row.attempts} lần, thử lại lúc "
                   f"{row.next_attempt_at:%Y-%m-%d %H:%M} (UTC): {row.last_error}")


def _count(*where):
    return db.session.scalar(select(func.count(OutboxMessage.id)).where(*where))


@mail.command("show")
def show():
    """Đếm thư đang chờ, lỗi và đã gửi."""
    pending = _count(OutboxMessage.sent_at.is_(None))
    failing = _count(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts > 0)
    click.echo(f"Đang chờ gửi: {pending} (trong đó {failing} đã gửi lỗi, sẽ thử lại)")
    click.echo(f"Đã gửi: {_count(OutboxMessage.sent_at.is_not(None))}")
    click.echo(f"Gửi qua: {_where()}")
    _show_errors(5)
