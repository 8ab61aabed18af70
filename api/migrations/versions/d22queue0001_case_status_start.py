"""an organisation's cases of one status by first date: index on vetting_case (provider_id,
status, first_start)

The officer's queue through the API (`GET /api/v1/applications?status=...`, sorted by first date
by default) read every case of the organisation in that status and sorted them all to show the
first hundred. The growth data keep 6% of each year's cases under review for good, so at ten
years on SQLite that was 7,720 cases sorted per page (the queue 15.7 -> 31.4 ms p95 from one year
to ten, bench/scale.py). With (provider_id, status, first_start) the page reads its cases in
first-date order and sorts only the ties: the statement 15.6 -> 0.7 ms at ten years.

Revision ID: d22queue0001
Revises: d22feed0001
Create Date: 2026-12-07 07:40:00
"""

from __future__ import annotations

from alembic import op

revision = "d22queue0001"
down_revision = "d22feed0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_vetting_case_status_start", "vetting_case", ["provider_id", "status", "first_start"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_vetting_case_status_start", table_name="vetting_case")
