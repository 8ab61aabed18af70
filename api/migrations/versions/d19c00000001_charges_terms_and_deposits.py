"""charges terms and deposits

Issue 19: the extras and concession a request asked for (vetting_case.charges), whether a venue
invoices on approval rather than on confirmation (venue.invoice_on), and refundable damage
deposits, held until staff refund them in full or in part with a reason (deposit).

Columns are added and dropped with plain ALTER TABLE: a SQLite batch rebuild of vetting_case or
venue would cascade to, or fail on, every row that refers to them.

Revision ID: d19c00000001
Revises: d18g00000001
Create Date: 2026-12-06 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC, JsonB
from alembic import op

revision = "d19c00000001"
down_revision = "d19a00000001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("vetting_case", sa.Column("charges", JsonB, nullable=True))
    op.add_column("venue", sa.Column("invoice_on", sa.String(length=20), nullable=True))
    op.create_table(
        "deposit",
        sa.Column("id", GUID(length=16), nullable=False),
        sa.Column("invoice_id", GUID(length=16), nullable=False),
        sa.Column("case_id", GUID(length=16), nullable=False),
        sa.Column("issuer", sa.String(length=40), nullable=False),
        sa.Column("venue_name", sa.String(length=200), nullable=False),
        sa.Column("amount_pence", sa.Integer(), nullable=False),
        sa.Column("collected", sa.String(length=20), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("refunded_pence", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("settled_on", sa.Date(), nullable=True),
        sa.Column("settled_by", sa.String(length=200), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoice.id"], name=op.f("fk_deposit_invoice_id_invoice"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["vetting_case.id"], name=op.f("fk_deposit_case_id_vetting_case"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deposit")),
        sa.UniqueConstraint("invoice_id", name=op.f("uq_deposit_invoice_id")),
    )
    op.create_index(op.f("ix_deposit_issuer"), "deposit", ["issuer"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_deposit_issuer"), table_name="deposit")
    op.drop_table("deposit")
    op.drop_column("venue", "invoice_on")
    op.drop_column("vetting_case", "charges")
