"""The ranking's revision, and the standings kept under it (and the dashboard's on-time trend, whose inputs
are a subset of the same: items created or sent).

Scoring every unit reads every task result of the scope (gather.py): at city size (100 units, 10,000
tasks) about half a second per scope, and the home page ranks two periods for its glance. The standings
change only when their inputs do, so they are kept per app, keyed by the revision counter `ranking`
(models/revision.py), which moves in the same transaction as any change that can alter a score:

- any write to the plan, the units, the periods, the scoring schemes, the self-assessments' lines and
  initiatives (ALWAYS);
- for the workflow items, a new or deleted row, or a write of a column the scores read (WATCHED).
  A draft's other content is not scored until it is accepted, and accepting it changes its state; its
  evidence and target figures are only read once accepted, and can only be written while a draft.

Readers take the counter first and compute after: what they keep under n is at least as new as n, and
once a change commits the counter has moved past n, so no reader finds the old standings again.
"""
import threading
from collections import OrderedDict

from flask import current_app
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from ..extensions import db
from ..models.revision import RANKING, Revision

ALWAYS = frozenset({"plans", "areas", "tasks", "targets", "target_units", "units", "reporting_periods",
                    "scoring_schemes", "scoring_criteria", "scoring_bands", "assessment_lines", "initiatives",
                    "holidays"})  # working days decide whether a report fixed after a return is on time
WATCHED = {"task_results": {"state"}, "unit_reports": {"state", "quality_grade"},
           "self_assessments": {"state"}}
_CHANGED = "ranking_inputs_changed"
KEPT = 16  # standings kept per app: a few scopes × the current and the previous revision


def _table(obj):
    return getattr(type(obj), "__tablename__", None)


def _moves_scores(obj, session, new_or_deleted):
    table = _table(obj)
    if table in ALWAYS:
        return new_or_deleted or session.is_modified(obj)
    if table in WATCHED:
        if new_or_deleted:
            return True
        attrs = db.inspect(obj).attrs
        return any(attrs[column].history.has_changes() for column in WATCHED[table])
    return False


def _note_flush(session, _context):
    """After a flush (its new/dirty/deleted lists and attribute histories still as before it)."""
    if session.info.get(_CHANGED):
        return
    if (any(_moves_scores(obj, session, True) for obj in (*session.new, *session.deleted))
            or any(_moves_scores(obj, session, False) for obj in session.dirty)):
        session.info[_CHANGED] = True


def _note_statement(state):
    """INSERT/UPDATE/DELETE statements run through the session (versioning.guarded_update moves states)."""
    if not (state.is_insert or state.is_update or state.is_delete) or state.session.info.get(_CHANGED):
        return
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    if name in ALWAYS or (name in WATCHED and not state.is_update):
        state.session.info[_CHANGED] = True
    elif name in WATCHED and WATCHED[name] & set(state.statement.compile().params):
        state.session.info[_CHANGED] = True


def _bump(session):
    """Before the commit: the counter moves with the changes, in their transaction."""
    session.flush()  # the commit's own flush comes after this event: its changes must be seen here
    if session.info.pop(_CHANGED, False):
        session.connection().execute(update(Revision).where(Revision.name == RANKING).values(n=Revision.n + 1))


def _forget(session, *_):
    session.info.pop(_CHANGED, None)


def install():
    """Listen to every session; once, however often it is called."""
    for name, listener in (("after_flush", _note_flush), ("do_orm_execute", _note_statement),
                           ("before_commit", _bump), ("after_rollback", _forget)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def current():
    """The counter now (None when the table has no row: nothing is kept then)."""
    return db.session.scalar(select(Revision.n).where(Revision.name == RANKING))


class Kept:
    """Standings per (revision, scope key), the most recent KEPT; shared by the app's threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.entries = OrderedDict()

    def get_or_compute(self, key, compute):
        revision = current()
        if revision is None:
            return compute()
        key = (revision, *key)
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key]
        value = compute()  # outside the lock: two threads may both compute once; both results are right
        with self.lock:
            self.entries[key] = value
            while len(self.entries) > KEPT:
                self.entries.popitem(last=False)
        return value


def kept():
    """This app's standings store (each app, e.g. each test's, has its own)."""
    return current_app.extensions.setdefault("ranking_kept", Kept())


install()
