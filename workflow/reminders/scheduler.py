"""Deciding what is due now: one idempotent pass over the database and the clock that writes the
policy's messages to the outbox. Each message's key names (recipient, item or digest, rule, day), and
the outbox refuses a key it holds, so a rerun, a crash half-way or two schedulers at once write each
message once. The pass reads a fixed number of queries whatever the number of units and items."""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from .. import kinds
from ..access import QUEUES
from ..extensions import db
from ..formats import WARD_TIMEZONE
from ..items.states import stages_for
from ..mail import compose, outbox
from ..models import ReportingPeriod, Role, Unit, User
from ..models.org import utcnow
from . import policy
from .clock import draft_counts


@dataclass(frozen=True)
class Moment:
    now: datetime   # naive UTC, as stored
    day: date       # the ward's day
    clock: str      # the ward's time, "HH:MM"


def moment(now=None):
    now = now or utcnow()
    local = now.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(WARD_TIMEZONE))
    return Moment(now, local.date(), local.strftime("%H:%M"))


@dataclass
class World:
    """What the pass reads, once: opened periods, drafts per unit, queues, people."""
    periods: dict                                   # id -> ReportingPeriod (opened)
    units: dict                                     # id -> Unit
    drafts: dict = field(default_factory=dict)      # (unit id, period id) -> {kind label: count}
    waiting: dict = field(default_factory=dict)     # Role -> {kind label: count waiting too long}
    members: dict = field(default_factory=dict)     # unit id -> [User]
    holders: dict = field(default_factory=dict)     # Role -> [User]


def gather(rules, at):
    periods = {p.id: p for p in db.session.scalars(select(ReportingPeriod).where(ReportingPeriod.opened_at.is_not(None)))}
    world = World(periods=periods, units={u.id: u for u in db.session.scalars(select(Unit))})
    world.drafts = draft_counts(list(periods))
    cutoff = at.now - timedelta(days=rules["queue_wait_days"])
    for role in QUEUES.values():
        counts = {}
        for key, state in stages_for(role):
            model = kinds.get(key).model
            n = db.session.scalar(select(func.count()).select_from(model)
                                  .where(model.state == state, model.submitted_at < cutoff))
            if n:
                counts[kinds.get(key).label] = counts.get(kinds.get(key).label, 0) + n
        world.waiting[role] = counts
    people = db.session.scalars(select(User).where(User.active, User.email.is_not(None), User.email != "")
                                .options(selectinload(User.role_rows))).all()
    for person in people:
        if person.has_role(Role.MEMBER):
            world.members.setdefault(person.unit_id, []).append(person)
        for role in person.roles:
            world.holders.setdefault(role, []).append(person)
    return world


def _work_link():
    return "/work"


def due_and_overdue(world, rules, at):
    """To each unit's people: N days before the due day, on it, and every day after it."""
    for (unit_id, period_id), counts in world.drafts.items():
        period, unit = world.periods[period_id], world.units[unit_id]
        left = (period.due_date - at.day).days
        if left >= 0 and left in rules["before_due_days"]:
            rule, name = f"due{left}", "reminder_due"
            subject = (f"Hôm nay là hạn gửi hồ sơ {period.name}" if left == 0
                       else f"Còn {left} ngày đến hạn gửi hồ sơ {period.name}")
        elif left < 0 and rules["overdue_daily"]:
            rule, name = "overdue", "reminder_overdue"
            subject = f"{unit.name}: hồ sơ {period.name} đã quá hạn {-left} ngày"
        else:
            continue
        for person in world.members.get(unit_id, []):
            yield compose.message(name, key=f"{rule}:{person.id}:{period_id}:{at.day}", category="due" if left >= 0 else "overdue",
                                  user=person, subject=subject, link=_work_link(), period=period, unit=unit,
                                  counts=counts, days=abs(left))


