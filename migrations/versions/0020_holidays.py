"""holidays: the ward's calendar of days off (and weekend days worked), for counting working days

A database that already holds a plan gets the holidays of the plan's data file here (the `holidays:`
section, the years the table lists nothing for), so the reports' resubmission rule counts working days
after `flask db upgrade` alone. On an empty database init-db loads them (seed.load_holidays).
The scheme parameter `resubmit_working_days` needs no schema change: criteria params are JSON, and a
saved version without it is read with the default (workflow/ranking/criteria.py).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01 04:00:00

"""
import os

import sqlalchemy as sa
import yaml
from alembic import op

PLAN_FILE = os.path.join(os.path.dirname(__file__), "..", "..", "workflow", "seed", "plan_phu_lien_2025.yaml")


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('holidays',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('working_day', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holidays')),
    sa.UniqueConstraint('day', name=op.f('uq_holidays_day'))
    )
    _holidays_of_existing_plan()


def _holidays_of_existing_plan():
    conn = op.get_bind()
    if not conn.execute(sa.text("SELECT 1 FROM plans LIMIT 1")).first():
        return
    with open(PLAN_FILE, encoding="utf-8") as fh:
        rows = yaml.safe_load(fh).get("holidays") or []
    holidays = sa.table("holidays", sa.column("day", sa.Date), sa.column("name", sa.String),
                        sa.column("working_day", sa.Boolean))
    if rows:
        conn.execute(holidays.insert(), [{"day": r["day"], "name": r["name"], "working_day": bool(r.get("working_day"))}
                                         for r in rows])


def downgrade():
    op.drop_table('holidays')
