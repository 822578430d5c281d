"""scoring: the minimum basis for the top band on each scheme version (min_top_tasks, default 3) and, on
each band, the assessment of the unit head's responsibility that follows from it (issue 15)

Existing versions get the defaults: 3 counted tasks, and for each band the wording of the default scheme
(workflow/seed/scoring_default.yaml) when its label is a default one, else the same rule applied to the
label ("Hoàn thành tốt nhiệm vụ" → "Người đứng đầu hoàn thành tốt trách nhiệm về CCHC"). Saved versions
are immutable to the application; filling a new column of them here is the one change they ever get.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 03:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

TASK_WORDS = "nhiệm vụ"


def head_assessment(label):
    """As of this revision (workflow/models/scoring.py has the current copy)."""
    label = label.strip()
    if label.lower().endswith(TASK_WORDS):
        what = label[:-len(TASK_WORDS)].strip()
        return f"Người đứng đầu {what[:1].lower()}{what[1:]} trách nhiệm về CCHC"
    return f"Người đứng đầu: {label}"


def upgrade():
    with op.batch_alter_table('scoring_schemes') as batch:
        batch.add_column(sa.Column('min_top_tasks', sa.Integer(), nullable=False, server_default='3'))
    with op.batch_alter_table('scoring_bands') as batch:
        batch.add_column(sa.Column('head_assessment', sa.String(length=300), nullable=False, server_default=''))
    bind = op.get_bind()
    bands = sa.table('scoring_bands', sa.column('id', sa.Integer), sa.column('label', sa.String),
                     sa.column('head_assessment', sa.String))
    for band_id, label in bind.execute(sa.select(bands.c.id, bands.c.label)).all():
        bind.execute(bands.update().where(bands.c.id == band_id).values(head_assessment=head_assessment(label)))


def downgrade():
    with op.batch_alter_table('scoring_bands') as batch:
        batch.drop_column('head_assessment')
    with op.batch_alter_table('scoring_schemes') as batch:
        batch.drop_column('min_top_tasks')
