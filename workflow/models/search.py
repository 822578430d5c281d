"""The search index's table, `search_entries`, and the full-text structure each database adds to it.

One row per findable thing (a task of the catalogue, a task result, a unit report): what it is, whose,
of which period, in which state, its title and text as written (for the results page) and both folded
(text.indexed) for matching. The app keeps the rows current (index.py); the full-text part follows them:

- SQLite: the FTS5 table `search_fts` over (folded_title, folded_body), external content (it stores
  only its index and reads the text from search_entries), kept in step by three triggers;
- PostgreSQL: the stored generated column `search_vector`, the weighted tsvector (title weight A, text B),
  and a GIN index on it. Stored, so ranking reads each match's vector instead of computing it again from
  both texts (issue 14: that, for a third of the index, was most of a common phrase's 0.9–1.9 s).

Both are created after the table (create_all, as the tests do) and by migrations 0015 and 0018. They are not
in the metadata (a PostgreSQL-only column could not be created on SQLite), so Alembic must be told to leave
them alone: `include_name` (see the package docstring).
"""
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, event, func, literal_column
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .state import State, StateType

FTS_TABLE = "search_fts"
GIN_INDEX = "ix_search_entries_vector"

SQLITE_CREATE = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(folded_title, folded_body, content='search_entries', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    f"CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, folded_title, folded_body) VALUES (new.id, new.folded_title, new.folded_body); END",
    f"CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, folded_title, folded_body) "
    f"VALUES ('delete', old.id, old.folded_title, old.folded_body); END",
    f"CREATE TRIGGER search_entries_au AFTER UPDATE OF folded_title, folded_body ON search_entries BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, folded_title, folded_body) "
    f"VALUES ('delete', old.id, old.folded_title, old.folded_body); "
    f"INSERT INTO {FTS_TABLE}(rowid, folded_title, folded_body) VALUES (new.id, new.folded_title, new.folded_body); END",
)
SQLITE_DROP = (f"DROP TABLE IF EXISTS {FTS_TABLE}",)  # the triggers go with search_entries

# The one tsvector expression: the stored column computes it, the GIN index is on the column.
VECTOR_COLUMN = "search_vector"
VECTOR_SQL = ("(setweight(to_tsvector('simple', folded_title), 'A') || "
              "setweight(to_tsvector('simple', folded_body), 'B'))")
POSTGRES_CREATE = (
    f"ALTER TABLE search_entries ADD COLUMN {VECTOR_COLUMN} tsvector GENERATED ALWAYS AS {VECTOR_SQL} STORED",
    f"CREATE INDEX {GIN_INDEX} ON search_entries USING gin ({VECTOR_COLUMN})",
)


class SearchEntry(db.Model):
    __tablename__ = "search_entries"
    __table_args__ = (UniqueConstraint("kind", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # "task", or an item kind's key
    item_id: Mapped[int]
    # Whose: the lead unit of a task, the unit of an item. Search filters and authorizes on it.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    # The task a task result (or the task entry) is of: cooperating units see its results.
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    period_id: Mapped[int | None] = mapped_column(ForeignKey("reporting_periods.id", ondelete="CASCADE"),
                                                  index=True)
    state: Mapped[State | None] = mapped_column(StateType)
    title: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    folded_title: Mapped[str] = mapped_column(Text, default="")
    folded_body: Mapped[str] = mapped_column(Text, default="")


SEARCH_VECTOR = literal_column(f"search_entries.{VECTOR_COLUMN}")


def rank_sqlite():
    """bm25 of the FTS5 row, a title word counting four times a text word (lower is better)."""
    return func.bm25(literal_column(FTS_TABLE), 4.0, 1.0)


def create_full_text(connection):
    """What the database needs besides the table (for create_all; migration 0015 has its own copy)."""
    name = connection.dialect.name
    for statement in SQLITE_CREATE if name == "sqlite" else POSTGRES_CREATE if name == "postgresql" else ():
        connection.exec_driver_sql(statement)


def drop_full_text(connection):
    """Before the table is dropped (drop_all): the FTS5 table would otherwise outlive it."""
    if connection.dialect.name == "sqlite":
        for statement in SQLITE_DROP:
            connection.exec_driver_sql(statement)


event.listen(SearchEntry.__table__, "after_create", lambda _table, connection, **_kw: create_full_text(connection))
event.listen(SearchEntry.__table__, "before_drop", lambda _table, connection, **_kw: drop_full_text(connection))


def include_name(name, type_, parent_names):
    """Alembic's include_name hook: the full-text structure above is not in the metadata by design."""
    if type_ == "table":
        return not (name == FTS_TABLE or name.startswith(FTS_TABLE + "_"))
    if type_ == "index":
        return name != GIN_INDEX
    if type_ == "column":
        return not (name == VECTOR_COLUMN and parent_names.get("table_name") == SearchEntry.__tablename__)
    return True
