"""The approval workflow in one place: the transition tables, and the one function that moves an item.

Each kind (workflow/kinds.py) carries its table; views call perform(); pages ask available_actions()
and can(). Names no kind: what is particular to one (a quality grade, a document number, a check
before sending) comes from its record's `step` and `check`, and what follows an action from the
hooks (`kinds.after_hooks`, `after_commit`), for single and bulk actions alike.
"""
from dataclasses import dataclass, replace

from sqlalchemy import select
from werkzeug.exceptions import Conflict, Forbidden, NotFound

from .. import kinds, versioning
from ..access import is_owner
from ..extensions import db
from ..models import ROLE_LABELS, Evidence, ItemHistory, Role, State
from .. import lending
from ..models.org import utcnow
from ..validation import FieldError, Incomplete
from .deadlines import days_late, local_date

DRAFT, SUBMITTED, REVIEWED, ACCEPTED = State.DRAFT, State.SUBMITTED, State.REVIEWED, State.ACCEPTED
ACTION_LABELS = {"submit": "Gửi", "withdraw": "Rút lại", "review": "Thẩm định đạt", "return": "Trả lại",
                 "accept": "Tiếp nhận", "reopen": "Mở lại"}
ACTIONS = tuple(ACTION_LABELS)
NOTE_LABELS = {"remind": "Nhắc nhở"}  # history rows that move nothing (reminders/manual.py)
FORWARD = ("review", "accept")  # the steps that move an item on towards acceptance
OWNER = "owner"  # a person of the unit the item belongs to, holding one of its kind's owner roles

SELF_STEP = "Bạn đã thực hiện bước trước của hồ sơ này; bước tiếp theo phải do người khác thực hiện."
WRONG_STATE = "Hồ sơ đang ở trạng thái “{state}”, không thể “{action}”. Vui lòng tải lại trang."
NOT_ALLOWED = "Bạn không có quyền “{action}” hồ sơ này."


@dataclass(frozen=True)
class Rule:
    source: State
    action: str
    target: State
    role: str                   # a Role, or OWNER
    needs_reason: bool = False
    not_by: tuple = ()          # item columns naming people who may not take this step
    needs_grade: bool = False   # the step grades the item's quality (its form asks the grade)
    label: str | None = None    # the step's name for this kind when not the common one ("Ký ban hành")


# Units' items: the unit sends, the reviewer (VHXH) reviews, the acceptor (VP office) accepts.
UNIT_FLOW = (
    Rule(DRAFT, "submit", SUBMITTED, OWNER),
    Rule(SUBMITTED, "withdraw", DRAFT, OWNER),
    Rule(SUBMITTED, "review", REVIEWED, Role.REVIEWER, not_by=("submitted_by_id",)),
    Rule(SUBMITTED, "return", DRAFT, Role.REVIEWER, needs_reason=True, not_by=("submitted_by_id",)),
    Rule(REVIEWED, "accept", ACCEPTED, Role.ACCEPTOR, not_by=("submitted_by_id", "reviewed_by_id")),
    Rule(REVIEWED, "return", DRAFT, Role.ACCEPTOR, needs_reason=True, not_by=("reviewed_by_id",)),
    Rule(ACCEPTED, "reopen", DRAFT, Role.ADMIN, needs_reason=True),
)
# The ward's own items, drafted by VHXH: the VP office both reviews and accepts them (by two different
# people: the two-step rule still holds).
OFFICE_FLOW = (
    Rule(DRAFT, "submit", SUBMITTED, OWNER),
    Rule(SUBMITTED, "withdraw", DRAFT, OWNER),
    Rule(SUBMITTED, "review", REVIEWED, Role.ACCEPTOR, not_by=("submitted_by_id",)),
    Rule(SUBMITTED, "return", DRAFT, Role.ACCEPTOR, needs_reason=True, not_by=("submitted_by_id",)),
    Rule(REVIEWED, "accept", ACCEPTED, Role.ACCEPTOR, not_by=("submitted_by_id", "reviewed_by_id")),
    Rule(REVIEWED, "return", DRAFT, Role.ACCEPTOR, needs_reason=True, not_by=("reviewed_by_id",)),
    Rule(ACCEPTED, "reopen", DRAFT, Role.ADMIN, needs_reason=True),
)

