"""status links: several private links per case, re-issued by each message to the hirer

Each message to a hirer carries a fresh private link to the status page, a hirer who lost theirs
can have one mailed again, and the hirer can revoke all but the one in use (issue 16). The
existing `vetting_case.applicant_token_hash` values become each case's first link, so every link
already mailed keeps working. The column stays (dropping it on SQLite would rebuild vetting_case,
whose rebuild cascade-deletes its history); it keeps the first link's hash and nothing reads it.

Revision ID: c16b00000007
Revises: c16a00000006
Create Date: 2026-12-06 09:00:00
"""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

revision = "c16b00000007"
down_revision = "c16a00000006"
branch_labels = None
depends_on = None

_G = GUID(length=16)


def upgrade() -> None:
    op.create_table(
        "status_link",
        sa.Column("id", _G, nullable=False),
        sa.Column("case_id", _G, nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("revoked_at", DateTimeUTC(timezone=True), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["vetting_case.id"], name=op.f("fk_status_link_case_id_vetting_case"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_link")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_status_link_token_hash")),
    )
    with op.batch_alter_table("status_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_status_link_case_id"), ["case_id"], unique=False)

    conn = op.get_bind()
    cases = sa.table(
        "vetting_case",
        sa.column("id", _G),
        sa.column("applicant_token_hash", sa.String()),
        sa.column("created_at", DateTimeUTC(timezone=True)),
    )
    links = sa.table(
        "status_link",
        sa.column("id", _G),
        sa.column("case_id", _G),
        sa.column("token_hash", sa.String()),
        sa.column("created_at", DateTimeUTC(timezone=True)),
    )
    rows = conn.execute(sa.select(cases.c.id, cases.c.applicant_token_hash, cases.c.created_at)).all()
    now = dt.datetime.now(dt.UTC)
    batch = [
        {"id": uuid.uuid4(), "case_id": case_id, "token_hash": hashed, "created_at": created or now}
        for case_id, hashed, created in rows
        if hashed
    ]
    for start in range(0, len(batch), 1000):
        conn.execute(links.insert(), batch[start : start + 1000])


def downgrade() -> None:
    with op.batch_alter_table("status_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_status_link_case_id"))
    op.drop_table("status_link")
