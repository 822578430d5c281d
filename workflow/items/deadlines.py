"""Due dates end at midnight in the ward (Asia/Ho_Chi_Minh); times are stored as naive UTC."""
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from ..formats import local_date  # noqa: F401 - the ward's day, used here and by the items' modules
from ..models import State

WARD_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# Forms refuse dates past 2100, but a row saved before they did may hold 31/12/9999: never due, not a 500.
LAST_COMPUTABLE = date.max - timedelta(days=2)


def due_deadline(due_date):
    """The first instant (naive UTC) after the due day has ended in the ward."""
    if due_date >= LAST_COMPUTABLE:
        return datetime.max
    local_midnight = datetime.combine(due_date + timedelta(days=1), time(0), tzinfo=WARD_TZ)
    return local_midnight.astimezone(timezone.utc).replace(tzinfo=None)


def days_late(due_date, submitted_at):
    """0 when submitted by the end of the due day, else calendar days after it (ward time)."""
    return max(0, (local_date(submitted_at) - due_date).days)


def period_is_late(period, now):
    """The period's due day has ended in the ward: its drafts are late."""
    return now >= due_deadline(period.due_date)


def is_overdue(item, now):
    return item.state == State.DRAFT and period_is_late(item.period, now)
