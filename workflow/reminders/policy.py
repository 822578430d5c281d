"""The reminder policy as data: which messages the scheduler writes, to whom and when. Each save is a
new version (models.ReminderPolicy); the newest applies. The defaults are the plan's duty of
"hướng dẫn, đôn đốc" made concrete."""
from sqlalchemy import func, select

from ..access import SCHEME_EDITORS, require_role
from ..extensions import db
from ..models import ReminderPolicy

DEFAULT_RULES = {
    "before_due_days": [7, 3, 1, 0],   # to the owning unit's people, that many days before the due day
    "overdue_daily": True,             # after it, a daily digest of the unit's overdue items
    "escalate_after_days": 3,          # then, that many days late, to the unit's head and VHXH
    "queue_wait_days": 3,              # reviewers and acceptors: items waiting longer than this
    "weekly_weekday": 0,               # the leaders' weekly digest: Monday (0) …
    "weekly_time": "07:30",            # … at this ward time
    "daily_time": "07:00",             # the daily messages go out from this ward time on
}
LIMITS = {"before_due_days": (0, 60), "escalate_after_days": (1, 60), "queue_wait_days": (1, 60),
          "weekly_weekday": (0, 6)}


def current():
    """The rules in force: the newest saved version over the defaults (a key added later has its default)."""
    row = db.session.scalar(select(ReminderPolicy).order_by(ReminderPolicy.version.desc()).limit(1))
    return {**DEFAULT_RULES, **(row.rules if row else {})}


def current_version():
    return db.session.scalar(select(func.max(ReminderPolicy.version))) or 0


EDITORS = SCHEME_EDITORS  # VHXH's reviewers, who do the chasing, and the administrator (as the scoring scheme)


def may_edit(user):
    return user.has_role(*EDITORS)


def versions():
    return db.session.scalars(select(ReminderPolicy).order_by(ReminderPolicy.version.desc())).all()


def save(actor, rules, note=""):
    """A new version of the policy (not committed); refused (403) to anyone but its editors."""
    require_role(actor, *EDITORS)
    row = ReminderPolicy(version=current_version() + 1, rules=rules, note=note, created_by_id=actor.id)
    db.session.add(row)
    return row
