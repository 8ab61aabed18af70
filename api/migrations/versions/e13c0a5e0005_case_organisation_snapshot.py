"""case organisation snapshot

Each case keeps the organisation exactly as its request gave it, and a possible link to a known
organisation that an officer confirms or rejects (issue 13). Existing cases are filled from the
organisation row they are filed under, which is the best record left of what they submitted.

Revision ID: e13c0a5e0005
Revises: d5e0b6a2c813
Create Date: 2026-12-06 02:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import GUID, JsonB
from alembic import op

revision = "e13c0a5e0005"
down_revision = "d5e0b6a2c813"
branch_labels = None
depends_on = None

_SNAPSHOT_FIELDS = ("name", "type", "charity_number", "company_number", "address", "website")


def upgrade() -> None:
    # Added with server defaults and filled below: SQLite adds NOT NULL columns only with a
    # default, and a batch rebuild of vetting_case would cascade-delete its history.
    with op.batch_alter_table("vetting_case", schema=None) as batch_op:
        batch_op.add_column(sa.Column("organisation_name", sa.String(300), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("organisation_submitted", JsonB, nullable=False, server_default="{}"))
        batch_op.add_column(sa.Column("organisation_link", sa.String(20), nullable=False, server_default="new"))
        batch_op.add_column(sa.Column("organisation_link_basis", sa.String(20), nullable=True))
        batch_op.add_column(sa.Column("linked_organisation_id", GUID(length=16), nullable=True))
    op.create_index("ix_vetting_case_linked_organisation_id", "vetting_case", ["linked_organisation_id"])
    op.create_index(
        "ix_vetting_case_organisation_name_lower", "vetting_case", [sa.text("lower(organisation_name)")]
    )
    conn = op.get_bind()
    organisations = sa.table(
        "organisation", sa.column("id", GUID(length=16)), *(sa.column(f) for f in _SNAPSHOT_FIELDS)
    )
    cases = sa.table(
        "vetting_case",
        sa.column("organisation_id", GUID(length=16)),
        sa.column("organisation_name", sa.String()),
        sa.column("organisation_submitted", JsonB),
    )
    for row in conn.execute(sa.select(organisations)).mappings():
        snapshot = {f: row[f] for f in _SNAPSHOT_FIELDS}
        conn.execute(
            cases.update()
            .where(cases.c.organisation_id == row["id"])
            .values(organisation_name=row["name"], organisation_submitted=snapshot)
        )


def downgrade() -> None:
    op.drop_index("ix_vetting_case_organisation_name_lower", table_name="vetting_case")
    op.drop_index("ix_vetting_case_linked_organisation_id", table_name="vetting_case")
    with op.batch_alter_table("vetting_case", schema=None) as batch_op:
        batch_op.drop_column("linked_organisation_id")
        batch_op.drop_column("organisation_link_basis")
        batch_op.drop_column("organisation_link")
        batch_op.drop_column("organisation_submitted")
        batch_op.drop_column("organisation_name")
