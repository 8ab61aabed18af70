"""case assignment and the queue tabs' indexes

Cases can be assigned to an officer (issue 17, casework/assignment.py): the officer's id and name
and when, on the case (who assigned it is in the case's history). The officer's queue tabs
(casework/queue_tabs.py) count and list an organisation's cases per tab; these indexes let each
tab's count be read from an index:

* vetting_case(provider_id, status, target_date, assigned_to_id): new, awaiting information, due
  soon or overdue;
* vetting_case(assigned_to_id, status): assigned to me;
* decision(kind, outcome, countersigned_at, effective, case_id, officer_id): refusals waiting for a
  countersignature, pending appeals;
* screening_match(disposition, case_id): referrals to resolve.

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

INDEXES = (
    ("vetting_case", "ix_vetting_case_queue", ["provider_id", "status", "target_date", "assigned_to_id"]),
    ("vetting_case", "ix_vetting_case_assigned_status", ["assigned_to_id", "status"]),
    (
        "decision",
        "ix_decision_queue",
        ["kind", "outcome", "countersigned_at", "effective", "case_id", "officer_id"],
    ),
    ("screening_match", "ix_screening_match_open", ["disposition", "case_id"]),
)


def upgrade() -> None:
    op.add_column("vetting_case", sa.Column("assigned_to_id", GUID(length=16), nullable=True))
    op.add_column("vetting_case", sa.Column("assigned_to_name", sa.String(length=200), nullable=True))
    op.add_column("vetting_case", sa.Column("assigned_at", DateTimeUTC(timezone=True), nullable=True))
    for table, name, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for table, name, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    # Plain DROP COLUMN (SQLite 3.35+): a batch rebuild would drop vetting_case and, with foreign
    # keys on, cascade to every row that refers to a case.
    op.drop_column("vetting_case", "assigned_at")
    op.drop_column("vetting_case", "assigned_to_name")
    op.drop_column("vetting_case", "assigned_to_id")
