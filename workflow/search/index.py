"""Keeping search_entries current: in the transaction of every edit, and all at once (`rebuild`).

The session's flush events do it, so no service has to remember: before a flush the objects that
change what an entry says are noted (tasks, task results, unit reports and their sections, evidence,
history rows); after it — ids are known, the changes are written but not committed — the entries of
those things are read again from the database with a few statements per kind and written with an
upsert, on the flush's own connection. An edit is findable the moment it is committed, and an undone
edit leaves no entry behind. States move by a conditional UPDATE (versioning.bump) that the session
does not see; every move adds a history row, which is what brings its entry up to date.

Rows made by a bulk statement that bypasses the session (none in the app today), or a renamed unit
or period (part of a report's title), need `flask search reindex`.
"""
from sqlalchemy import delete, event, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..models import Evidence, ItemHistory, ReportingPeriod, ReportSection, Task, TaskResult, Unit, UnitReport
from ..models.search import SearchEntry
from .text import indexed

TASK = "task"  # the catalogue's entries; the other kinds are item kinds (kinds.py)
CHUNK = 500    # ids per statement: far below any database's limit on bound parameters
_NOTED = "search.noted"
_TABLE = SearchEntry.__table__
_WRITTEN = ("unit_id", "task_id", "period_id", "state", "title", "body", "folded_title", "folded_body")


def _entry(kind, item_id, title, parts, **columns):
    """One row of search_entries: the text as written, and both folded for matching."""
    seen = []
    for part in parts:  # a return reason is on the item and in its history: once is enough
        part = (part or "").strip()
        if part and part not in seen:
            seen.append(part)
    body = "\n".join(seen)
    return {"kind": kind, "item_id": item_id, "title": title, "body": body, "folded_title": indexed(title),
            "folded_body": indexed(body), "unit_id": None, "task_id": None, "period_id": None, "state": None,
            **columns}


def _grouped(conn, stmt):
    """{id: [text, ...]} from a statement selecting (id, text), empty texts left out."""
    found = {}
    for item_id, text in conn.execute(stmt):
        if text:
            found.setdefault(item_id, []).append(text)
    return found


def _extras(conn, kind, ids):
    """What an item's people wrote about it besides its fields: return reasons, evidence captions."""
    reasons = _grouped(conn, select(ItemHistory.item_id, ItemHistory.reason).where(
        ItemHistory.item_kind == kind, ItemHistory.item_id.in_(ids)).order_by(ItemHistory.id))
    captions = _grouped(conn, select(Evidence.item_id, Evidence.caption).where(
        Evidence.item_kind == kind, Evidence.item_id.in_(ids)).order_by(Evidence.id))
    return {i: reasons.get(i, []) + captions.get(i, []) for i in ids}


def _task_entries(conn, ids):
    rows = conn.execute(select(Task.id, Task.code, Task.title, Task.content, Task.output, Task.lead_unit_id)
                        .where(Task.id.in_(ids)))
    return [_entry(TASK, r.id, f"{r.code}. {r.title}", [r.content, r.output], unit_id=r.lead_unit_id, task_id=r.id)
            for r in rows]


def _result_entries(conn, ids):
    rows = conn.execute(select(TaskResult.id, TaskResult.unit_id, TaskResult.task_id, TaskResult.period_id,
                               TaskResult.state, TaskResult.done_text, TaskResult.output_text,
                               TaskResult.blocked_reason, TaskResult.return_reason, Task.code, Task.title)
                        .join(Task, Task.id == TaskResult.task_id).where(TaskResult.id.in_(ids))).all()
    extras = _extras(conn, TaskResult.KIND, [r.id for r in rows])
    return [_entry(TaskResult.KIND, r.id, f"{r.code}. {r.title}",
                   [r.done_text, r.output_text, r.blocked_reason, r.return_reason, *extras[r.id]],
                   unit_id=r.unit_id, task_id=r.task_id, period_id=r.period_id, state=r.state) for r in rows]


