"""case documents: evidence a hirer sends for a check or an information request (issue 20)

One row per document kept; the file itself is in advanced-alchemy's file storage under a random
name (the `file` column holds its FileObject as JSON).

Revision ID: d18d00000001
Revises: d18a00000001
Create Date: 2026-12-06 11:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC, JsonB
from alembic import op

revision = "d18d00000001"
down_revision = "d18a00000001"
branch_labels = None
depends_on = None

_G = GUID(length=16)


def upgrade() -> None:
    op.create_table(
        "case_document",
        sa.Column("id", _G, nullable=False),
        sa.Column("case_id", _G, nullable=False),
        sa.Column("organisation_id", _G, nullable=True),
        sa.Column("check", sa.String(length=60), nullable=True),
        sa.Column("answers", sa.String(length=80), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("original_name", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("file", JsonB, nullable=False),
        sa.Column("scan_state", sa.String(length=20), nullable=False),
        sa.Column("review_state", sa.String(length=20), nullable=False),
        sa.Column("insurer", sa.String(length=200), nullable=True),
        sa.Column("cover_gbp", sa.Integer(), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("uploaded_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("reviewed_by", sa.String(length=200), nullable=True),
        sa.Column("reviewed_at", DateTimeUTC(timezone=True), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["vetting_case.id"],
            name=op.f("fk_case_document_case_id_vetting_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_document")),
    )
    with op.batch_alter_table("case_document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_document_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_case_document_organisation_id"), ["organisation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("case_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_document_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_case_document_case_id"))
    op.drop_table("case_document")
