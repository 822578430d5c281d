"""nominations for commendation (đề nghị khen thưởng), their entries, and the decision (quyết định khen thưởng)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-01 04:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('nominations',
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
    sa.ForeignKeyConstraint(['period_id'], ['reporting_periods.id'], name=op.f('fk_nominations_period_id_reporting_periods'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_nominations_reviewed_by_id_users')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_nominations_submitted_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_nominations_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nominations')),
    sa.UniqueConstraint('unit_id', 'period_id', name=op.f('uq_nominations_unit_id'))
    )
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_nominations_period_id'), ['period_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_nominations_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_nominations_unit_id'), ['unit_id'], unique=False)

    op.create_table('nomination_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('achievement', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('agreed', sa.Boolean(), nullable=True),
    sa.Column('appraisal_note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['nomination_id'], ['nominations.id'], name=op.f('fk_nomination_entries_nomination_id_nominations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nomination_entries'))
    )
    with op.batch_alter_table('nomination_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_nomination_entries_nomination_id'), ['nomination_id'], unique=False)

    op.create_table('commendation_decisions',
    sa.Column('rows', sa.JSON(), nullable=False),
    sa.Column('made_at', sa.DateTime(), nullable=True),
    sa.Column('doc_number', sa.String(length=40), nullable=True),
    sa.Column('doc_date', sa.Date(), nullable=True),
    sa.Column('signer_id', sa.Integer(), nullable=True),
    sa.Column('signed_as', sa.JSON(), nullable=True),
    sa.Column('signed_at', sa.DateTime(), nullable=True),
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
    sa.ForeignKeyConstraint(['period_id'], ['reporting_periods.id'], name=op.f('fk_commendation_decisions_period_id_reporting_periods'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_commendation_decisions_reviewed_by_id_users')),
    sa.ForeignKeyConstraint(['signer_id'], ['users.id'], name=op.f('fk_commendation_decisions_signer_id_users')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_commendation_decisions_submitted_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_commendation_decisions_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commendation_decisions')),
    sa.UniqueConstraint('doc_number', name=op.f('uq_commendation_decisions_doc_number')),
    sa.UniqueConstraint('period_id', name=op.f('uq_commendation_decisions_period_id'))
    )
    with op.batch_alter_table('commendation_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commendation_decisions_period_id'), ['period_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_commendation_decisions_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_commendation_decisions_unit_id'), ['unit_id'], unique=False)


def downgrade():
    with op.batch_alter_table('commendation_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commendation_decisions_unit_id'))
        batch_op.drop_index(batch_op.f('ix_commendation_decisions_state'))
        batch_op.drop_index(batch_op.f('ix_commendation_decisions_period_id'))
    op.drop_table('commendation_decisions')
    with op.batch_alter_table('nomination_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_nomination_entries_nomination_id'))
    op.drop_table('nomination_entries')
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_nominations_unit_id'))
        batch_op.drop_index(batch_op.f('ix_nominations_state'))
        batch_op.drop_index(batch_op.f('ix_nominations_period_id'))
    op.drop_table('nominations')
