"""Two requests writing the same thing at the same moment, in one place: writes made under the version
someone saw (optimistic concurrency), and the first creation of a row there may be only one of.

A versioned row (a workflow item, a catalogue task) carries `version`; a form carries the version it
showed. The write starts with one conditional statement, UPDATE … SET version = version + 1 WHERE id = ?
AND version = ? (and whatever else must still hold), run before anything else is written. Of two requests
made from the same version the database lets exactly one match the row — PostgreSQL holds the row lock
until the first commits, then re-reads the row and finds its version moved on; SQLite has one writer at
a time — and the other matches nothing and gets StaleVersion (409), its transaction rolled back.

A check in Python followed by `obj.version += 1` cannot do that: every request passes the check before
any of them has written, and each saves over the one before ("lost update").

A row there may be only one of (a period's consolidated draft, its ranking sheet) has a unique
constraint; two requests creating it at once both find nothing and both insert. `commit_first` lets the
constraint decide: the refused one is rolled back and answered 409 with a message naming what now exists.
"""
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import Conflict

from .extensions import db
from .validation import MAX_ID, StaleVersion


def parse(version):
    """The version a form sent, as an int; StaleVersion when it is missing, not a number, or outside the
    column's range (a form without its version cannot say what it was made from, and a number no row can
    hold must not reach the database: PostgreSQL would refuse the statement with a 500)."""
    try:
        version = int(version)
    except (TypeError, ValueError, OverflowError):
        raise StaleVersion() from None
    if not 0 <= version < MAX_ID:
        raise StaleVersion()
    return version


def guarded_update(model, conditions, values):
    """UPDATE model SET values WHERE conditions, which must match exactly one row; when it matches none
    (someone else moved the row on first) the transaction is rolled back and StaleVersion raised.
    The objects in the session are not refreshed: the caller commits (which expires them) or refreshes."""
    result = db.session.execute(update(model).where(*conditions).values(**values),
                                execution_options={"synchronize_session": False})
    if result.rowcount != 1:
        db.session.rollback()
        raise StaleVersion()


def bump(obj, version, *conditions, **values):
    """Move `obj`'s row from `version` (as the person saw it) to version + 1, with `values` written in the
    same statement, if it is still at that version and `conditions` hold; else StaleVersion (409).
    Returns the new version. Call it before writing anything else of the change, in the same transaction."""
    version = parse(version)
    model = type(obj)
    guarded_update(model, [model.id == obj.id, model.version == version, *conditions],
                   {"version": version + 1, **values})
    return version + 1


def commit_first(obj, existing, message):
    """Add `obj`, a new row there may be only one of, and commit. When a simultaneous request created it
    first, the unique constraint refuses this commit: roll back and raise Conflict(message) (409), once
    `existing()` finds the other request's row; any other refusal goes on as it is.
    Build `obj` (and what it holds) outside the session and hand it over here, so that no query made while
    building it flushes it early, outside this guard."""
    try:
        db.session.add(obj)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        if existing() is not None:
            raise Conflict(message) from None
        raise