def _report_entries(conn, ids):
    rows = conn.execute(select(UnitReport.id, UnitReport.unit_id, UnitReport.period_id, UnitReport.state,
                               UnitReport.limitations, UnitReport.causes, UnitReport.next_steps,
                               UnitReport.proposals, UnitReport.return_reason,
                               ReportingPeriod.name.label("period_name"), Unit.name.label("unit_name"))
                        .join(ReportingPeriod, ReportingPeriod.id == UnitReport.period_id)
                        .join(Unit, Unit.id == UnitReport.unit_id).where(UnitReport.id.in_(ids))).all()
    found = [r.id for r in rows]
    sections = _grouped(conn, select(ReportSection.report_id, ReportSection.body)
                        .where(ReportSection.report_id.in_(found))
                        .order_by(ReportSection.report_id, ReportSection.position))
    extras = _extras(conn, UnitReport.KIND, found)
    return [_entry(UnitReport.KIND, r.id, f"Báo cáo {r.period_name} – {r.unit_name}",
                   [*sections.get(r.id, []), r.limitations, r.causes, r.next_steps, r.proposals,
                    r.return_reason, *extras[r.id]],
                   unit_id=r.unit_id, period_id=r.period_id, state=r.state) for r in rows]


BUILDERS = {TASK: _task_entries, TaskResult.KIND: _result_entries, UnitReport.KIND: _report_entries}


def _upsert(conn, rows):
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    stmt = insert(_TABLE)
    conn.execute(stmt.on_conflict_do_update(index_elements=["kind", "item_id"],
                                            set_={name: stmt.excluded[name] for name in _WRITTEN}), rows)


def refresh(conn, kind, ids):
    """Bring the entries of these things of one kind in line with the database: written again when the
    thing exists, deleted when it no longer does."""
    ids = sorted(set(ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        rows = BUILDERS[kind](conn, chunk)
        if rows:
            _upsert(conn, rows)
        gone = set(chunk) - {row["item_id"] for row in rows}
        if gone:
            conn.execute(delete(_TABLE).where(_TABLE.c.kind == kind, _TABLE.c.item_id.in_(gone)))


ALL_IDS = {TASK: Task.id, TaskResult.KIND: TaskResult.id, UnitReport.KIND: UnitReport.id}


def rebuild(conn):
    """Every entry made again from the database (migration 0015's backfill, `flask search reindex`).
    Returns how many entries there are."""
    conn.execute(delete(_TABLE))
    for kind, column in ALL_IDS.items():
        refresh(conn, kind, conn.scalars(select(column)).all())
    return conn.scalar(select(func.count()).select_from(_TABLE))


# In the flush: which entries an object's change touches

def _keys(obj):
    """(kind, id) of the entries an object's change touches; ("task-results", task id) for the
    results of a task, whose titles repeat the task's."""
    if isinstance(obj, Task):
        return [(TASK, obj.id), ("task-results", obj.id)]
    if isinstance(obj, (TaskResult, UnitReport)):
        return [(obj.KIND, obj.id)]
    if isinstance(obj, ReportSection):
        return [(UnitReport.KIND, obj.report_id)]
    if isinstance(obj, (Evidence, ItemHistory)):
        return [(obj.item_kind, obj.item_id)] if obj.item_kind in BUILDERS else []
    return []


WATCHED = (Task, TaskResult, UnitReport, ReportSection, Evidence, ItemHistory)


def _note(session, _flush_context, _instances):
    """Before a flush: the keys of changed and deleted objects (read now, while they are loaded), and
    the new objects themselves (their ids exist only after the flush)."""
    keys = []
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, WATCHED):
            keys.extend(_keys(obj))
    new = [obj for obj in session.new if isinstance(obj, WATCHED)]
    session.info[_NOTED] = (keys, new)


def _apply(session, _flush_context):
    """After the flush, in its transaction: the touched entries written again."""
    keys, new = session.info.pop(_NOTED, ([], []))
    for obj in new:
        keys.extend(_keys(obj))
    wanted = {}
    for kind, item_id in keys:
        if item_id is not None:
            wanted.setdefault(kind, set()).add(item_id)
    if not wanted:
        return
    conn = session.connection()
    task_ids = wanted.pop("task-results", set())
    if task_ids:
        wanted.setdefault(TaskResult.KIND, set()).update(
            conn.scalars(select(TaskResult.id).where(TaskResult.task_id.in_(task_ids))))
    for kind, ids in wanted.items():
        refresh(conn, kind, ids)


def install():
    """Listen to every session's flushes; once, however often it is called."""
    for name, listener in (("before_flush", _note), ("after_flush", _apply)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


install()
