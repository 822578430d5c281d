"""The approval workflow in one place: states, the transition table, and the one function that
moves an item. Views call perform(); templates ask available_actions()/can()."""
import re
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import Conflict, Forbidden, NotFound

from ..extensions import db
from ..models import QUALITY_GRADES, Evidence, ItemHistory, Notification, Role, User, UserRole
from ..models.org import utcnow
from ..validation import FieldError, StaleVersion
from .deadlines import days_late

DRAFT, SUBMITTED, REVIEWED, ACCEPTED = "draft", "submitted", "reviewed", "accepted"
STATE_LABELS = {DRAFT: "Dự thảo", SUBMITTED: "Đã gửi", REVIEWED: "Đã thẩm định", ACCEPTED: "Đã tiếp nhận"}
ACTION_LABELS = {"submit": "Gửi", "withdraw": "Rút lại", "review": "Thẩm định đạt", "return": "Trả lại",
                 "accept": "Tiếp nhận", "reopen": "Mở lại"}
OWNER = "owner"  # a member of the unit the item belongs to

SELF_STEP = "Bạn đã thực hiện bước trước của hồ sơ này; bước tiếp theo phải do người khác thực hiện."
WRONG_STATE = "Hồ sơ đang ở trạng thái “{state}”, không thể “{action}”. Vui lòng tải lại trang."
ALREADY_OPENED = "Hồ sơ đã được mở để thẩm định; không thể rút lại."
NOT_ALLOWED = "Bạn không có quyền “{action}” hồ sơ này."


@dataclass(frozen=True)
class Rule:
    source: str
    action: str
    target: str
    role: str                   # a Role value, or OWNER
    needs_reason: bool = False
    not_by: tuple = ()          # item columns naming people who may not take this step
    needs_number: bool = False  # accepting gives the document its number and date


TRANSITIONS = (
    Rule(DRAFT, "submit", SUBMITTED, OWNER),
    Rule(SUBMITTED, "withdraw", DRAFT, OWNER),
    Rule(SUBMITTED, "review", REVIEWED, Role.REVIEWER, not_by=("submitted_by_id",)),
    Rule(SUBMITTED, "return", DRAFT, Role.REVIEWER, needs_reason=True, not_by=("submitted_by_id",)),
    Rule(REVIEWED, "accept", ACCEPTED, Role.ACCEPTOR, not_by=("submitted_by_id", "reviewed_by_id")),
    Rule(REVIEWED, "return", DRAFT, Role.ACCEPTOR, needs_reason=True, not_by=("reviewed_by_id",)),
    Rule(ACCEPTED, "reopen", DRAFT, Role.ADMIN, needs_reason=True),
)
# The ward's consolidated report is drafted by VHXH and both reviewed and accepted by the VP office
# (by two different people: the two-step rule still holds).
CONSOLIDATED_TRANSITIONS = (
    Rule(DRAFT, "submit", SUBMITTED, OWNER),
    Rule(SUBMITTED, "withdraw", DRAFT, OWNER),
    Rule(SUBMITTED, "review", REVIEWED, Role.ACCEPTOR, not_by=("submitted_by_id",)),
    Rule(SUBMITTED, "return", DRAFT, Role.ACCEPTOR, needs_reason=True, not_by=("submitted_by_id",)),
    Rule(REVIEWED, "accept", ACCEPTED, Role.ACCEPTOR, not_by=("submitted_by_id", "reviewed_by_id"),
         needs_number=True),
    Rule(REVIEWED, "return", DRAFT, Role.ACCEPTOR, needs_reason=True, not_by=("reviewed_by_id",)),
    Rule(ACCEPTED, "reopen", DRAFT, Role.ADMIN, needs_reason=True),
)
# The period's ranking sheet goes the same way, without a document number (it is the annex of a decision
# the emulation council takes outside the app).
RANKING_TRANSITIONS = tuple(Rule(r.source, r.action, r.target, r.role, r.needs_reason, r.not_by)
                            for r in CONSOLIDATED_TRANSITIONS)
TABLES = {"consolidated": CONSOLIDATED_TRANSITIONS, "ranking": RANKING_TRANSITIONS}
OWNER_ROLES = {"consolidated": (Role.MEMBER, Role.REVIEWER), "ranking": (Role.MEMBER, Role.REVIEWER)}
ACTIONS = tuple(dict.fromkeys(r.action for r in TRANSITIONS))
NUMBER_PATTERN = re.compile(r"^\d{1,5}/BC-UBND$")


