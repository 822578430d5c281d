"""Set-up commands: init-db, seed-demo, create-user."""
import click
from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import select

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


def init_app(app):
    for command in (init_db, seed_demo, create_user):
        app.cli.add_command(command)
