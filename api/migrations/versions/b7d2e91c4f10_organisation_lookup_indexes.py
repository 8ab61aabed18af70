"""organisation lookup indexes

Every booking request looks its organisation up by charity number, company number or name
(case-insensitive); without these each lookup read the whole table.

Revision ID: b7d2e91c4f10
Revises: a643aacb0d0c
Create Date: 2026-11-21 08:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "b7d2e91c4f10"
down_revision = "a643aacb0d0c"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.create_index("ix_organisation_charity_number", ["charity_number"], unique=False)
        batch_op.create_index("ix_organisation_company_number", ["company_number"], unique=False)
    # An expression index: SQLite and PostgreSQL both use it for lower(name) = :name.
    op.create_index("ix_organisation_name_lower", "organisation", [sa.text("lower(name)")], unique=False)


def downgrade() -> None:
    op.drop_index("ix_organisation_name_lower", table_name="organisation")
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_index("ix_organisation_company_number")
        batch_op.drop_index("ix_organisation_charity_number")
