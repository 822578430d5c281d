"""wards: the ward as data; units belong to a ward, and one consolidates

init-db fills them from the plan's data file (seed.load_ward): it creates the ward, attaches the
units that have none and marks the consolidating unit.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 05:53:25.430696

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('wards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('place', sa.String(length=100), nullable=False),
    sa.Column('publisher', sa.String(length=200), nullable=False),
    sa.Column('recipients', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wards'))
    )
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consolidates', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('ward_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_units_ward_id'), ['ward_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_units_ward_id_wards'), 'wards', ['ward_id'], ['id'])



def downgrade():
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_units_ward_id_wards'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_units_ward_id'))
        batch_op.drop_column('ward_id')
        batch_op.drop_column('consolidates')

    op.drop_table('wards')
