"""staff alerts and reminders

Issue 16, items 3 and 4: staff alert preferences per kind (immediately, digest, off) and the
daily digest time; alerts waiting for a digest; the scheduled notices already sent (reminders,
lapses, scheduled alerts, digests: what makes a job that runs twice send once); and the venue's
access instructions, sent with each reminder before a booked date.

Revision ID: c16c00000008
Revises: c16b00000007
Create Date: 2026-12-06 08:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

revision = "c16c00000008"
down_revision = "c16b00000007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alert_preference",
        sa.Column("id", GUID(length=16), nullable=False),
        sa.Column("user_id", GUID(length=16), nullable=False),
        sa.Column("provider_id", GUID(length=16), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("delivery", sa.String(length=12), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_alert_preference_user_id_app_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_preference")),
        sa.UniqueConstraint("user_id", "kind", name="uq_alert_preference_user_kind"),
    )
    with op.batch_alter_table("alert_preference", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_preference_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_alert_preference_provider_id"), ["provider_id"], unique=False)

    op.create_table(
        "alert_digest_time",
        sa.Column("id", GUID(length=16), nullable=False),
        sa.Column("user_id", GUID(length=16), nullable=False),
        sa.Column("provider_id", GUID(length=16), nullable=True),
        sa.Column("digest_at", sa.Time(), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_alert_digest_time_user_id_app_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_digest_time")),
        sa.UniqueConstraint("user_id", name=op.f("uq_alert_digest_time_user_id")),
    )
    with op.batch_alter_table("alert_digest_time", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_digest_time_provider_id"), ["provider_id"], unique=False)

    op.create_table(
        "alert_digest_item",
        sa.Column("id", GUID(length=16), nullable=False),
        sa.Column("user_id", GUID(length=16), nullable=False),
        sa.Column("provider_id", GUID(length=16), nullable=True),
        sa.Column("case_id", GUID(length=16), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("line", sa.Text(), nullable=False),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("sent_at", DateTimeUTC(timezone=True), nullable=True),
        sa.Column("dedupe_key", sa.String(length=250), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_alert_digest_item_user_id_app_user"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["vetting_case.id"],
            name=op.f("fk_alert_digest_item_case_id_vetting_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_digest_item")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_alert_digest_item_dedupe_key")),
    )
    with op.batch_alter_table("alert_digest_item", schema=None) as batch_op:
        batch_op.create_index("ix_alert_digest_item_pending", ["user_id", "sent_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_alert_digest_item_provider_id"), ["provider_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_alert_digest_item_case_id"), ["case_id"], unique=False)

    op.create_table(
        "scheduled_notice",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("key", sa.String(length=250), nullable=False),
        sa.Column("at", DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduled_notice")),
        sa.UniqueConstraint("key", name=op.f("uq_scheduled_notice_key")),
    )
    with op.batch_alter_table("scheduled_notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scheduled_notice_at"), ["at"], unique=False)

    with op.batch_alter_table("venue", schema=None) as batch_op:
        batch_op.add_column(sa.Column("access_instructions", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("venue", schema=None) as batch_op:
        batch_op.drop_column("access_instructions")
    op.drop_table("scheduled_notice")
    op.drop_table("alert_digest_item")
    op.drop_table("alert_digest_time")
    op.drop_table("alert_preference")
