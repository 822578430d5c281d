"""Counters of committed changes, one row per thing computed from many rows: "ranking" (the standings,
workflow/ranking/revision.py) and "pages" (any write at all: the kept pages, workflow/pagecache.py).

A reader that computed something under counter value n may keep it while the counter still reads n:
the counter moves in the same transaction as every change that could alter the result
(workflow/ranking/revision.py says which changes those are for the ranking).
"""
from sqlalchemy import BigInteger, String, event, insert
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

RANKING = "ranking"
PAGES = "pages"


class Revision(db.Model):
    __tablename__ = "revisions"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    n: Mapped[int] = mapped_column(BigInteger, default=0)


@event.listens_for(Revision.__table__, "after_create")
def _first_rows(table, connection, **_):
    """create_all (the tests) starts the counters as migrations 0017 and 0023 do."""
    connection.execute(insert(table).values([{"name": RANKING, "n": 0}, {"name": PAGES, "n": 0}]))
