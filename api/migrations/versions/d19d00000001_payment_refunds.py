"""payment refunds; invoices by issue date

A refund through GOV.UK Pay is a payment row of its own, negative, that names
the payment it gives money back from (`refund_of`), so what is left of a payment to refund is its
amount less its refunds, and the finance journal lists each refund once (its provider id,
GOV.UK Pay's `refund_id`, is unique like a payment's).

Plain ADD COLUMN, and no foreign key on `refund_of`: SQLite cannot add a constraint without a
batch rebuild of the table, which this project does not do to tables that others refer to
(`payment` is not, today, but a rebuild is never worth the risk for one link the service checks
itself: a refund is made only from a payment of the same invoice, casework/refunds.py).

The money reports read an organisation's invoices by issue date: an index on (issuer, issued_on).

Revision ID: d19d00000001
Revises: d18g00000001
Create Date: 2026-12-06 15:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import GUID
from alembic import op

revision = "d19d00000001"
down_revision = "d19h00000001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "payment",
        sa.Column("refund_of", GUID(length=16), nullable=True),
    )
    op.add_column("payment", sa.Column("reason", sa.Text(), nullable=True))
    op.create_index("ix_payment_refund_of", "payment", ["refund_of"], unique=False)
    op.create_index("ix_invoice_issuer_issued_on", "invoice", ["issuer", "issued_on"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_invoice_issuer_issued_on", table_name="invoice")
    op.drop_index("ix_payment_refund_of", table_name="payment")
    op.drop_column("payment", "reason")
    op.drop_column("payment", "refund_of")
