"""flagged entry weak aliases

The published lists mark some aliases as low quality (the UK Sanctions List's "Low quality
a.k.a", OFAC's weak a.k.a.s and LowQuality aliases). They are kept apart from the other aliases
so screening can weigh them as the policy says and explain a match on one as a low-quality
alias (issue 23). Existing entries have none until their list is imported again.

Revision ID: d18g00000001
Revises: c17e0000000a
Create Date: 2026-12-06 11:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import JsonB
from alembic import op

revision = "d18g00000001"
down_revision = "c17e0000000a"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # With a server default: SQLite adds a NOT NULL column only with one.
    with op.batch_alter_table("flagged_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("weak_aliases", JsonB, nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("flagged_entry", schema=None) as batch_op:
        batch_op.drop_column("weak_aliases")
