"""directory details

The public directory (/venues) shows each room's capacity by layout and its facilities, and how
to get to each venue: room.layouts (layout code -> people), room.facilities (codes) and
venue.directions. Existing rows get an empty object, an empty list and no directions.

Revision ID: d18f00000001
Revises: c17e0000000a
Create Date: 2026-12-06 11:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import JsonB
from alembic import op

revision = "d18f00000001"
down_revision = "c17e0000000a"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("room") as batch:
        batch.add_column(sa.Column("layouts", JsonB, server_default=sa.text("'{}'"), nullable=False))
        batch.add_column(sa.Column("facilities", JsonB, server_default=sa.text("'[]'"), nullable=False))
    with op.batch_alter_table("venue") as batch:
        batch.add_column(sa.Column("directions", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("venue") as batch:
        batch.drop_column("directions")
    with op.batch_alter_table("room") as batch:
        batch.drop_column("facilities")
        batch.drop_column("layouts")
