"""totp last step

The last accepted TOTP time step per user, in the database: a code is accepted once, whichever
process sees it (it was remembered per process).

Revision ID: c41a8f3e9d27
Revises: b7d2e91c4f10
Create Date: 2026-11-21 08:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c41a8f3e9d27"
down_revision = "b7d2e91c4f10"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_column("totp_last_step")
