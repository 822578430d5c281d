"""the unit head's e-mail address: the reminders' escalation on day +3 reaches the head

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 19:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('units') as batch_op:
        batch_op.add_column(sa.Column('head_email', sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table('units') as batch_op:
        batch_op.drop_column('head_email')
