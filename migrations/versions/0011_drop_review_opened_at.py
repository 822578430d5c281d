"""drop review_opened_at: viewing an item no longer changes it (the unit may withdraw until the
reviewer acts), so nothing sets or reads the column

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 11:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

TABLES = ('task_results', 'unit_reports', 'consolidated_reports', 'self_assessments', 'ranking_sheets')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('review_opened_at')


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('review_opened_at', sa.DateTime(), nullable=True))
