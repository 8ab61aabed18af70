"""a council's organisation by name, charity or company number: indexes on organisation
(provider_id, lower(name)), (provider_id, charity_number) and (provider_id, company_number)

Every booking request looks its organisation up by `lower(name)` within the councils and partners
its scope reaches (vetting/organisation_links.py). With an index on each condition alone,
PostgreSQL chose between them by its statistics, and on a table that had grown since it last
analysed it (or on a generic plan) it took the council's index and read every organisation of the
council to find one name: 0.65 ms of PostgreSQL's time per booking request with 1,200
organisations (pg_stat_statements over `bench/submit_cpu.py`), growing with the council's
organisations. With both in one index the lookup is one index descent whatever the statistics.
The lookups by charity and company number had the same choice and SQLite made the same mistake, so
their indexes take provider_id first too. The index on provider_id alone is the new ones' leading
column, so it goes.

Revision ID: d22org0001
Revises: d22queue0001
Create Date: 2026-12-07 21:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "d22org0001"
down_revision = "d22queue0001"
branch_labels = None
depends_on = None

NUMBERS = ("charity_number", "company_number")


def upgrade() -> None:
    op.create_index(
        "ix_organisation_provider_name_lower",
        "organisation",
        ["provider_id", sa.text("lower(name)")],
        unique=False,
    )
    for number in NUMBERS:
        op.create_index(
            f"ix_organisation_provider_{number}", "organisation", ["provider_id", number], unique=False
        )
        op.drop_index(f"ix_organisation_{number}", table_name="organisation")
    op.drop_index("ix_organisation_provider_id", table_name="organisation")


def downgrade() -> None:
    op.create_index("ix_organisation_provider_id", "organisation", ["provider_id"], unique=False)
    for number in NUMBERS:
        op.create_index(f"ix_organisation_{number}", "organisation", [number], unique=False)
        op.drop_index(f"ix_organisation_provider_{number}", table_name="organisation")
    op.drop_index("ix_organisation_provider_name_lower", table_name="organisation")
