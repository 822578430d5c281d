"""wards: the ward as data; units belong to a ward, and one consolidates

A database that already has units gets its ward here, from the plan's data file (the `ward:`
section and the units marked `consolidates`), so documents and the consolidating unit's rights work
after `flask db upgrade` alone. On an empty database init-db does it (seed.load_ward).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 05:53:25.430696

"""
import os

import sqlalchemy as sa
import yaml
from alembic import op

PLAN_FILE = os.path.join(os.path.dirname(__file__), "..", "..", "workflow", "seed", "plan_phu_lien_2025.yaml")


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
    _ward_of_existing_units()


def _ward_of_existing_units():
    conn = op.get_bind()
    if not conn.execute(sa.text("SELECT 1 FROM units LIMIT 1")).first():
        return
    with open(PLAN_FILE, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    ward = data["ward"]
    wards = sa.table("wards", sa.column("id", sa.Integer), sa.column("kind", sa.String),
                     sa.column("name", sa.String), sa.column("place", sa.String),
                     sa.column("publisher", sa.String), sa.column("recipients", sa.JSON))
    conn.execute(wards.insert().values(kind=ward["kind"], name=ward["name"], place=ward.get("place", ward["name"]),
                                       publisher=ward.get("publisher", ""), recipients=ward.get("recipients", [])))
    ward_id = conn.execute(sa.text("SELECT max(id) FROM wards")).scalar()
    conn.execute(sa.text("UPDATE units SET ward_id = :ward"), {"ward": ward_id})
    for code in [u["code"] for u in data["units"] if u.get("consolidates")]:
        conn.execute(sa.text("UPDATE units SET consolidates = :yes WHERE code = :code"), {"yes": True, "code": code})



def downgrade():
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_units_ward_id_wards'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_units_ward_id'))
        batch_op.drop_column('ward_id')
        batch_op.drop_column('consolidates')

    op.drop_table('wards')
