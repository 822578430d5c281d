""""Nhắc nhở" by hand: VHXH, the VP office and the leaders remind a unit about one item it still holds,
or about all its overdue items of a period at once. The reminder is written to each item's history, the
unit's notifications and the outbox, in one transaction."""
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app, has_request_context, request

from sqlalchemy import String, and_, case, cast, func, literal, null, or_, select, union_all
from sqlalchemy.orm import aliased
from werkzeug.exceptions import Conflict

from .. import kinds
from ..access import require_role
from ..extensions import db
from ..formats import local_date, vn_sort_key
from ..items import notices
from ..items.deadlines import period_is_late
from ..mail import compose, outbox
from ..models import ItemHistory, Notification, OutboxMessage, Role, Unit, User
from ..models.org import utcnow
from ..models.state import State

REMINDERS = (Role.REVIEWER, Role.ACCEPTOR, Role.CHAIRMAN)
NOT_HELD = "Hồ sơ này không còn ở đơn vị (đã gửi hoặc đã tiếp nhận), không cần nhắc nhở."
MAX_TEXT = 1000


def may_remind(user, item):
    return user.has_role(*REMINDERS) and item.state == State.DRAFT


def may_remind_units(user):
    return user.has_role(*REMINDERS)


def require_reminder(user):
    require_role(user, *REMINDERS)


def _default_text(item):
    return f"Đề nghị {item.unit.name} hoàn thành và gửi “{item.title}” (hạn {item.period.due_date:%d/%m/%Y})."


def _record(actor, items, text, notice):
    """A history row on each item and a notification to each of the unit's people (pointing at the
    first item); returns (the first history row, the people)."""
    role = next(r for r in REMINDERS if actor.has_role(r))
    entries = [ItemHistory(item_kind=i.KIND, item_id=i.id, action="remind", from_state=i.state, to_state=i.state,
                           actor_id=actor.id, actor_role=role.value, reason=text) for i in items]
    db.session.add_all(entries)
    db.session.flush()  # its id names the e-mails, so a second reminder is a second message
    people = notices.unit_members(items[0].unit_id)
    db.session.add_all(Notification(user_id=p.id, item_kind=items[0].KIND, item_id=items[0].id, text=notice[:400])
                       for p in people)
    return entries[0], people


def remind(actor, item, text=""):
    """Write the reminder (history, notifications, e-mail) and commit; returns the history row."""
    require_reminder(actor)
    if item.state != State.DRAFT:
        raise Conflict(NOT_HELD)
    text = (text or "").strip()[:MAX_TEXT] or _default_text(item)
    entry, people = _record(actor, [item], text, f"{actor.full_name} nhắc nhở về “{item.title}”: {text}")
    outbox.enqueue_many(compose.message(
        "reminder_manual", key=f"manual:{p.id}:{item.KIND}:{item.id}:{entry.id}", category="manual", user=p,
        subject=f"Nhắc nhở: {item.title}"[:300], link=f"/items/{item.KIND}/{item.id}", item_kind=item.KIND,
        item_id=item.id, item=item, actor=actor, text=text) for p in people)
    db.session.commit()
    return entry


NOTHING_LATE = "Đơn vị không còn hồ sơ quá hạn nào của kỳ này."


def overdue_items(unit, period, now):
    """The unit's drafts of the period once its due day has passed (one query per kind)."""
    if not period_is_late(period, now):
        return []
    found = []
    for kind in kinds.dated_kinds():
        model = kind.model
        found += db.session.scalars(select(model).where(model.unit_id == unit.id, model.period_id == period.id,
                                                        model.state == State.DRAFT)).all()
    return sorted(found, key=lambda item: vn_sort_key(item.sort_code))


def remind_unit(actor, unit, period, text=""):
    """Remind `unit` of all its overdue items of `period` (history of each, one notification and one
    e-mail per person listing them) and commit; how many items."""
    require_reminder(actor)
    items = overdue_items(unit, period, utcnow())
    if not items:
        raise Conflict(NOTHING_LATE)
    text = (text or "").strip()[:MAX_TEXT] or (f"Đề nghị {unit.name} hoàn thành và gửi ngay {len(items)} hồ sơ "
                                               f"{period.name} đã quá hạn (hạn {period.due_date:%d/%m/%Y}).")
    entry, people = _record(actor, items, text, f"{actor.full_name} nhắc nhở {len(items)} hồ sơ {period.name} quá hạn: {text}")
    outbox.enqueue_many(compose.message(
        "reminder_manual_unit", key=f"manual-unit:{p.id}:{unit.id}:{period.id}:{entry.id}", category="manual",
        user=p, subject=f"Nhắc nhở: {len(items)} hồ sơ {period.name} quá hạn"[:300], link="/work",
        unit=unit, period=period, items=items, actor=actor, text=text) for p in people)
    db.session.commit()
    return len(items)


