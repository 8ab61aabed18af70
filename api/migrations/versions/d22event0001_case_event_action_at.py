"""case history by action and time: index on case_event (action, at, case_id)

The reports page counts the requests for more information made in its period (casework/
report_queries.py ``information_requests``): case_event rows of one action within a time range.
Without an index on them SQLite read every case of the organisation and then each case's history,
so the page grew with all the years kept, not with the period (issue 22: 563 ms at ten years).
With (action, at, case_id) the count reads the period's rows of that action from the index alone
and joins each to its case by key; the reports page at three years: 88 -> 31 ms.

Revision ID: d22event0001
Revises: d21purge0001
Create Date: 2026-12-07 04:40:00
"""

from __future__ import annotations

from alembic import op

revision = "d22event0001"
down_revision = "d21purge0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_case_event_action_at", "case_event", ["action", "at", "case_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_case_event_action_at", table_name="case_event")
