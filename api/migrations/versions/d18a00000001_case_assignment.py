"""case assignment and the queue tabs' index

Cases can be assigned to an officer (issue 17, casework/assignment.py): the officer's id and name
and when, on the case (who assigned it is in the case's history). The officer's queue tabs
(casework/queue_tabs.py) read open cases by status, due date first:
vetting_case(status, target_date).

Revision ID: d18a00000001
Revises: c17e0000000a
Create Date: 2026-12-06 11:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

revision = "d18a00000001"
down_revision = "c17e0000000a"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("vetting_case", sa.Column("assigned_to_id", GUID(length=16), nullable=True))
    op.add_column("vetting_case", sa.Column("assigned_to_name", sa.String(length=200), nullable=True))
    op.add_column("vetting_case", sa.Column("assigned_at", DateTimeUTC(timezone=True), nullable=True))
    op.create_index("ix_vetting_case_assigned_to_id", "vetting_case", ["assigned_to_id"], unique=False)
    op.create_index("ix_vetting_case_status_target", "vetting_case", ["status", "target_date"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_vetting_case_status_target", table_name="vetting_case")
    op.drop_index("ix_vetting_case_assigned_to_id", table_name="vetting_case")
    with op.batch_alter_table("vetting_case") as batch:
        batch.drop_column("assigned_at")
        batch.drop_column("assigned_to_name")
        batch.drop_column("assigned_to_id")