# The ward's own documents (the consolidated report; later the công văn đôn đốc and the emulation
# decision): VHXH drafts, one person of the VP office checks form and content (thẩm tra), the chairman
# (or a vice-chairman he delegated) signs and issues it. Nobody takes two steps in a row.
ISSUE_FLOW = (
    Rule(DRAFT, "submit", SUBMITTED, OWNER),
    Rule(SUBMITTED, "withdraw", DRAFT, OWNER),
    Rule(SUBMITTED, "review", REVIEWED, Role.ACCEPTOR, not_by=("submitted_by_id",), label="Thẩm tra đạt"),
    Rule(SUBMITTED, "return", DRAFT, Role.ACCEPTOR, needs_reason=True, not_by=("submitted_by_id",)),
    Rule(REVIEWED, "accept", ACCEPTED, Role.SIGNER, not_by=("submitted_by_id", "reviewed_by_id"), label="Ký ban hành"),
    Rule(REVIEWED, "return", DRAFT, Role.SIGNER, needs_reason=True, not_by=("reviewed_by_id",)),
    Rule(ACCEPTED, "reopen", DRAFT, Role.ADMIN, needs_reason=True),
)

# The ranking sheet: checked by the VP office the same way, approved (phê duyệt) by the chairman.
APPROVE_FLOW = tuple(replace(rule, label="Phê duyệt") if rule.action == "accept" else rule for rule in ISSUE_FLOW)


# A proposal to apply a newer scoring scheme version to a running period (ranking/governance.py): VHXH
# proposes, the chairman (or a vice-chairman: Role.CHAIRMAN) approves or returns it with a reason.
PROPOSAL_FLOW = (
    Rule(DRAFT, "submit", SUBMITTED, OWNER, label="Gửi đề nghị"),
    Rule(SUBMITTED, "withdraw", DRAFT, OWNER),
    Rule(SUBMITTED, "accept", ACCEPTED, Role.CHAIRMAN, not_by=("submitted_by_id",), label="Phê duyệt"),
    Rule(SUBMITTED, "return", DRAFT, Role.CHAIRMAN, needs_reason=True, not_by=("submitted_by_id",)),
)


def with_step(table, action, **flags):
    """A copy of `table` whose `action` rules also ask for something (needs_grade)."""
    return tuple(replace(rule, **flags) if rule.action == action else rule for rule in table)


def table(item):
    return kinds.of(item).transitions


def stages_for(role, keys=None):
    """(kind key, state) pairs in which items wait for someone holding `role` to move them forward."""
    chosen = [kinds.get(key) for key in keys] if keys is not None else kinds.all_kinds()
    return [(kind.key, rule.source) for kind in chosen for rule in kind.transitions
            if rule.role == role and rule.action in FORWARD]


def labels(item):
    """The name of each action on this item: the common ones, with its kind's own names of its steps."""
    return {**ACTION_LABELS, **NOTE_LABELS, **{r.action: r.label for r in table(item) if r.label}}


def today():
    return local_date(utcnow())


def holds(user, item, role, day=None):
    """The person holds the role, or has it lent for this kind of item on `day` (today by default)."""
    if role == OWNER:
        return is_owner(user, item)
    if user.has_role(role):
        return True
    return role in lending.LENDABLE and lending.lender(user, role, item.KIND, day or today()) is not None


def rule_for(user, item, action, day=None):
    """The rule by which this user may take this action now, else the refusal:
    403 when the user may never take it on this item (or it would be their second step in a row),
    409 when the item's state does not allow it."""
    if action not in ACTIONS:
        raise NotFound()
    mine = [r for r in table(item) if r.action == action and holds(user, item, r.role, day)]
    if not mine:
        raise Forbidden(NOT_ALLOWED.format(action=labels(item)[action]))
    rule = next((r for r in mine if r.source == item.state), None)
    if rule is None:
        raise Conflict(WRONG_STATE.format(state=item.state_label, action=labels(item)[action]))
    if any(getattr(item, column) == user.id for column in rule.not_by):
        raise Forbidden(SELF_STEP)
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
        if rule.role == role and rule.source == item.state and rule.action in FORWARD:
            return rule.action
    raise Conflict(WRONG_STATE.format(state=item.state_label, action="chuyển bước"))


def available_actions(user, item):
    return [rule.action for rule in available_rules(user, item)]


def available_rules(user, item):
    """The rule of each action this user may take now, in the order of ACTIONS: what the panel offers."""
    found = []
    for action in ACTIONS:
        try:
            found.append(rule_for(user, item, action))
        except (Forbidden, Conflict, NotFound):
            pass
    return found


def next_steps(item):
    """(action, role) of the steps that move the item on from its state: who is expected to act next
    (none for a draft or an accepted item: its unit, or nobody, acts)."""
    return [(rule.action, rule.role) for rule in table(item) if rule.source == item.state and rule.action in FORWARD]