# --- when a unit was last reminded (read only: the dashboard's late rows) -------------------------

@dataclass(frozen=True)
class LastReminder:
    at: datetime      # stored time (naive UTC)
    by: str | None    # the full name of who reminded by hand; None: the scheduler (automatic)


# The scheduler's messages that remind a unit of a period (scheduler.py's keys): to each of its people N
# days before the due day ("due3:<person>:<period>:<day>") and each day after it ("overdue:…"), and to its
# head, who has no account, on the escalation day ("escalation-head:<unit>:<period>:<day>").
_TO_PEOPLE = ("due%:", "overdue:")
_TO_HEAD = "escalation-head:"


def last_reminders(period, unit_ids):
    """{unit id: LastReminder} of `unit_ids` for `period`, in ONE statement whatever their number.

    By hand: the "remind" history row written on each item reminded (remind, remind_unit), the one record
    kept whether or not the unit's people have accounts or addresses. By the scheduler: its outbox rows,
    the only thing it writes (a message it did not write, to nobody with an address or to someone who
    stopped that kind, reminded no one). The latest of the two wins; at the same instant, the person."""
    unit_ids = list(unit_ids)
    if not unit_ids:
        return {}
    parts = []
    for kind in kinds.all_kinds():  # each item's history through the item index, from the units' items
        model = kind.model
        items = select(model.id).where(model.period_id == period.id, model.unit_id.in_(unit_ids))
        parts.append(select(model.unit_id.label("unit_id"), ItemHistory.at.label("at"),
                            ItemHistory.actor_id.label("actor_id"))
                     .join(model, model.id == ItemHistory.item_id)
                     .where(ItemHistory.item_kind == kind.key, ItemHistory.item_id.in_(items),
                            ItemHistory.action == "remind"))
    # Each person's latest such message, walking their messages newest first (the outbox's user index)
    # rather than reading all of them: a city's outbox holds a message per person and late period a day.
    message = aliased(OutboxMessage)
    person = cast(User.id, String)
    latest = (select(message.id).where(message.user_id == User.id,
                                       or_(*(message.key.like(literal(rule) + person + f":{period.id}:%")
                                             for rule in _TO_PEOPLE)))
              .order_by(message.id.desc()).limit(1).correlate(User).scalar_subquery())
    parts.append(select(User.unit_id, func.max(OutboxMessage.created_at), null())
                 .join(OutboxMessage, OutboxMessage.id == latest)
                 .where(User.unit_id.in_(unit_ids)).group_by(User.unit_id))
    # The head's: a range of the key's own unique index (a "<day>", digits and "-", sorts below "z" in byte
    # order and in the usual collations alike), the LIKE keeping it to the exact prefix.
    prefix = literal(_TO_HEAD) + cast(Unit.id, String) + f":{period.id}:"
    parts.append(select(Unit.id, func.max(OutboxMessage.created_at), null())
                 .join(OutboxMessage, and_(OutboxMessage.key >= prefix, OutboxMessage.key < prefix + "z",
                                           OutboxMessage.key.like(prefix + "%")))
                 .where(Unit.id.in_(unit_ids)).group_by(Unit.id))
    found = union_all(*parts).subquery("found")
    rank = func.row_number().over(partition_by=found.c.unit_id, order_by=(
        found.c.at.desc(), case((found.c.actor_id.is_(None), 1), else_=0))).label("rank")
    ranked = select(found, rank).subquery("ranked")
    rows = db.session.execute(select(ranked.c.unit_id, ranked.c.at, User.full_name)
                              .outerjoin(User, User.id == ranked.c.actor_id).where(ranked.c.rank == 1))
    return {unit_id: LastReminder(at, name) for unit_id, at, name in rows}


@dataclass(frozen=True)
class Reminded:
    """When a late unit was last reminded of a period (the ward's day) and how: by hand (`by`, a full
    name) or by the scheduler (`by` None)."""
    day: date
    by: str | None


def reminded(period, unit_ids):
    """last_reminders on the ward's calendar: {unit id: Reminded}. Kept for the request: the home page
    asks for the dashboard's late units, then for the few of its late lines."""
    unit_ids = set(unit_ids)
    memo = request.environ.setdefault(REMINDED_MEMO, {}) if has_request_context() else {}
    known = memo.get(period.id)
    if known is None or not unit_ids <= known[0]:
        zone = current_app.config["TIMEZONE"]
        found = {u: Reminded(local_date(r.at, zone), r.by) for u, r in last_reminders(period, unit_ids).items()}
        known = memo[period.id] = (unit_ids, found)
    return {u: r for u, r in known[1].items() if u in unit_ids}


REMINDED_MEMO = "cchc.reminded"  # request.environ: {period id: (unit ids asked, {unit id: Reminded})}