def table(item):
    return TABLES.get(item.KIND, TRANSITIONS)


def stages_for(role, kinds):
    """(kind, state) pairs in which items wait for someone holding `role` to move them forward."""
    return [(kind, rule.source) for kind in kinds for rule in TABLES.get(kind, TRANSITIONS)
            if rule.role == role and rule.action in ("review", "accept")]


def is_owner(user, item):
    return user.unit_id == item.unit_id and user.has_role(*OWNER_ROLES.get(item.KIND, (Role.MEMBER,)))


def holds(user, item, role):
    return is_owner(user, item) if role == OWNER else user.has_role(role)


def rule_for(user, item, action):
    """The rule by which this user may take this action now, else the refusal:
    403 when the user may never take it on this item (or it would be their second step in a row),
    409 when the item's state does not allow it."""
    if action not in ACTIONS:
        raise NotFound()
    mine = [r for r in table(item) if r.action == action and holds(user, item, r.role)]
    if not mine:
        raise Forbidden(NOT_ALLOWED.format(action=ACTION_LABELS[action]))
    rule = next((r for r in mine if r.source == item.state), None)
    if rule is None:
        raise Conflict(WRONG_STATE.format(state=STATE_LABELS[item.state], action=ACTION_LABELS[action]))
    if any(getattr(item, column) == user.id for column in rule.not_by):
        raise Forbidden(SELF_STEP)
    if action == "withdraw" and item.review_opened_at is not None:
        raise Conflict(ALREADY_OPENED)
    return rule


def can(user, item, action):
    try:
        rule_for(user, item, action)
    except (Forbidden, Conflict, NotFound):
        return False
    return True


def forward_action(role, item):
    """The step someone with `role` takes to move the item on from its state (review or accept)."""
    for rule in table(item):
        if rule.role == role and rule.source == item.state and rule.action in ("review", "accept"):
            return rule.action
    raise Conflict(WRONG_STATE.format(state=STATE_LABELS[item.state], action="chuyển bước"))


def reason_actions(item):
    return [r.action for r in table(item) if r.needs_reason]


def graded_actions(item):
    """Actions whose form asks the reviewer for a quality grade."""
    return ["review"] if getattr(item, "GRADED", False) else []


def numbered_actions(item):
    """Actions that give the document its number and date (their form asks for them)."""
    return [r.action for r in table(item) if r.needs_number]


def available_actions(user, item):
    return [action for action in ACTIONS if can(user, item, action)]


def _changes(rule, user, item, reason, now):
    """Column values the transition writes besides state and version."""
    if rule.action == "submit":
        return {"submitted_at": now, "submitted_by_id": user.id, "late_days": days_late(item.period.due_date, now),
                "return_reason": None, "review_opened_at": None, "reviewed_by_id": None}
    if rule.action == "review":
        return {"reviewed_by_id": user.id}
    if rule.target == DRAFT:  # withdraw, return, reopen: a later review grades it afresh
        back = {"return_reason": reason or None, "review_opened_at": None, "reviewed_by_id": None}
        return {**back, "quality_grade": None} if getattr(item, "GRADED", False) else back
    return {}


def snapshot_of(item):
    """The item's content as people read it, its evidence files included, for the change view."""
    names = db.session.scalars(select(Evidence.original_name).where(
        Evidence.item_kind == item.KIND, Evidence.item_id == item.id).order_by(Evidence.id)).all()
    return {**item.snapshot(), "Minh chứng": "; ".join(names)}


def claim(item, version, expected_state, **values):
    """Bump the item's version if it is still at `version` and in `state`; else 409.

    The conditional UPDATE is what makes two concurrent requests safe: exactly one matches the row."""
    try:
        version = int(version)
    except (TypeError, ValueError):
        raise StaleVersion()
    model = type(item)
    conditions = [model.id == item.id, model.version == version, model.state == expected_state]
    if values.pop("_unopened", False):
        conditions.append(model.review_opened_at.is_(None))
    result = db.session.execute(
        update(model).where(*conditions).values(version=version + 1, updated_at=utcnow(), **values),
        execution_options={"synchronize_session": False})
    if result.rowcount != 1:
        db.session.rollback()
        raise StaleVersion()


