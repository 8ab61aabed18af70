"""audit record append-only

The audit log was append-only by the code that writes it and checked by its hash chain; these
triggers make the database itself refuse to change or remove a record. Someone who can drop the
triggers can still edit records, and `venue-hire audit verify` then names the first broken one.

Revision ID: d5e0b6a2c813
Revises: c41a8f3e9d27
Create Date: 2026-11-21 08:55:00
"""

from __future__ import annotations

from alembic import op

revision = "d5e0b6a2c813"
down_revision = "c41a8f3e9d27"
branch_labels = None
depends_on = None

MESSAGE = "audit records are append-only"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_record_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_record_append_only BEFORE UPDATE OR DELETE ON audit_record "
            "FOR EACH ROW EXECUTE FUNCTION audit_record_append_only()"
        )
        op.execute(
            "CREATE TRIGGER audit_record_no_truncate BEFORE TRUNCATE ON audit_record "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_record_append_only()"
        )
        return
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER audit_record_no_{action.lower()} BEFORE {action} ON audit_record "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_record_no_truncate ON audit_record")
        op.execute("DROP TRIGGER audit_record_append_only ON audit_record")
        op.execute("DROP FUNCTION audit_record_append_only()")
        return
    op.execute("DROP TRIGGER audit_record_no_delete")
    op.execute("DROP TRIGGER audit_record_no_update")
