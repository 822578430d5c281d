"""revisions: the counter "pages", moved by every write, under which whole pages are kept between requests
(workflow/pagecache.py; issue 14: the home page and the lists at city size)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-01 04:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    revisions = sa.table('revisions', sa.column('name', sa.String), sa.column('n', sa.BigInteger))
    op.bulk_insert(revisions, [{'name': 'pages', 'n': 0}])


def downgrade():
    op.execute("DELETE FROM revisions WHERE name = 'pages'")
