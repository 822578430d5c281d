"""`find`: one page of what a person may see matching a query, ranked, with highlighted snippets.

Always two statements, whatever the number of matches: the page's ids, ranked over every match, with
the number of matches alongside (`count(*) OVER ()`: the matches are read once), then those 20 rows with
their units and periods (or, when the page is empty, the count alone: a page past the end still knows how
many pages there are). Who may see what is part of the WHERE clause (`visible_to`), never a filter applied
to the results afterwards, so the count and the pages only ever hold what the person may open.
"""
from dataclasses import dataclass, field

from sqlalchemy import and_, case, column, exists, func, literal_column, or_, select, table, true

from .. import kinds
from ..access import OVERSEERS
from ..extensions import db
from ..models import ReportingPeriod, State, TaskResult, Unit
from ..models.plan import task_cooperators
from ..paging import PageNumbers
from . import text
from .index import TASK
from ..models.search import FTS_TABLE, SEARCH_VECTOR, SearchEntry, rank_sqlite

MAX_QUERY = 200
PER_PAGE = 20
TOO_LONG = f"Từ khóa tìm kiếm dài quá {MAX_QUERY} ký tự; vui lòng rút gọn."
NO_WORDS = "Vui lòng nhập từ cần tìm (chữ hoặc số), ví dụ: cải cách, 1.d."
TASK_LABEL = "Nhiệm vụ"


class BadQuery(ValueError):
    """A query that cannot be searched; its message is for the person."""


@dataclass(frozen=True)
class Filters:
    period_id: int | None = None
    unit_id: int | None = None
    kind: str | None = None
    state: State | None = None


@dataclass(frozen=True)
class Hit:
    kind: str
    kind_label: str
    endpoint: str
    values: dict
    title: str        # Markup: escaped, matched words in <mark>
    snippet: str      # Markup, likewise
    unit: str | None
    period: str | None
    state: str | None


@dataclass(frozen=True)
class Results(PageNumbers):
    hits: list
    total: int
    page: int
    per_page: int = PER_PAGE
    phrases: list = field(default_factory=list)


def kind_label(kind):
    if kind == TASK:
        return TASK_LABEL
    found = kinds.find(kind)
    return found.label if found else kind


def phrases_of(query):
    """The query's phrases (text.parse), or BadQuery when it is too long or has no word to look for."""
    if len(query or "") > MAX_QUERY:
        raise BadQuery(TOO_LONG)
    phrases = text.parse(query)
    if not phrases:
        raise BadQuery(NO_WORDS)
    return phrases


# Who sees what, in SQL: access.may_see, with each kind's `sees` as a clause over the entry.
SEES = {
    TaskResult.KIND: lambda user: exists().where(task_cooperators.c.task_id == SearchEntry.task_id,
                                                 task_cooperators.c.unit_id == user.unit_id),
}


def visible_to(user):
    """Overseers: everything. Anyone else: the catalogue, their unit's items, and items of other units
    that the item's kind lets them see (a task result of a task their unit cooperates on)."""
    if user.has_role(*OVERSEERS):
        return true()
    beyond = [and_(SearchEntry.kind == kind, clause(user)) for kind, clause in SEES.items()]
    return or_(SearchEntry.kind == TASK, SearchEntry.unit_id == user.unit_id, *beyond)


def _filtered(stmt, filters):
    """The filters as WHERE terms. On SQLite the period, unit and kind terms are written `period_id + 0 = ?`
    (`kind || '' = ?`), which no b-tree index can serve (SQLite's documented way to disqualify one):
    without ANALYZE statistics the planner would otherwise start from ix_search_entries_period_id (or
    _unit_id, or the unique index on (kind, item_id)) and run the FTS5 match again for every row of the
    period (issue 14: seconds); this way search_fts drives, and the filters test the rows it found."""
    sqlite = db.engine.dialect.name == "sqlite"
    zero, empty = literal_column("0"), literal_column("''")
    period_id, unit_id, kind = (
        (SearchEntry.period_id + zero, SearchEntry.unit_id + zero, SearchEntry.kind.concat(empty)) if sqlite
        else (SearchEntry.period_id, SearchEntry.unit_id, SearchEntry.kind))
    if filters.period_id is not None:
        stmt = stmt.where(period_id == filters.period_id)
    if filters.unit_id is not None:
        stmt = stmt.where(unit_id == filters.unit_id)
    if filters.kind:
        stmt = stmt.where(kind == filters.kind)
    if filters.state is not None:
        stmt = stmt.where(SearchEntry.state == filters.state)
    return stmt


