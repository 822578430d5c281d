"""scheme governance: the scoring scheme version each period is ranked under, and proposals to apply a
newer version to a running period (issue 15, point 4)

An opened period gets the version its self-assessments already use (the most used, should they differ),
else the active version of its plan; a period not yet opened gets none (it takes the active one when it
opens).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 04:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reporting_periods', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scheme_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_reporting_periods_scheme_id_scoring_schemes'),
                                    'scoring_schemes', ['scheme_id'], ['id'])
    op.execute("""
        UPDATE reporting_periods SET scheme_id = COALESCE(
            (SELECT sa.scheme_id FROM self_assessments sa WHERE sa.period_id = reporting_periods.id
             GROUP BY sa.scheme_id ORDER BY COUNT(*) DESC, sa.scheme_id DESC LIMIT 1),
            (SELECT s.id FROM scoring_schemes s WHERE s.plan_id = reporting_periods.plan_id AND s.active))
        WHERE opened_at IS NOT NULL
    """)
    op.create_table('scheme_proposals',
    sa.Column('scheme_id', sa.Integer(), nullable=False),
    sa.Column('from_scheme_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('return_reason', sa.Text(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('late_days', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['from_scheme_id'], ['scoring_schemes.id'], name=op.f('fk_scheme_proposals_from_scheme_id_scoring_schemes')),
    sa.ForeignKeyConstraint(['period_id'], ['reporting_periods.id'], name=op.f('fk_scheme_proposals_period_id_reporting_periods'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_scheme_proposals_reviewed_by_id_users')),
    sa.ForeignKeyConstraint(['scheme_id'], ['scoring_schemes.id'], name=op.f('fk_scheme_proposals_scheme_id_scoring_schemes')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_scheme_proposals_submitted_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_scheme_proposals_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scheme_proposals'))
    )
    with op.batch_alter_table('scheme_proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scheme_proposals_period_id'), ['period_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scheme_proposals_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_scheme_proposals_unit_id'), ['unit_id'], unique=False)


def downgrade():
    op.drop_table('scheme_proposals')
    with op.batch_alter_table('reporting_periods', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_reporting_periods_scheme_id_scoring_schemes'), type_='foreignkey')
        batch_op.drop_column('scheme_id')
