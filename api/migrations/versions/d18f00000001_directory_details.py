"""directory details

The public directory (/venues) shows each room's capacity by layout and its facilities, and how
to get to each venue: room.layouts (layout code -> people), room.facilities (codes) and
venue.directions; existing rows get an empty object, an empty list and no directions. And room
photos that staff upload: room_photo (the re-encoded image, its size and its alternative text).

Revision ID: d18f00000001
Revises: d18d00000001
Create Date: 2026-12-06 11:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC, JsonB
from alembic import op

revision = "d18f00000001"
down_revision = "d18d00000001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN: a batch rebuild of room or venue on SQLite drops the table, which bookings
    # refer to (RESTRICT), so upgrading a database with bookings would fail.
    op.add_column("room", sa.Column("layouts", JsonB, server_default=sa.text("'{}'"), nullable=False))
    op.add_column("room", sa.Column("facilities", JsonB, server_default=sa.text("'[]'"), nullable=False))
    op.add_column("venue", sa.Column("directions", sa.Text(), nullable=True))
    op.create_table(
        "room_photo",
        sa.Column("id", GUID(length=16), nullable=False),
        sa.Column("room_id", GUID(length=16), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("alt_text", sa.String(length=200), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["room_id"], ["room.id"], name=op.f("fk_room_photo_room_id_room"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_room_photo")),
    )
    op.create_index(op.f("ix_room_photo_room_id"), "room_photo", ["room_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_room_photo_room_id"), table_name="room_photo")
    op.drop_table("room_photo")
    op.drop_column("venue", "directions")
    op.drop_column("room", "facilities")
    op.drop_column("room", "layouts")
