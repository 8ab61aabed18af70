"""each date keeps its room and each decision its organisation, for the reports

The reports page (issue 17, "Numbers": 150 ms p95 at 20,000 cases) summed each room's booked
hours by joining every held date of the period (about 19,000 at 20,000 cases) to its booking for
the room: a look-up per date, 40% of the report's time. A booking never changes room, so each date
now keeps its booking's room (occurrence.room_id, written with the date: venues/booking_plan.py,
and venues.models._room_of_booking for any other writer), and an index (room_id, status,
local_start, local_end) makes a room's held dates of a period one range of it.

Decisions by outcome joined each decision of the period (about 10,000) to its case for the
organisation: PostgreSQL hashed all 20,000 of the organisation's cases to do it. A case never
changes organisation, so each decision now keeps its case's (decision.provider_id, written with the
decision: casework/decision_records.py, casework/appeals.py, and vetting.models._provider_of_case
for any other writer), and an index (provider_id, effect_at, ...) makes the organisation's
decisions of a period one range of it.

The queue's "All requests" tab sorted every case of the organisation by reading its row (the
decide-by date, policy, tier, first date and reference): ix_vetting_case_queue_order holds them, so
the sort reads the index.

Existing rows are filled from their bookings and cases here. The columns stay nullable: SQLite
cannot add a NOT NULL column to a table without rebuilding it (occurrence is referred to by
occurrence_hold, decision by nothing, but kept alike).

Revision ID: d20r00000001
Revises: d19c00000001
Create Date: 2026-12-06 18:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import GUID
from alembic import op

revision = "d20r00000001"
down_revision = "d19c00000001"
branch_labels = None
depends_on = None

INDEXES = (
    ("occurrence", "ix_occurrence_room_held", ["room_id", "status", "local_start", "local_end"]),
    (
        "decision",
        "ix_decision_provider_effect",
        ["provider_id", "effect_at", "report_state", "reason_code", "policy_id", "policy_version", "case_id"],
    ),
    (
        "vetting_case",
        "ix_vetting_case_queue_order",
        ["provider_id", "target_date", "policy_id", "tier", "first_start", "reference", "id"],
    ),
)


def upgrade() -> None:
    op.add_column("occurrence", sa.Column("room_id", GUID(length=16), nullable=True))
    op.execute(
        "UPDATE occurrence SET room_id = (SELECT booking.room_id FROM booking WHERE booking.id = occurrence.booking_id)"
    )
    op.add_column("decision", sa.Column("provider_id", GUID(length=16), nullable=True))
    op.execute(
        "UPDATE decision SET provider_id = "
        "(SELECT vetting_case.provider_id FROM vetting_case WHERE vetting_case.id = decision.case_id)"
    )
    for table, name, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for table, name, _ in INDEXES:
        op.drop_index(name, table_name=table)
    op.drop_column("decision", "provider_id")
    op.drop_column("occurrence", "room_id")
