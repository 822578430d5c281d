"""indexes for the lists at city size (issue 14): task results by (period, unit, state), (state, period, unit)
and (state, submitted_at)

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30 20:00:00

"""
from alembic import op


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_task_results_period_unit_state', 'task_results', ['period_id', 'unit_id', 'state'])
    op.create_index('ix_task_results_state_period_unit', 'task_results', ['state', 'period_id', 'unit_id'])
    op.create_index('ix_task_results_state_submitted', 'task_results', ['state', 'submitted_at'])


def downgrade():
    op.drop_index('ix_task_results_state_submitted', table_name='task_results')
    op.drop_index('ix_task_results_state_period_unit', table_name='task_results')
    op.drop_index('ix_task_results_period_unit_state', table_name='task_results')