def escalations(world, rules, at):
    """On the policy's day after the due day: to VHXH (the reviewers) and the leaders, which units are
    late; and to each late unit's head, what the unit still owes."""
    late = defaultdict(list)
    for (unit_id, period_id), counts in world.drafts.items():
        if (at.day - world.periods[period_id].due_date).days == rules["escalate_after_days"]:
            late[period_id].append((world.units[unit_id], counts))
    for period_id, units in late.items():
        period = world.periods[period_id]
        units.sort(key=lambda pair: pair[0].code)
        for person in _unique(world.holders.get(Role.REVIEWER, []) + world.holders.get(Role.CHAIRMAN, [])):
            yield compose.message("reminder_escalation", key=f"escalation:{person.id}:{period_id}:{at.day}",
                                  category="escalation", user=person, subject=f"Đơn vị chưa gửi hồ sơ {period.name} "
                                  f"sau {rules['escalate_after_days']} ngày quá hạn", link="/", period=period,
                                  units=units, days=rules["escalate_after_days"])
        for unit, counts in units:
            if unit.head_email:
                yield _to_head(world, rules, at, period, unit, counts)


def _to_head(world, rules, at, period, unit, counts):
    addressee = " ".join(filter(None, [unit.head_title, unit.head_name])) or f"Người đứng đầu {unit.name}"
    return compose.message("reminder_escalation_head", key=f"escalation-head:{unit.id}:{period.id}:{at.day}",
                           category="escalation", user=None, to=unit.head_email, addressee=addressee,
                           subject=f"{unit.name} chưa gửi hồ sơ {period.name} sau {rules['escalate_after_days']} "
                           "ngày quá hạn", period=period, unit=unit, counts=counts, days=rules["escalate_after_days"],
                           officers=[p.full_name for p in world.members.get(unit.id, [])], ward=unit.ward)


def queue_digests(world, rules, at):
    """To reviewers, acceptors and the signer: what has waited in their queue longer than the policy allows."""
    for stage, role in QUEUES.items():
        counts = world.waiting.get(role)
        if not counts:
            continue
        for person in world.holders.get(role, []):
            yield compose.message("reminder_queue", key=f"queue:{person.id}:{stage}:{at.day}", category="queue",
                                  user=person, subject=f"Hồ sơ chờ bạn xử lý quá {rules['queue_wait_days']} ngày",
                                  link=f"/queue/{stage}", counts=counts, days=rules["queue_wait_days"])


def weekly(world, rules, at):
    """To the leaders, on the policy's weekday and time: each unit's drafts, the late ones, what waits for them."""
    if at.day.weekday() != rules["weekly_weekday"]:
        return
    year, week, _ = at.day.isocalendar()
    rows = []
    for (unit_id, period_id), counts in sorted(world.drafts.items(), key=lambda kv: (world.units[kv[0][0]].code, kv[0][1])):
        period = world.periods[period_id]
        rows.append((world.units[unit_id], period, sum(counts.values()), max(0, (at.day - period.due_date).days)))
    waiting = world.waiting.get(Role.SIGNER, {})
    for person in world.holders.get(Role.CHAIRMAN, []):
        yield compose.message("reminder_weekly", key=f"weekly:{person.id}:{year}-W{week:02d}", category="weekly",
                              user=person, subject=f"Tình hình CCHC tuần {week}/{year}", link="/", rows=rows,
                              waiting=waiting if person.has_role(Role.SIGNER) else {})


def _unique(people):
    return list({p.id: p for p in people}.values())


def run(now=None):
    """Write what is due at `now` (default: the clock) to the outbox and commit; how many were new."""
    at, rules = moment(now), policy.current()
    world = gather(rules, at)
    messages = []
    if at.clock >= rules["daily_time"]:
        messages += [*due_and_overdue(world, rules, at), *escalations(world, rules, at), *queue_digests(world, rules, at)]
    if at.clock >= rules["weekly_time"]:
        messages += list(weekly(world, rules, at))
    written = outbox.enqueue_many(messages)
    db.session.commit()
    return written