def _sqlite_match(stmt, phrases):
    """FTS5: every phrase in double quotes (its words are letters and digits only, so nothing in it is
    syntax), joined by AND; ranked by bm25, lower first."""
    fts = table(FTS_TABLE, column("rowid"))
    query = " AND ".join('"' + " ".join(phrase) + '"' for phrase in phrases)
    stmt = stmt.join(fts, fts.c.rowid == SearchEntry.id).where(literal_column(FTS_TABLE).op("MATCH")(query))
    return stmt, rank_sqlite(), False


def _postgres_match(stmt, phrases):
    """PostgreSQL: the same phrases as a tsquery (words quoted, <-> within a phrase, & between), against
    the stored column the GIN index is on (search_vector); ranked by ts_rank, higher first."""
    query = " & ".join("(" + " <-> ".join(f"'{word}'" for word in phrase) + ")" for phrase in phrases)
    tsquery = func.to_tsquery(literal_column("'simple'::regconfig"), query)
    return stmt.where(SEARCH_VECTOR.op("@@")(tsquery)), func.ts_rank(SEARCH_VECTOR, tsquery), True


def _matching(stmt, phrases):
    """(the statement restricted to the matches, their rank, whether a higher rank is better)."""
    match = _postgres_match if db.engine.dialect.name == "postgresql" else _sqlite_match
    return match(stmt, phrases)


def _hit(entry, unit_name, period_name, phrases):
    if entry.kind == TASK:
        endpoint, values, state = "plan.task", {"task_id": entry.item_id}, None
    else:
        endpoint, values = "items.item", {"kind": entry.kind, "item_id": entry.item_id}
        model = getattr(kinds.find(entry.kind), "model", None)
        state = model.STATE_LABELS.get(entry.state, entry.state.label) if model and entry.state else None
    return Hit(kind=entry.kind, kind_label=kind_label(entry.kind), endpoint=endpoint, values=values,
               title=text.mark(entry.title, phrases), snippet=text.snippet(entry.body, phrases),
               unit=unit_name, period=period_name, state=state)


def _exact_first(query):
    """0 for an entry whose title starts with exactly what was typed, else 1: folding makes "1.d" find
    both tasks 1.d and 1.đ, and the one typed comes first."""
    return case((SearchEntry.title.startswith(query.strip(), autoescape=True), 0), else_=1)


def find(user, query, filters=Filters(), page=1):
    """One page (from 1) of the entries the person may see that match every phrase of the query, best
    first. BadQuery for a query that cannot be searched (before any SQL)."""
    phrases = phrases_of(query)
    page = max(1, int(page or 1))
    base = _filtered(select(SearchEntry.id).where(visible_to(user)), filters)
    matched, rank, descending = _matching(base, phrases)
    # Every match ranked (only its id, its sort keys and the count carried through the sort), the page cut
    # out. The keys in a subquery: FTS5's bm25() cannot be called in a statement with a window function.
    keyed = matched.add_columns(_exact_first(query).label("exact"), rank.label("rank")).subquery()
    ranked = db.session.execute(
        select(keyed.c.id, func.count().over())
        .order_by(keyed.c.exact, keyed.c.rank.desc() if descending else keyed.c.rank.asc(), keyed.c.id)
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    if not ranked:  # no match, or a page past the end: the count alone
        total, rows = db.session.scalar(select(func.count()).select_from(matched.subquery())), []
    else:
        total, page_ids = ranked[0][1], [entry_id for entry_id, _total in ranked]
        found = {entry.id: (entry, unit_name, period_name) for entry, unit_name, period_name in db.session.execute(
            select(SearchEntry, Unit.name, ReportingPeriod.name)
            .outerjoin(Unit, Unit.id == SearchEntry.unit_id)
            .outerjoin(ReportingPeriod, ReportingPeriod.id == SearchEntry.period_id)
            .where(SearchEntry.id.in_(page_ids)))}
        rows = [found[entry_id] for entry_id in page_ids]
    hits = [_hit(entry, unit_name, period_name, phrases) for entry, unit_name, period_name in rows]
    return Results(hits=hits, total=total, page=page, phrases=phrases)
