"""dates of birth: on flagged entries, and asked of the hirer on a case

Flagged entries carry the dates of birth their list gives (issue 21 item 2); a case keeps the
dates of birth an officer asked the hirer for, person by person. Both nullable: existing entries
have none until their list is imported again, existing cases asked for none.

Revision ID: d19h00000001
Revises: d18g00000001
Create Date: 2026-12-06 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import JsonB
from alembic import op

revision = "d19h00000001"
down_revision = "d18g00000001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTERs, never a batch: on SQLite a batch copies and drops the table, and the drop
    # cascades to the rows that refer to it (clearances, matches, the whole case's records).
    op.add_column("flagged_entry", sa.Column("births", JsonB, nullable=True))
    op.add_column("vetting_case", sa.Column("birth_dates", JsonB, nullable=True))


def downgrade() -> None:
    # Plain ALTERs (SQLite 3.35+), for the reason given in upgrade().
    op.drop_column("vetting_case", "birth_dates")
    op.drop_column("flagged_entry", "births")
