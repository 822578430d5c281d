"""The registry of item kinds: one record per kind of workflow item, and the hooks every action runs.

The engine (items/states.py, items/services.py, the item page and the queues) dispatches through
these records and names no kind. A kind registers from the package that owns it: task results and
unit reports from items/, the consolidated report from consolidated/, self-assessments and ranking
sheets from ranking/. This module sits at the bottom (models only), so access.py can read a kind's
owner roles and the engine can look kinds up without importing the packages above it.
"""
from dataclasses import dataclass, field
from typing import Callable

from werkzeug.exceptions import NotFound

from .models import Role


def _nothing(*_args, **_kwargs):
    return {}


def _fits(_item, _form):
    return True


@dataclass(frozen=True)
class Kind:
    key: str                          # URL and history name, = model.KIND
    model: type                       # a WorkflowItem model
    label: str                        # "Kết quả nhiệm vụ"
    transitions: tuple                # items/states.py Rules: who moves it from which state to which
    form: Callable                    # (item, fresh) -> the draft's edit form (posted data unless fresh)
    save: Callable                    # (user, item, form) -> item: saves a validated draft form
    templates: tuple                  # (edit template, read-only template) of the item page's body
    owner_roles: tuple = (Role.MEMBER,)  # roles of the owning unit's people who edit and submit it
    form_fits: Callable = _fits       # (item, form) -> the posted rows are exactly the item's rows
    context: Callable = _nothing      # (user, item, **forms) -> what the item page shows besides the body
    sections: tuple = ()              # further templates of the item page, after the body
    page_options: Callable = tuple    # () -> loader options for the item page (no query per row)
    list_options: Callable = tuple    # () -> loader options for lists (queues, the unit's work)
    sees: Callable | None = None      # (user, item) -> True for people beyond the unit and overseers
    on_open: Callable | None = None   # (period) -> how many it created when a period opens (no commit)
    check: Callable | None = None     # (item, action) -> [(field, message)]: what keeps it from that action
    step: Callable = _nothing         # (item, rule, inputs) -> extra columns an action writes
    after: tuple = ()                 # (done) -> None, inside the action's transaction
    after_commit: tuple = ()          # (done) -> None, once it is committed (slow work that must not undo it)
    fills: tuple = ()                 # Fill records: ways to fill a draft from what the ward already has
    dated: bool = True                # the period's due day applies: overdue lists, reminders, the calendar


@dataclass(frozen=True)
class Fill:
    """A button on a draft's form that fills its empty places from elsewhere (items/fills.py)."""
    key: str          # URL name
    label: str        # "Sao chép từ kỳ trước"
    hint: str         # what it takes, and that typed text stays
    apply: Callable   # (item) -> how many places it filled (no commit)


@dataclass(frozen=True)
class Done:
    """What an action did, for the hooks that follow it."""
    item: object
    action: str
    rule: object
    actor: object
    reason: str
    at: object
    inputs: dict = field(default_factory=dict)
    lent: object = None  # the Delegation by which the actor took a step of someone else's role


_KINDS: dict[str, Kind] = {}
_AFTER_EVERY_ACTION: list[Callable] = []


def register(kind):
    if kind.key != kind.model.KIND:
        raise ValueError(f"kind {kind.key!r} registers model {kind.model.__name__} of kind {kind.model.KIND!r}")
    _KINDS[kind.key] = kind
    return kind


def get(key):
    """The kind named in a URL, or 404."""
    try:
        return _KINDS[key]
    except (KeyError, TypeError):
        raise NotFound()


def find(key):
    """The kind of that name, or None (a stored row may name a kind no longer registered)."""
    return _KINDS.get(key)


def of(item):
    return _KINDS[item.KIND]


def all_kinds():
    return list(_KINDS.values())


def dated_kinds():
    """The kinds the period's due day applies to (a nomination, made after the ranking, has none)."""
    return [kind for kind in _KINDS.values() if kind.dated]


def after_every_action(hook):
    """Register `hook(done)` to run after every action of every kind, inside its transaction
    (notifications now; e-mail to the outbox later). Used as a decorator."""
    _AFTER_EVERY_ACTION.append(hook)
    return hook


def after_hooks(kind):
    return (*_AFTER_EVERY_ACTION, *kind.after)
