"""The demo day: in demo mode only, DEMO_TODAY (YYYY-MM-DD) moves the app's clock to that day, keeping
the time of day, so the 2025 plan can be seen as the ward lived it — items due, late, reminded on the
days they were. Every page says so. Outside demo mode the setting is refused at start-up."""
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

from .formats import WARD_TIMEZONE

WARD = ZoneInfo(WARD_TIMEZONE)


def parse(value):
    """The DEMO_TODAY setting as a date (None when empty); ValueError with the reason otherwise."""
    if not value:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"DEMO_TODAY phải có dạng YYYY-MM-DD (nhận được {value!r}).") from None


def demo_today():
    """The demo day in force, or None."""
    if not has_app_context():
        return None
    config = current_app.config
    return config.get("DEMO_TODAY") if config.get("DEMO_MODE") else None


def shift(real_utc):
    """How far the clock is moved: from the ward's real day to the demo day (whole days)."""
    day = demo_today()
    if day is None:
        return timedelta(0)
    real_day = real_utc.replace(tzinfo=timezone.utc).astimezone(WARD).date()
    return timedelta(days=(day - real_day).days)


def utcnow():
    real = datetime.now(timezone.utc).replace(tzinfo=None)
    return real + shift(real)
