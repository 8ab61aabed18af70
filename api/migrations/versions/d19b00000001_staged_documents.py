"""staged documents: evidence sent from inside the booking form, before the request exists
(issue 20 item 1)

Tied to the form's draft by the SHA-256 of its random token; attached to the case when the
request is sent, purged with its file when the draft is abandoned.

Revision ID: d19b00000001
Revises: d18g00000001
Create Date: 2026-12-06 15:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC, JsonB
from alembic import op

revision = "d19b00000001"
down_revision = "d19g00000001"
branch_labels = None
depends_on = None

_G = GUID(length=16)


def upgrade() -> None:
    # A new table nothing refers to: no batch rebuild of any existing table.
    op.create_table(
        "staged_document",
        sa.Column("id", _G, nullable=False),
        sa.Column("draft_hash", sa.String(length=64), nullable=False),
        sa.Column("check", sa.String(length=60), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("original_name", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("file", JsonB, nullable=False),
        sa.Column("scan_state", sa.String(length=20), nullable=False),
        sa.Column("insurer", sa.String(length=200), nullable=True),
        sa.Column("cover_gbp", sa.Integer(), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("uploaded_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staged_document")),
    )
    op.create_index(op.f("ix_staged_document_draft_hash"), "staged_document", ["draft_hash"], unique=False)
    op.create_index(op.f("ix_staged_document_uploaded_at"), "staged_document", ["uploaded_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_staged_document_uploaded_at"), table_name="staged_document")
    op.drop_index(op.f("ix_staged_document_draft_hash"), table_name="staged_document")
    op.drop_table("staged_document")