def perform(user, item, action, version, reason=None, now=None, number=None, number_date=None, grade=None):
    """Apply one action: permission, reason, version, new state, history row and notifications,
    all in one transaction."""
    rule = rule_for(user, item, action)
    reason = (reason or "").strip() if rule.needs_reason else ""
    if rule.needs_reason and not reason:
        raise FieldError("reason", "Vui lòng nêu lý do.")
    _check_ready(item, action)
    now = now or utcnow()
    changes = _changes(rule, user, item, reason, now)
    if rule.needs_number:
        changes.update(_document_number(item, number, number_date))
    if action == "review" and getattr(item, "GRADED", False):
        if grade not in QUALITY_GRADES:
            raise FieldError("grade", "Vui lòng chọn mức chất lượng của báo cáo.")
        changes["quality_grade"] = grade
    snapshot = snapshot_of(item) if action in ("submit", "return", "reopen") else None
    try:
        claim(item, version, rule.source, state=rule.target, _unopened=(action == "withdraw"), **changes)
    except IntegrityError:  # only the document number is unique among the columns a transition writes
        db.session.rollback()
        raise FieldError("number", f"Số {changes.get('doc_number')} đã được dùng cho văn bản khác.")
    db.session.add(ItemHistory(
        item_kind=item.KIND, item_id=item.id, action=action, from_state=rule.source, to_state=rule.target,
        actor_id=user.id, actor_role=Role.MEMBER.value if rule.role == OWNER else rule.role.value,
        reason=reason or None, snapshot=snapshot, at=now))
    _notify(item, action, user, reason)
    db.session.commit()
    db.session.refresh(item)
    return item


def _check_ready(item, action):
    """Items with their own conditions for a step (a self-assessment must be fully scored to be sent,
    fully appraised to be reviewed) say what is missing through `<action>_problem()`."""
    check = getattr(item, f"{action}_problem", None)
    problem = check() if check else None
    if problem:
        raise FieldError(*problem)


def _document_number(item, number, number_date):
    number = (number or "").strip()
    if not NUMBER_PATTERN.match(number):
        raise FieldError("number", "Số văn bản có dạng 245/BC-UBND.")
    model = type(item)
    if db.session.scalar(select(model.id).where(model.doc_number == number, model.id != item.id)) is not None:
        raise FieldError("number", f"Số {number} đã được dùng cho văn bản khác.")
    if number_date is None:
        raise FieldError("number_date", "Vui lòng nhập ngày ban hành.")
    if number_date < item.period.start_date:
        raise FieldError("number_date", f"Ngày ban hành không thể trước {item.period.start_date:%d/%m/%Y}.")
    return {"doc_number": number, "doc_date": number_date}


def mark_opened(user, item):
    """The reviewer has opened a submitted item: from now on the unit can no longer withdraw it."""
    reviewer = next(r.role for r in table(item) if r.action == "review")
    if item.state == SUBMITTED and item.review_opened_at is None and user.has_role(reviewer):
        model = type(item)
        db.session.execute(update(model).where(model.id == item.id, model.review_opened_at.is_(None))
                           .values(review_opened_at=utcnow()), execution_options={"synchronize_session": False})
        db.session.commit()
        db.session.refresh(item)


# Who hears of an action: the people who take the next step (read from the item's table), or the owners.
NOTICES = {
    "submit": ("review", "{unit} đã gửi “{title}”, chờ thẩm định."),
    "review": ("accept", "“{title}” đã được thẩm định, chờ tiếp nhận."),
    "return": (OWNER, "“{title}” bị trả lại: {reason}"),
    "accept": (OWNER, "“{title}” đã được tiếp nhận."),
    "reopen": (OWNER, "“{title}” được mở lại: {reason}"),
}


def _recipients(item, audience):
    """Members of the owning unit, or everyone holding the role: not everyone with a role."""
    role = Role.MEMBER if audience == OWNER else audience
    query = select(User).join(UserRole).where(User.active, UserRole.role == role.value)
    if audience == OWNER:
        query = query.where(User.unit_id == item.unit_id)
    return db.session.scalars(query).all()


def _notify(item, action, actor, reason):
    if action not in NOTICES:
        return
    audience, template = NOTICES[action]
    if audience != OWNER:
        audience = next(r.role for r in table(item) if r.action == audience)
    text = template.format(unit=item.unit.name, title=item.title, reason=reason)[:400]
    for user in _recipients(item, audience):
        if user.id != actor.id:
            db.session.add(Notification(user_id=user.id, item_kind=item.KIND, item_id=item.id, text=text))
