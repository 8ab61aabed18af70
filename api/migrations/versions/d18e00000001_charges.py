"""charges

Issue 19: the rate card a venue is priced by (venue.rate_card_id); invoices and credit notes,
numbered without gaps per council by a counter row (charge_counter) updated in the issuing
transaction; payments, unique on the provider's id so that none is recorded twice.

Revision ID: d18e00000001
Revises: d18f00000001
Create Date: 2026-12-06 11:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC, JsonB
from alembic import op

revision = "d18e00000001"
down_revision = "d18f00000001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "charge_counter",
        sa.Column("id", GUID(length=16), nullable=False),
        sa.Column("issuer", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_charge_counter")),
        sa.UniqueConstraint("issuer", "kind", name="uq_charge_counter_issuer_kind"),
    )
    op.create_table(
        "invoice",
        sa.Column("id", GUID(length=16), nullable=False),
        sa.Column("issuer", sa.String(length=40), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("case_id", GUID(length=16), nullable=False),
        sa.Column("issuer_name", sa.String(length=200), nullable=False),
        sa.Column("hirer_name", sa.String(length=300), nullable=False),
        sa.Column("hirer_address", sa.Text(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("venue_name", sa.String(length=200), nullable=False),
        sa.Column("room_name", sa.String(length=200), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("rate_card_id", sa.String(length=80), nullable=False),
        sa.Column("rate_card_version", sa.Integer(), nullable=False),
        sa.Column("category_label", sa.String(length=200), nullable=False),
        sa.Column("lines", JsonB, nullable=False),
        sa.Column("net_pence", sa.Integer(), nullable=False),
        sa.Column("vat_pence", sa.Integer(), nullable=False),
        sa.Column("gross_pence", sa.Integer(), nullable=False),
        sa.Column("deposit_pence", sa.Integer(), nullable=False),
        sa.Column("payment_instructions", sa.Text(), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["vetting_case.id"],
            name=op.f("fk_invoice_case_id_vetting_case"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice")),
        sa.UniqueConstraint("case_id", name=op.f("uq_invoice_case_id")),
        sa.UniqueConstraint("issuer", "seq", name="uq_invoice_issuer_seq"),
    )
    op.create_table(
        "credit_note",
        sa.Column("id", GUID(length=16), nullable=False),
        sa.Column("issuer", sa.String(length=40), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("invoice_id", GUID(length=16), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("lines", JsonB, nullable=False),
        sa.Column("net_pence", sa.Integer(), nullable=False),
        sa.Column("vat_pence", sa.Integer(), nullable=False),
        sa.Column("gross_pence", sa.Integer(), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["invoice.id"],
            name=op.f("fk_credit_note_invoice_id_invoice"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_note")),
        sa.UniqueConstraint("issuer", "seq", name="uq_credit_note_issuer_seq"),
    )
    with op.batch_alter_table("credit_note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_credit_note_invoice_id"), ["invoice_id"], unique=False)

    op.create_table(
        "payment",
        sa.Column("id", GUID(length=16), nullable=False),
        sa.Column("invoice_id", GUID(length=16), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("amount_pence", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("provider_ref", sa.String(length=100), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoice.id"], name=op.f("fk_payment_invoice_id_invoice"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment")),
        sa.UniqueConstraint("provider_ref", name=op.f("uq_payment_provider_ref")),
    )
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_invoice_id"), ["invoice_id"], unique=False)

    # Plain ADD COLUMN: a batch rebuild of venue on SQLite would drop a table others refer to.
    op.add_column("venue", sa.Column("rate_card_id", sa.String(length=80), nullable=True))


def downgrade() -> None:
    op.drop_column("venue", "rate_card_id")

    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_invoice_id"))

    op.drop_table("payment")
    with op.batch_alter_table("credit_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_credit_note_invoice_id"))

    op.drop_table("credit_note")
    op.drop_table("invoice")
    op.drop_table("charge_counter")
