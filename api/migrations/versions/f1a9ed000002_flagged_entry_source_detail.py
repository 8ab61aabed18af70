"""flagged entry source detail: hand-added entries are always screened

Until now an officer's free-text "source" (say "council records") became the entry's source, and
the matcher loads only the sources a policy lists, so such an entry was stored, shown as active
and never matched. Hand-added entries now all have the source "local", which every policy
screens, and the officer's text is kept as provenance in ``source_detail``.

This moves the entries already added by hand: those whose reference the service generated
(``manual-<n>``) or that still carry the list version of their "entry added" event. A reference
that "local" already holds is prefixed with the old source, so nothing clashes.

Revision ID: f1a9ed000002
Revises: e13c0a5e0005
Create Date: 2026-12-06 02:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "f1a9ed000002"
down_revision = "e13c0a5e0005"
branch_labels = None
depends_on = None

LOCAL = "local"


def upgrade() -> None:
    op.add_column("flagged_entry", sa.Column("source_detail", sa.String(length=200), nullable=True))
    bind = op.get_bind()
    entry = sa.table(
        "flagged_entry",
        sa.column("id", sa.Uuid()),
        sa.column("source", sa.String()),
        sa.column("source_ref", sa.String()),
        sa.column("source_detail", sa.String()),
        sa.column("list_version", sa.Integer()),
    )
    version = sa.table("flagged_list_version", sa.column("id", sa.Integer()), sa.column("note", sa.String()))
    added_by_hand = sa.select(version.c.id).where(version.c.note == "entry added")
    rows = bind.execute(
        sa.select(entry.c.id, entry.c.source, entry.c.source_ref)
        .where(entry.c.source != LOCAL)
        .where(sa.or_(entry.c.source_ref.like("manual-%"), entry.c.list_version.in_(added_by_hand)))
        .order_by(entry.c.source_ref)
    ).all()
    taken = set(bind.execute(sa.select(entry.c.source_ref).where(entry.c.source == LOCAL)).scalars())
    for row in rows:
        ref = row.source_ref
        if ref in taken:
            ref = f"{row.source}:{ref}"[:120]
        taken.add(ref)
        bind.execute(
            entry.update()
            .where(entry.c.id == row.id)
            .values(source=LOCAL, source_ref=ref, source_detail=row.source[:200])
        )


def downgrade() -> None:
    bind = op.get_bind()
    entry = sa.table(
        "flagged_entry",
        sa.column("source", sa.String()),
        sa.column("source_detail", sa.String()),
    )
    # Give moved entries their old source back (the text was at most 80 characters then).
    bind.execute(
        entry.update()
        .where(entry.c.source == LOCAL, entry.c.source_detail.is_not(None))
        .values(source=sa.func.substr(entry.c.source_detail, 1, 80))
    )
    with op.batch_alter_table("flagged_entry") as batch:
        batch.drop_column("source_detail")
