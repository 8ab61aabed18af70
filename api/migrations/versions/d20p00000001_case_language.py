"""the language a request was made in

Issue 18 item 4: vetting_case.language ("en" or "cy"), the language the hirer made the request in:
the policy's texts they read were in it, and messages to them are written in it. Requests made
before it were all in English, which the server default gives them.

Added and dropped with plain ALTER TABLE: a SQLite batch rebuild of vetting_case would cascade to
every row that refers to a case.

Revision ID: d20p00000001
Revises: d20d00000001
Create Date: 2026-12-06 18:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "d20p00000001"
down_revision = "d20d00000001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "vetting_case", sa.Column("language", sa.String(length=5), nullable=False, server_default="en")
    )


def downgrade() -> None:
    op.drop_column("vetting_case", "language")
