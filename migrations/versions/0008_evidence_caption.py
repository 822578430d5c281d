"""evidence captions: what a file proves, shown beside its name

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    # The server default gives the files already attached an empty caption, so the column can be NOT NULL.
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.add_column(sa.Column('caption', sa.String(length=300), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_column('caption')
