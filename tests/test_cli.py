from sqlalchemy import func, select

from workflow.extensions import db
from workflow.models import Task, User

from .conftest import empty_database


def _fresh(app):
    empty_database()


def test_init_db_migrates_and_loads_plan_idempotently(app, runner):
    _fresh(app)
    first = runner.invoke(args=["init-db"])
    assert first.exit_code == 0, first.output
    assert "Đã nạp kế hoạch 116/QĐ-UBND" in first.output
    again = runner.invoke(args=["init-db"])
    assert "Đã có kế hoạch" in again.output
    assert db.session.scalar(select(func.count(Task.id))) == 36
    _fresh(app)


def test_seed_demo_refused_without_demo_mode(app, runner, seeded):
    app.config["DEMO_MODE"] = False
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0 and "DEMO_MODE" in result.output


def test_seed_demo_creates_accounts_once(app, runner):
    from workflow.seed import load_plan
    load_plan()
    assert "Tạo 10 tài khoản mẫu" in runner.invoke(args=["seed-demo"]).output
    assert "đã có" in runner.invoke(args=["seed-demo"]).output
    assert db.session.scalar(select(func.count(User.id))) == 10


def test_create_user(app, runner, seeded):
    result = runner.invoke(args=["create-user", "--username", "Lan.Nguyen", "--full-name", "Nguyễn Lan",
                                 "--unit", "ttsnc", "--role", "member", "--role", "reviewer",
                                 "--password", "mat-khau-dai"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "lan.nguyen"))
    assert user.unit.code == "TTSNC" and {r.value for r in user.roles} == {"member", "reviewer"}
    assert user.check_password("mat-khau-dai")


def test_create_user_rejects_unknown_unit_and_short_password(app, runner, seeded):
    unknown = runner.invoke(args=["create-user", "--username", "x1", "--full-name", "X", "--unit", "NOPE",
                                  "--password", "mat-khau-dai"])
    assert unknown.exit_code != 0 and "không có đơn vị" in unknown.output
    short = runner.invoke(args=["create-user", "--username", "x2", "--full-name", "X", "--unit", "VP",
                                "--password", "ngan"])
    assert short.exit_code != 0 and "ít nhất 8 ký tự" in short.output
