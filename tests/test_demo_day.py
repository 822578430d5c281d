"""The demo day (workflow/democlock.py): DEMO_TODAY moves the clock in demo mode only, every page says
so, and the homes, overdue marks and reminders follow it."""
from datetime import date, datetime, timezone

import pytest
import time_machine

from .conftest import make_app
from .test_reminders import MEMBERS, rows, with_addresses


@pytest.fixture
def app_config():
    return {"DEMO_TODAY": "2025-09-02"}  # three days before Quý III's due day (05/09/2025)


def test_the_demo_day_is_on_every_page_and_moves_the_clock(client, auth, period):
    from workflow.items import states
    assert states.today() == date(2025, 9, 2)
    auth.login("kthtdt")
    home = client.get("/")
    assert "hệ thống coi hôm nay là" in home.text and "02/09/2025" in home.text
    assert "Còn 3 ngày" in home.text and "Quá hạn" not in home.text.split("Chỉ tiêu chủ yếu")[0]
    assert "02/09/2025" in client.get("/tasks").text


def test_reminders_follow_the_demo_day(runner, period):
    with_addresses()
    with time_machine.travel(datetime(2026, 11, 30, 1, 0, tzinfo=timezone.utc), tick=False):  # 08:00 in the ward
        result = runner.invoke(args=["reminders", "run"])
    assert result.exit_code == 0, result.output
    due = rows("due")
    assert {m.to_addr.split("@")[0] for m in due} == MEMBERS
    assert all(m.subject == "Còn 3 ngày đến hạn gửi hồ sơ Quý III/2025" for m in due)


def test_outside_demo_mode_the_setting_is_refused(tmp_path):
    with pytest.raises(RuntimeError, match="DEMO_TODAY chỉ dùng khi DEMO_MODE=1"):
        make_app(tmp_path, DEMO_MODE=False, DEMO_TODAY="2025-09-02")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        make_app(tmp_path, DEMO_TODAY="02/09/2025")
