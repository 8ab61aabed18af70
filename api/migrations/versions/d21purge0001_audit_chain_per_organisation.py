"""audit chain per organisation: index on (provider_id, id)

Each organisation's audit records form their own hash chain (api/audit.py), so an append reads
the head of its organisation's chain: its last record by id. The index on (provider_id, id)
answers that from one index entry however many records there are; it serves every query the
index on provider_id alone did (same leading column), so it replaces it.

Indexes are dropped and made with plain statements: no SQLite batch rebuild of audit_record.

Revision ID: d21purge0001
Revises: d20p00000001
Create Date: 2026-12-06 21:40:00
"""

from __future__ import annotations

from alembic import op

revision = "d21purge0001"
down_revision = "d20p00000001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_audit_record_provider_chain", "audit_record", ["provider_id", "id"], unique=False)
    op.drop_index("ix_audit_record_provider_id", table_name="audit_record")


def downgrade() -> None:
    op.create_index("ix_audit_record_provider_id", "audit_record", ["provider_id"], unique=False)
    op.drop_index("ix_audit_record_provider_chain", table_name="audit_record")
