"""revisions: counters of committed changes, so the ranking's standings can be kept between requests
(issue 14: the dashboard's ranking glance recomputed every unit's score on every home page); an index
on tasks (plan, area) for the home page's count per area

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 23:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'revisions',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('n', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_revisions')),
    )
    op.bulk_insert(table, [{'name': 'ranking', 'n': 0}])
    op.create_index('ix_tasks_plan_area', 'tasks', ['plan_id', 'area_id'])


def downgrade():
    op.drop_index('ix_tasks_plan_area', table_name='tasks')
    op.drop_table('revisions')
