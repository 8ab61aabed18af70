"""Scottish and Northern Ireland charity registers held locally; live register answers kept

`register_charity_devolved` holds the OSCR register and former-register CSVs and the Charity
Commission for Northern Ireland CSV (names, numbers, statuses, dates; no addresses), each
row saying which file it came from. `register_company_psc` holds the current persons with significant control from Companies
House's PSC snapshot, by name only. `register_answer` keeps what a live register API answered
and when, so a case re-checked soon after does not ask again and the officer sees the date.
`vetting_case.register_people` keeps the trustees and persons with significant control the
registers named at submission, so a re-screen after a list change screens them again.

Revision ID: d19g00000001
Revises: d18g00000001
Create Date: 2026-12-06 15:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC, JsonB
from alembic import op

revision = "d19g00000001"
down_revision = "d19d00000001"
branch_labels = None
depends_on = None


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False)


def upgrade() -> None:
    # A plain ALTER, not a batch: on SQLite a batch copies and drops vetting_case, and the drop
    # cascades to every row that refers to a case.
    op.add_column("vetting_case", sa.Column("register_people", JsonB, nullable=False, server_default="[]"))
    op.create_table(
        "register_charity_devolved",
        _id(),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("number", sa.String(length=12), nullable=False),
        sa.Column("linked_number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("other_names", JsonB, nullable=False),
        sa.Column("status", sa.String(length=80), nullable=False),
        sa.Column("registered", sa.Date(), nullable=True),
        sa.Column("removed", sa.Date(), nullable=True),
        sa.Column("removal_reason", sa.String(length=300), nullable=True),
        sa.Column("company_number", sa.String(length=10), nullable=True),
        sa.Column("extract_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["extract_id"],
            ["register_extract.id"],
            name=op.f("fk_register_charity_devolved_extract_id_register_extract"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_charity_devolved")),
    )
    op.create_index("ix_register_charity_devolved_number", "register_charity_devolved", ["number"])
    op.create_table(
        "register_company_psc",
        _id(),
        sa.Column("company_number", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("extract_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["extract_id"],
            ["register_extract.id"],
            name=op.f("fk_register_company_psc_extract_id_register_extract"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_company_psc")),
    )
    op.create_index("ix_register_company_psc_number", "register_company_psc", ["company_number"])
    op.create_table(
        "register_answer",
        _id(),
        sa.Column("backend", sa.String(length=40), nullable=False),
        sa.Column("register", sa.String(length=20), nullable=False),
        sa.Column("number", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("answered_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("payload", JsonB, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_answer")),
        sa.UniqueConstraint("backend", "register", "number", "kind", name="uq_register_answer_key"),
    )
    op.create_index(op.f("ix_register_answer_answered_at"), "register_answer", ["answered_at"])


def downgrade() -> None:
    op.drop_table("register_answer")
    op.drop_table("register_company_psc")
    op.drop_table("register_charity_devolved")
    op.drop_column("vetting_case", "register_people")  # plain ALTER (SQLite 3.35+), as in upgrade()
