"""a target's result as text where the target is a rank ("3/30")

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 09:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('target_actuals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('value_text', sa.String(length=40), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('target_actuals', schema=None) as batch_op:
        batch_op.drop_column('value_text')
