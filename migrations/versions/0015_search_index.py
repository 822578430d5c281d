"""site search: the search_entries table, its full-text index (FTS5 on SQLite, GIN tsvector on PostgreSQL),
filled from the existing tasks, task results and unit reports

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

# The full-text structure as of this revision (workflow/models/search.py has the current copy, for create_all).
SQLITE = (
    "CREATE VIRTUAL TABLE search_fts USING fts5(folded_title, folded_body, content='search_entries', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN "
    "INSERT INTO search_fts(rowid, folded_title, folded_body) VALUES (new.id, new.folded_title, new.folded_body); END",
    "CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, folded_title, folded_body) "
    "VALUES ('delete', old.id, old.folded_title, old.folded_body); END",
    "CREATE TRIGGER search_entries_au AFTER UPDATE OF folded_title, folded_body ON search_entries BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, folded_title, folded_body) "
    "VALUES ('delete', old.id, old.folded_title, old.folded_body); "
    "INSERT INTO search_fts(rowid, folded_title, folded_body) VALUES (new.id, new.folded_title, new.folded_body); END",
)
POSTGRESQL = (
    "CREATE INDEX ix_search_entries_vector ON search_entries USING gin "
    "((setweight(to_tsvector('simple', folded_title), 'A') || setweight(to_tsvector('simple', folded_body), 'B')))",
)


def upgrade():
    op.create_table(
        'search_entries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=True),
        sa.Column('task_id', sa.Integer(), nullable=True),
        sa.Column('period_id', sa.Integer(), nullable=True),
        sa.Column('state', sa.String(length=12), nullable=True),
        sa.Column('title', sa.Text(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('folded_title', sa.Text(), nullable=False),
        sa.Column('folded_body', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['period_id'], ['reporting_periods.id'],
                                name=op.f('fk_search_entries_period_id_reporting_periods'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_search_entries_task_id_tasks'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_search_entries_unit_id_units')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_search_entries')),
        sa.UniqueConstraint('kind', 'item_id', name=op.f('uq_search_entries_kind')),
    )
    for column in ('period_id', 'task_id', 'unit_id'):
        op.create_index(op.f(f'ix_search_entries_{column}'), 'search_entries', [column])
    bind = op.get_bind()
    for statement in {'sqlite': SQLITE, 'postgresql': POSTGRESQL}.get(bind.dialect.name, ()):
        op.execute(statement)
    # The backfill: the app's own builder, so existing rows are indexed exactly as new edits will be.
    # It reads only columns that exist at this revision; should it ever read a later one, give this
    # migration its own copy of the builder as of now.
    from workflow.search import index
    index.rebuild(bind)


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('DROP TABLE IF EXISTS search_fts')  # its triggers go with search_entries
    for column in ('period_id', 'task_id', 'unit_id'):
        op.drop_index(op.f(f'ix_search_entries_{column}'), table_name='search_entries')
    op.drop_table('search_entries')
