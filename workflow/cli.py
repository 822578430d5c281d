"""Set-up commands: init-db, seed-demo, create-user; operations: backup, restore."""
import os

import click
from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import select

from . import backup as backups
from . import wards
from .documents import certificate
from .extensions import db
from .items.services import describe_opened, open_period
from .models import ROLE_LABELS, ReportingPeriod, Role, Unit, User
from .seed import DEMO_ACCOUNTS, DEMO_PASSWORD, load_plan, seed_demo_accounts
from .seed.scoring import load_default_scheme


@click.command("init-db")
def init_db():
    """Apply migrations, then load the Phù Liễn plan if it is not loaded yet."""
    upgrade(directory=current_app.extensions["migrate"].directory)
    plan, created = load_plan()
    load_default_scheme(plan)  # version 1 of the emulation scoring scheme, unless the plan has one
    click.echo(f"{'Đã nạp' if created else 'Đã có'} kế hoạch {plan.number}: "
               f"{sum(1 for _ in plan.areas)} lĩnh vực, {len(plan.targets)} chỉ tiêu.")


@click.command("seed-demo")
def seed_demo():
    """Create the demo accounts (only when DEMO_MODE is on)."""
    if not current_app.config["DEMO_MODE"]:
        raise click.ClickException("Chỉ tạo tài khoản mẫu khi bật DEMO_MODE=1 (không dùng trên máy thật).")
    created = seed_demo_accounts()
    click.echo(f"Tạo {len(created)} tài khoản mẫu; mật khẩu chung: {DEMO_PASSWORD}" if created
               else f"Các tài khoản mẫu ({len(DEMO_ACCOUNTS)}) đã có.")
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    for period in db.session.scalars(select(ReportingPeriod).order_by(ReportingPeriod.due_date)):
        click.echo(describe_opened(period, open_period(admin, period)))
    # The ward's DEMO signing certificate, named after it; a certificate already there is kept.
    folder = certificate.ensure_demo(current_app.instance_path, wards.current().short_committee)
    click.echo(f"Chứng thư số DEMO để ký văn bản (không dùng thật): {folder}")


@click.command("create-user")
@click.option("--username", prompt="Tên đăng nhập")
@click.option("--full-name", prompt="Họ và tên")
@click.option("--unit", "unit_code", prompt="Mã đơn vị")
@click.option("--role", "roles", multiple=True, type=click.Choice([r.value for r in Role]),
              default=["member"], show_default=True)
@click.password_option("--password", prompt="Mật khẩu")
def create_user(username, full_name, unit_code, roles, password):
    """Create an account (e.g. the first admin on a real installation)."""
    unit = db.session.scalar(select(Unit).where(Unit.code == unit_code.upper()))
    if unit is None:
        raise click.BadParameter(f"không có đơn vị {unit_code}", param_hint="--unit")
    if db.session.scalar(select(User).where(User.username == username.lower())) is not None:
        raise click.BadParameter(f"tên đăng nhập {username} đã có", param_hint="--username")
    if len(password) < 8:
        raise click.BadParameter("mật khẩu cần ít nhất 8 ký tự", param_hint="--password")
    user = User(username=username.lower(), full_name=full_name, unit=unit)
    user.roles = roles
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"Đã tạo {user.username} ({', '.join(ROLE_LABELS[Role(r)] for r in roles)}) – {unit.name}.")


def _size(n):
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


@click.command("backup")
@click.option("--to", "to", metavar="PATH",
              help="Thư mục (mặc định instance/backups/) hoặc tên tệp .tar.gz của bản sao lưu.")
@click.option("--keep", type=click.IntRange(min=0), default=0, show_default=True,
              help="Chỉ giữ N bản sao lưu định kỳ mới nhất trong thư mục đó (0: giữ tất cả).")
def backup_command(to, keep):
    """Back up the database, uploads and stored documents into one archive with a SHA-256 manifest."""
    try:
        path, manifest = backups.create(current_app, to)
    except backups.BackupError as err:
        raise click.ClickException(str(err)) from err
    files = manifest["files"]
    click.echo(f"Đã sao lưu {manifest['database']['engine']} và {len(files) - 1} tệp vào {path} "
               f"({_size(os.path.getsize(path))}, {manifest['seconds']} s).")
    for old in backups.prune(os.path.dirname(path), keep):
        click.echo(f"Đã xóa bản cũ {old}")


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Xác nhận ghi đè cơ sở dữ liệu và các tệp hiện có.")
@click.option("--check", is_flag=True, help="Chỉ kiểm tra bản sao lưu với manifest, không khôi phục.")
@click.option("--force", is_flag=True, help="Khôi phục cả khi tiến trình khác đang dùng cơ sở dữ liệu.")
@click.option("--no-safety-backup", is_flag=True, help="Không sao lưu dữ liệu hiện có trước khi ghi đè.")
def restore_command(archive, yes, check, force, no_safety_backup):
    """Verify an archive against its manifest, then restore the database and files from it."""
    try:
        if check or not yes:
            manifest = backups.verify(archive)
            click.echo(f"Bản sao lưu hợp lệ: {manifest['database']['engine']}, {len(manifest['files'])} tệp, "
                       f"tạo lúc {manifest['created_at']}.")
            if check:
                return
            raise click.ClickException("Khôi phục sẽ ghi đè cơ sở dữ liệu, uploads/ và documents/ hiện có. "
                                       "Dừng dịch vụ rồi chạy lại với --yes.")
        done = backups.restore(current_app, archive, force=force, safety_backup=not no_safety_backup)
    except backups.BackupError as err:
        raise click.ClickException(str(err)) from err
    manifest = done["manifest"]
    if done["in_use"]:
        click.echo(f"Cảnh báo: {done['in_use']}; hãy khởi động lại dịch vụ.", err=True)
    if done["safety_backup"]:
        click.echo(f"Dữ liệu trước khi khôi phục được lưu ở {done['safety_backup']}")
    click.echo(f"Đã khôi phục bản sao lưu {manifest['created_at']}: cơ sở dữ liệu và {done['files']} tệp.")
    if manifest["database"].get("revision"):
        click.echo(f"Phiên bản lược đồ của bản sao lưu: {manifest['database']['revision']}. "
                   "Chạy `flask --app wsgi init-db` để áp dụng các migration mới hơn nếu có.")


def init_app(app):
    for command in (init_db, seed_demo, create_user, backup_command, restore_command):
        app.cli.add_command(command)