def waiting_on(item):
    """Who is expected to act next, in words for a list: "Chờ thẩm định", or the unit for a draft."""
    return waiting_on_state(item.KIND, item.state)


def waiting_on_state(kind_key, state):
    """waiting_on for every item of a kind in a state (a summary's column)."""
    roles = [ROLE_LABELS[rule.role].lower() for rule in kinds.get(kind_key).transitions
             if rule.source == state and rule.action in FORWARD]
    if roles:
        return f"Chờ {', '.join(roles)}"
    return "Chờ đơn vị hoàn thành và gửi" if state == DRAFT else "Đã xong"


def _changes(rule, user, item, reason, now):
    """Column values the transition writes besides state and version."""
    if rule.action == "submit":
        return {"submitted_at": now, "submitted_by_id": user.id, "late_days": days_late(item.period.due_date, now),
                "return_reason": None, "reviewed_by_id": None}
    if rule.action == "review":
        return {"reviewed_by_id": user.id}
    if rule.target == DRAFT:  # withdraw, return, reopen
        return {"return_reason": reason or None, "reviewed_by_id": None}
    return {}


def snapshot_of(item):
    """The item's content as people read it, its evidence files included, for the change view."""
    names = db.session.scalars(select(Evidence.original_name).where(
        Evidence.item_kind == item.KIND, Evidence.item_id == item.id).order_by(Evidence.id)).all()
    return {**item.snapshot(), "Minh chứng": "; ".join(names)}


def claim(item, version, expected_state, **values):
    """Bump the item's version if it is still at `version` and in `state`; else 409.

    The conditional UPDATE (versioning.bump) is what makes two concurrent requests safe: exactly one
    matches the row."""
    versioning.bump(item, version, type(item).state == expected_state, updated_at=utcnow(), **values)


STEP_INPUTS = ("grade",)  # what a step's form may ask besides the reason


def perform(user, item, action, version, reason=None, now=None, **inputs):
    """Apply one action: permission, reason, version, new state, history row and the hooks that follow
    it, all in one transaction; then the kind's after-commit work. `inputs` are what the step's form
    asked besides the reason (STEP_INPUTS), read by the kind's `step`."""
    unknown = set(inputs) - set(STEP_INPUTS)
    if unknown:
        raise TypeError(f"perform() got unexpected inputs {sorted(unknown)}")
    kind = kinds.of(item)
    now = now or utcnow()
    rule = rule_for(user, item, action, local_date(now))
    reason = (reason or "").strip() if rule.needs_reason else ""
    if rule.needs_reason and not reason:
        raise FieldError("reason", "Vui lòng nêu lý do.")
    problems = kind.check(item, action) if kind.check else []
    if problems:
        raise Incomplete(problems)
    changes = {**_changes(rule, user, item, reason, now), **kind.step(item, rule, inputs)}
    snapshot = snapshot_of(item) if action in ("submit", "return", "reopen") else None
    claim(item, version, rule.source, state=rule.target, **changes)
    lent = _lent(user, item, rule, now)
    db.session.add(ItemHistory(
        item_kind=item.KIND, item_id=item.id, action=action, from_state=rule.source, to_state=rule.target,
        actor_id=user.id, actor_role=Role.MEMBER.value if rule.role == OWNER else rule.role.value,
        on_behalf_of_id=lent.delegator_id if lent else None, reason=reason or None, snapshot=snapshot, at=now))
    done = kinds.Done(item, action, rule, user, reason, now, inputs, lent)
    for hook in kinds.after_hooks(kind):
        hook(done)
    db.session.commit()
    db.session.refresh(item)
    for hook in kind.after_commit:
        hook(done)
    return item


def _lent(user, item, rule, now):
    """The delegation by which the actor holds this step's role, else None (their own role, or the owner's step)."""
    if rule.role == OWNER or user.has_role(rule.role):
        return None
    return lending.lender(user, rule.role, item.KIND, local_date(now))


def edit_draft(user, item, version, write, then=None):
    """Write a draft's content (`write()` sets it on the item) under the version the person saw: alone,
    one version step; or followed by the action `then` ("submit") in the same transaction and the same
    step, so what is sent is exactly what was written. A refusal undoes the write (409 when stale)."""
    if then is None:
        claim(item, version, DRAFT)
        write()
        db.session.commit()
        return item
    try:
        write()
        return perform(user, item, then, version)
    except BaseException:
        db.session.rollback()
        raise
