"""Between the item pages and the services: what an item's page shows, the queues' filters, and the
actions taken from pages (one at a time, in bulk, or right after a save). Each kind's own form,
save and page data come from its record in workflow/kinds.py."""
from dataclasses import dataclass, field

from flask import flash
from werkzeug.exceptions import Conflict, Forbidden, NotFound

from .. import kinds
from ..access import may_edit, may_see
from .. import lending
from ..models import ROLE_LABELS
from ..models.org import utcnow
from ..reminders.manual import may_remind
from ..validation import FieldError, attach, parse_id, warn
from . import evidence, evidence_forms, queries, services, states
from .deadlines import is_overdue
from .queries import SORTS, QueueFilters


def edit_form(item, fresh=False):
    """The draft's form: from the request when posted, from the item when `fresh` (a GET, or after a 409)."""
    return kinds.of(item).form(item, fresh)


def form_fits(item, form):
    return kinds.of(item).form_fits(item, form)


def save_form(user, item, form, then=None):
    """Save the draft's form; with `then` ("submit") the same step sends it."""
    return kinds.of(item).save(user, item, form, then)


def keep_draft(user, item, form, refusal):
    """A send refused as incomplete: save what was typed as the draft (nothing typed is lost), and
    return (the saved draft's form with the refusal beside its fields, saved?)."""
    try:
        save_form(user, item, form)
    except (FieldError, Conflict, Forbidden):  # e.g. someone saved meanwhile: keep the screen as typed
        attach(form, refusal)
        return form, False
    fresh = edit_form(item, fresh=True)
    attach(fresh, refusal)
    return fresh, True


def item_context(user, item, form=None, **forms):
    """Everything the item page shows. `forms` are a kind's other forms posted back with their errors
    (a cooperating unit's note, an appraisal), passed on to its `context`."""
    kind = kinds.of(item)
    rows = services.history(item)
    editable = may_edit(user, item)
    fresh = form is None and editable
    form = kind.form(item, True) if fresh else form
    rules = states.available_rules(user, item)
    return {
        "item": item, "kind_label": kind.label, "body": kind.templates[0 if form else 1], "sections": kind.sections,
        "action_labels": states.labels(item), "rules": rules, "waiting_for": _waiting_for(item, rules),
        "editable": editable, "form": form, "warnings": _warn(kind, item, form) if fresh else None,
        "fills": kind.fills if form is not None else (),
        "timeline": services.timeline(item, rows), "changes": services.changes_since_return(item, rows),
        "overdue": is_overdue(item, utcnow()), "may_remind": may_remind(user, item),
        **evidence_context(user, item),
        **kind.context(user, item, **forms),
    }


def _warn(kind, item, form):
    """A draft's problems beside its fields, so the unit sees before sending what sending would refuse:
    how many, and those that sit beside no field."""
    problems = kind.check(item, "submit") if kind.check and item.is_draft else []
    return {"count": len(problems), "loose": warn(form, problems)}


def evidence_form(**kwargs):
    return evidence_forms.upload_form(**kwargs)


def evidence_context(user, item, form=None):
    """What templates/items/_evidence.html needs, for the item page and for the evidence answers."""
    editable = may_edit(user, item)
    return {"evidence": evidence.for_item(item), "can_edit": editable,
            "evidence_form": (form or evidence_form(formdata=None)) if editable else None}


@dataclass
class Waiting:
    """A step someone else is expected to take: its name, the role, the people holding it, and the
    delegations that lend it today."""
    step: str
    role: str
    people: list
    delegations: list


def _waiting_for(item, rules):
    """Who is expected to act next, for a person who is not: the Waiting steps of a sent item."""
    mine = {rule.action for rule in rules}
    steps = states.next_steps(item)
    if any(action in mine for action, _ in steps):
        return []
    labels = states.labels(item)
    return [Waiting(labels[action], ROLE_LABELS[role], services.holders(role),
                    lending.for_step(role, item.KIND, states.today())) for action, role in steps]


def queue_filters(args):
    keys = {kind.key for kind in kinds.all_kinds()}
    kind, sort = args.get("kind"), args.get("sort")
    return QueueFilters(unit_id=parse_id(args.get("unit")), period_id=parse_id(args.get("period")),
                        kind=kind if kind in keys else None, sort=sort if sort in SORTS else "waiting")


@dataclass
class Outcome:
    key: str
    title: str
    ok: bool
    message: str


BATCH = 200           # items loaded at once when acting on everything the filters match
SHOWN_REFUSED = 100   # outcomes listed on the page; the counts cover them all
SHOWN_DONE = 20


@dataclass
class Outcomes:
    """What a bulk action did: every item counted, a bounded number listed (refusals first)."""
    done: int = 0
    refused: int = 0
    refusals: list = field(default_factory=list)
    successes: list = field(default_factory=list)

    def add(self, outcome):
        if outcome.ok:
            self.done += 1
            if len(self.successes) < SHOWN_DONE:
                self.successes.append(outcome)
        else:
            self.refused += 1
            if len(self.refusals) < SHOWN_REFUSED:
                self.refusals.append(outcome)

    @property
    def shown(self):
        return self.refusals + self.successes

    @property
    def not_shown(self):
        return self.done + self.refused - len(self.shown)

    def __bool__(self):
        return bool(self.done or self.refused)


def bulk_perform(user, role, keys, form):
    """Move each selected item one step on for this queue's role, each on its own: a refusal is
    reported per item, never fatal."""
    outcomes = Outcomes()
    for key in dict.fromkeys(keys):
        kind, _, raw_id = key.partition(":")
        try:
            item = services.load_item(user, kind, parse_id(raw_id) or 0)
        except NotFound:
            outcomes.add(Outcome(key, key, False, "Không tìm thấy hồ sơ."))
            continue
        outcomes.add(_forward(user, role, item, form.get(f"version-{key}")))
    return outcomes


def bulk_perform_all(user, role, filters):
    """Move on every item the queue's filters match now ("chọn tất cả"), walked in batches of BATCH,
    each item on its own at its current version, as bulk_perform does for a selection."""
    outcomes = Outcomes()
    for batch in queries.waiting_batches(role, filters, BATCH):
        for item in batch:
            outcomes.add(_forward(user, role, item, item.version))
    return outcomes


def _forward(user, role, item, version):
    key = f"{item.KIND}:{item.id}"
    try:
        if not may_see(user, item):
            raise NotFound()
        action = states.forward_action(role, item)
        states.perform(user, item, action, version)
    except NotFound:
        return Outcome(key, key, False, "Không tìm thấy hồ sơ.")
    except (Forbidden, Conflict, FieldError) as err:
        return Outcome(key, item.title, False, getattr(err, "description", None) or err.message)
    return Outcome(key, item.title, True, states.labels(item)[action] + ": xong.")


def perform_action(user, item, action, form):
    """An action posted from the item's panel (ActionForm): its inputs go to the kind's step."""
    states.perform(user, item, action, form.version.data, form.reason.data,
                   grade=form.grade.data)


def then_perform(user, item, action, saved_version, done, saved):
    """A workflow step right after a save, on the version just saved; a refusal keeps the save and says why."""
    try:
        states.perform(user, item, action, saved_version)
    except (Forbidden, Conflict) as err:
        flash(f"{saved} nhưng chưa chuyển được: {err.description}", "error")
    except FieldError as err:  # e.g. a self-assessment not fully scored yet
        flash(f"{saved} nhưng chưa chuyển được: {err.message}", "error")
    else:
        flash(done, "success")
