"""holds index covers held_to

The directory asks for the holds of a thousand rooms around one slot: one index range per room on
(unit_id, held_from), then each row's held_to from the table. With held_to in the index the
ranges answer alone (SQLite: 8.3 to 3.6 ms for the benchmark's read). The new index serves every
query the old one did (same leading columns), so it replaces it rather than joining it.

Indexes are dropped and made with plain statements: no SQLite batch rebuild of occurrence_hold.

Revision ID: d20d00000001
Revises: d20r00000001
Create Date: 2026-12-06 18:20:00
"""

from __future__ import annotations

from alembic import op

revision = "d20d00000001"
down_revision = "d20r00000001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    columns = ["unit_id", "held_from", "held_to"]
    op.create_index("ix_occurrence_hold_unit_from_to", "occurrence_hold", columns, unique=False)
    op.drop_index("ix_occurrence_hold_unit_from", table_name="occurrence_hold")


def downgrade() -> None:
    op.create_index("ix_occurrence_hold_unit_from", "occurrence_hold", ["unit_id", "held_from"], unique=False)
    op.drop_index("ix_occurrence_hold_unit_from_to", table_name="occurrence_hold")
