"""staff auth hardening: named, expiring API tokens; failed sign-ins kept for their owner

API tokens get a name, an expiry date and a last-used time. Tokens that exist already are
named "API token (before names)" and expire 90 days after this migration, so nothing stops
working at once and nothing lasts for ever. `login_failure` keeps failed sign-ins on an
account (no address) to show its owner at the next sign-in; `app_user.last_sign_in_at` marks
where "since you last signed in" starts.

Revision ID: a07b00000004
Revises: a915ec000003
Create Date: 2026-12-06 02:30:00
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

sa.GUID = GUID  # type: ignore[attr-defined]  # autogenerate renders advanced-alchemy types as sa.X
sa.DateTimeUTC = DateTimeUTC  # type: ignore[attr-defined]  # see above

revision = "a07b00000004"
down_revision = "a915ec000003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_sign_in_at", sa.DateTimeUTC(timezone=True), nullable=True))

    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("expires_at", sa.DateTimeUTC(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("last_used_at", sa.DateTimeUTC(timezone=True), nullable=True))
    token = sa.table(
        "api_token",
        sa.column("name", sa.String()),
        sa.column("expires_at", sa.DateTimeUTC(timezone=True)),
    )
    op.execute(
        token.update().values(
            name="API token (before names)",
            expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=90),
        )
    )
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.alter_column("name", existing_type=sa.String(length=100), nullable=False)
        batch_op.alter_column("expires_at", existing_type=sa.DateTimeUTC(timezone=True), nullable=False)

    op.create_table(
        "login_failure",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_id", sa.GUID(length=16), nullable=False),
        sa.Column("at", sa.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_login_failure_user_id_app_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failure")),
    )
    with op.batch_alter_table("login_failure", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_failure_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("login_failure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_failure_user_id"))
    op.drop_table("login_failure")
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_column("last_used_at")
        batch_op.drop_column("expires_at")
        batch_op.drop_column("name")
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_column("last_sign_in_at")
