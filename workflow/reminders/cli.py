"""`flask reminders run`: decide what is due now and write it to the outbox, then hand the outbox to
the sender. Idempotent: cron, a systemd timer or the loop that `make run` starts may call it as
often as they like."""
import time
from datetime import datetime

import click
from flask.cli import AppGroup

from ..mail import sender
from . import scheduler

group = AppGroup("reminders", help="Nhắc hạn và đôn đốc: quyết định thư đến hạn, ghi vào hộp thư đi và gửi.")


def _parse_at(value):
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("Dạng YYYY-MM-DDTHH:MM (giờ UTC).") from None


def one_pass(at=None):
    """Decide, then drain what this pass (and every other event) wrote."""
    written = scheduler.run(at)
    return written, sender.drain(now=at)


@group.command("run")
@click.option("--at", "at", help="Giờ UTC coi là hiện tại (YYYY-MM-DDTHH:MM), để thử; mặc định: đồng hồ.")
@click.option("--loop", "every", type=int, default=0, help="Lặp lại sau mỗi N giây (0 = chạy một lần).")
def run_command(at, every):
    """Write the reminders due now to the outbox and send what is pending."""
    moment = _parse_at(at) if at else None
    while True:
        written, sent = one_pass(moment)
        click.echo(f"{datetime.now():%Y-%m-%d %H:%M:%S} thư mới: {written}; đã gửi: {sent.sent}, "
                   f"gửi lỗi: {sent.failed}, còn chờ: {sent.pending}")
        if not every:
            return
        time.sleep(every)


def init_app(app):
    app.cli.add_command(group)
