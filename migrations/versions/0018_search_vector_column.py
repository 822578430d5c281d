"""search: on PostgreSQL the weighted tsvector becomes a stored generated column, search_vector, and the GIN
index moves onto it (issue 14: ts_rank recomputed both tsvectors of every match from the texts); SQLite: nothing

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 01:30:00

"""
from alembic import op


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

# As of this revision (workflow/models/search.py has the current copy, for create_all).
VECTOR = ("(setweight(to_tsvector('simple', folded_title), 'A') || "
          "setweight(to_tsvector('simple', folded_body), 'B'))")
UPGRADE = (
    "DROP INDEX ix_search_entries_vector",
    f"ALTER TABLE search_entries ADD COLUMN search_vector tsvector GENERATED ALWAYS AS {VECTOR} STORED",
    "CREATE INDEX ix_search_entries_vector ON search_entries USING gin (search_vector)",
)
DOWNGRADE = (
    "DROP INDEX ix_search_entries_vector",
    "ALTER TABLE search_entries DROP COLUMN search_vector",
    f"CREATE INDEX ix_search_entries_vector ON search_entries USING gin ({VECTOR})",
)


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for statement in UPGRADE:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for statement in DOWNGRADE:
            op.execute(statement)
