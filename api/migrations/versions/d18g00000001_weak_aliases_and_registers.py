"""flagged entry weak aliases; registers held locally

The published lists mark some aliases as low quality (the UK Sanctions List's "Low quality
a.k.a", OFAC's weak a.k.a.s and LowQuality aliases). They are kept apart from the other aliases
so screening can weigh them as the policy says and explain a match on one as a low-quality
alias (issue 23). Existing entries have none until their list is imported again.

The register tables hold what the due-diligence checks need from the Companies House and
Charity Commission extracts (`venue-hire registers import`): names, numbers, statuses, dates,
trustees by name; no addresses or contact details.

Revision ID: d18g00000001
Revises: d18e00000001
Create Date: 2026-12-06 11:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC, JsonB
from alembic import op

revision = "d18g00000001"
down_revision = "d18e00000001"
branch_labels = None
depends_on = None


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False)


def _charity_keys() -> list[sa.Column[int]]:
    return [
        sa.Column("organisation_number", sa.Integer(), nullable=False),
        sa.Column("charity_number", sa.Integer(), nullable=False),
        sa.Column("linked_number", sa.Integer(), nullable=False),
    ]


def _extract(table: str) -> list[sa.SchemaItem]:
    return [
        sa.Column("extract_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["extract_id"],
            ["register_extract.id"],
            name=op.f(f"fk_{table}_extract_id_register_extract"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    # With a server default: SQLite adds a NOT NULL column only with one. A plain ALTER, not a
    # batch: on SQLite a batch copies and drops flagged_entry, and the drop cascades to the
    # clearances that refer to its entries (foreign keys are on), losing every one of them.
    op.add_column("flagged_entry", sa.Column("weak_aliases", JsonB, nullable=False, server_default="[]"))
    op.create_table(
        "register_extract",
        _id(),
        sa.Column("register", sa.String(length=40), nullable=False),
        sa.Column("extract_date", sa.Date(), nullable=True),
        sa.Column("imported_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_extract")),
    )
    op.create_index(op.f("ix_register_extract_register"), "register_extract", ["register"])
    op.create_table(
        "register_company",
        _id(),
        sa.Column("company_number", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=80), nullable=False),
        sa.Column("category", sa.String(length=120), nullable=False),
        sa.Column("incorporated", sa.Date(), nullable=True),
        sa.Column("dissolved", sa.Date(), nullable=True),
        sa.Column("previous_names", JsonB, nullable=False),
        *_extract("register_company"),
        sa.UniqueConstraint("company_number", name=op.f("uq_register_company_company_number")),
    )
    op.create_table(
        "register_charity",
        _id(),
        *_charity_keys(),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("charity_type", sa.String(length=80), nullable=True),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("registered", sa.Date(), nullable=True),
        sa.Column("removed", sa.Date(), nullable=True),
        sa.Column("insolvent", sa.Boolean(), nullable=False),
        sa.Column("in_administration", sa.Boolean(), nullable=False),
        sa.Column("cio_dissolved", sa.Boolean(), nullable=False),
        *_extract("register_charity"),
        sa.UniqueConstraint("charity_number", "linked_number", name="uq_register_charity_number"),
    )
    op.create_index(
        op.f("ix_register_charity_organisation_number"), "register_charity", ["organisation_number"]
    )
    op.create_table(
        "register_charity_name",
        _id(),
        *_charity_keys(),
        sa.Column("name_type", sa.String(length=60), nullable=True),
        sa.Column("name", sa.String(length=300), nullable=False),
        *_extract("register_charity_name"),
    )
    op.create_index(
        "ix_register_charity_name_number", "register_charity_name", ["charity_number", "linked_number"]
    )
    op.create_table(
        "register_charity_trustee",
        _id(),
        *_charity_keys(),
        sa.Column("trustee_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=True),
        sa.Column("is_chair", sa.Boolean(), nullable=False),
        sa.Column("appointed", sa.Date(), nullable=True),
        *_extract("register_charity_trustee"),
    )
    op.create_index(
        "ix_register_charity_trustee_number", "register_charity_trustee", ["charity_number", "linked_number"]
    )
    op.create_table(
        "register_charity_event",
        _id(),
        *_charity_keys(),
        sa.Column("event_order", sa.Integer(), nullable=False),
        sa.Column("event_type", sa.String(length=120), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(length=300), nullable=True),
        *_extract("register_charity_event"),
    )
    op.create_index(
        "ix_register_charity_event_number", "register_charity_event", ["charity_number", "linked_number"]
    )


def downgrade() -> None:
    for table in (
        "register_charity_event",
        "register_charity_trustee",
        "register_charity_name",
        "register_charity",
        "register_company",
        "register_extract",
    ):
        op.drop_table(table)
    # A plain ALTER (SQLite 3.35+), not a batch, for the reason given in upgrade().
    op.drop_column("flagged_entry", "weak_aliases")
