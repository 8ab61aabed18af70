"""report indexes

The reports page (casework/report_queries.py) reads a period's figures over every case of an
organisation. Its statements are joined to their case and filtered on the case's organisation
(casework/report_scope.py); these indexes let each read what it needs from an index alone:

* vetting_case(provider_id, created_at, status): a period's requests of one organisation;
* vetting_case(id, provider_id, created_at): a case's organisation and day from its id, for the
  join every report statement makes, without reading the case's row;
* decision(case_id, kind, outcome, decided_at, countersigned_at, effective, id): time to
  decision, each case's decisions in case order;
* occurrence(start_utc, status, booking_id, local_start, local_end) and booking(id, room_id):
  room use, a period's dates with their hours and room.

Revision ID: c17e0000000a
Revises: c16c00000008
Create Date: 2026-12-06 09:45:00
"""

from __future__ import annotations

from alembic import op

revision = "c17e0000000a"
down_revision = "c16c00000008"
branch_labels = None
depends_on = None

INDEXES = (
    ("vetting_case", "ix_vetting_case_provider_created", ["provider_id", "created_at", "status"]),
    ("vetting_case", "ix_vetting_case_id_provider_created", ["id", "provider_id", "created_at"]),
    (
        "decision",
        "ix_decision_case_effect",
        ["case_id", "kind", "outcome", "decided_at", "countersigned_at", "effective", "id"],
    ),
    (
        "occurrence",
        "ix_occurrence_start_held",
        ["start_utc", "status", "booking_id", "local_start", "local_end"],
    ),
    ("booking", "ix_booking_id_room", ["id", "room_id"]),
)


def upgrade() -> None:
    for table, name, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for table, name, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
