"""Persistence of venues, rooms, linked spaces, closures, bookings, occurrences, holds and feeds."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from advanced_alchemy.base import UUIDAuditBase, UUIDBase
from advanced_alchemy.types import GUID, DateTimeUTC, JsonB
from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vetting.models import VettingCase
from vetting.tenancy import Scope, owned_through, plain, scoped_by


class Venue(UUIDAuditBase):
    """A council or partner venue."""

    __tablename__ = "venue"

    name: Mapped[str] = mapped_column(String(200))
    # The council or partner that owns it; owner_kind and owner_name are kept as shown on pages.
    provider_id: Mapped[UUID] = mapped_column(GUID, nullable=True, index=True)
    owner_kind: Mapped[str] = mapped_column(String(20))  # council or partner
    owner_name: Mapped[str] = mapped_column(String(200), index=True)
    address: Mapped[str] = mapped_column(Text)
    timezone: Mapped[str] = mapped_column(String(60), default="Europe/London")
    contact_email: Mapped[str | None] = mapped_column(String(200), nullable=True)
    contact_phone: Mapped[str | None] = mapped_column(String(40), nullable=True)
    policy_id: Mapped[str] = mapped_column(String(80), default="council-default")
    bank_holidays_region: Mapped[str | None] = mapped_column(String(10), nullable=True, default="ENG")
    # How hirers get in (keys, codes, who opens up): sent with each reminder before a booked date.
    access_instructions: Mapped[str | None] = mapped_column(Text, nullable=True)
    # How to get there (buses, trains, parking), shown on the public directory (migration d18f00000001).
    directions: Mapped[str | None] = mapped_column(Text, nullable=True)
    # The rate card its rooms are priced by (policies/rate_cards/); None: the venue does not charge.
    rate_card_id: Mapped[str | None] = mapped_column(String(80), nullable=True)
    # When the invoice is issued: "approval" (approved, conditions not yet accepted) or, when None
    # or "confirmation", on confirmation (migration d19c00000001).
    invoice_on: Mapped[str | None] = mapped_column(String(20), nullable=True)


class Room(UUIDAuditBase):
    """A bookable space; composite rooms are made of parts (see RoomPart)."""

    __tablename__ = "room"

    venue_id: Mapped[UUID] = mapped_column(ForeignKey("venue.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    capacity: Mapped[int] = mapped_column(Integer)
    accessibility: Mapped[list[str]] = mapped_column(JsonB, default=list)
    opening_hours: Mapped[dict[str, Any]] = mapped_column(JsonB, default=dict)
    buffer_before_minutes: Mapped[int] = mapped_column(Integer, default=0)
    buffer_after_minutes: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Layout code -> people it seats that way (venue_service.LAYOUTS); `capacity` stays the most.
    layouts: Mapped[dict[str, int]] = mapped_column(JsonB, default=dict, server_default=text("'{}'"))
    # Facility codes (venue_service.FACILITIES): kitchen, projector and so on.
    facilities: Mapped[list[str]] = mapped_column(JsonB, default=list, server_default=text("'[]'"))


class RoomPhoto(UUIDAuditBase):
    """A photo of a room for the public directory, as `venues.photos` re-encoded it (resized, no
    metadata); the upload itself is never kept (migration d18f00000001)."""

    __tablename__ = "room_photo"

    room_id: Mapped[UUID] = mapped_column(ForeignKey("room.id", ondelete="CASCADE"), index=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    alt_text: Mapped[str] = mapped_column(String(200))


class RoomPart(UUIDBase):
    """`part_id` is one of the spaces that `room_id` is made of (main hall = hall A + hall B)."""

    __tablename__ = "room_part"
    __table_args__ = (UniqueConstraint("room_id", "part_id", name="uq_room_part"),)

    room_id: Mapped[UUID] = mapped_column(ForeignKey("room.id", ondelete="CASCADE"), index=True)
    part_id: Mapped[UUID] = mapped_column(ForeignKey("room.id", ondelete="CASCADE"), index=True)


class Closure(UUIDAuditBase):
    """Dates a venue (or one room) is closed, inclusive."""

    __tablename__ = "closure"

    venue_id: Mapped[UUID] = mapped_column(ForeignKey("venue.id", ondelete="CASCADE"), index=True)
    room_id: Mapped[UUID | None] = mapped_column(ForeignKey("room.id", ondelete="CASCADE"), nullable=True)
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200))


class Booking(UUIDAuditBase):
    """The room side of a case: which room, which rule, and the calendar identity (UID, SEQUENCE)."""

    __tablename__ = "booking"
    # The reports' room use finds a date's room from this index alone (migration c17e0000000a).
    __table_args__ = (Index("ix_booking_id_room", "id", "room_id"),)

    case_id: Mapped[UUID] = mapped_column(ForeignKey("vetting_case.id", ondelete="CASCADE"), unique=True)
    room_id: Mapped[UUID] = mapped_column(ForeignKey("room.id", ondelete="RESTRICT"), index=True)
    rrule: Mapped[str | None] = mapped_column(String(200), nullable=True)
    uid: Mapped[str] = mapped_column(String(80), unique=True)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    # Never loaded (lazy="raise"): there so that one flush inserts a case before its booking, and
    # a booking before its dates. Code sets the id columns.
    case: Mapped[VettingCase] = relationship(lazy="raise")


class Occurrence(UUIDAuditBase):
    """One date of a booking, as UTC instants and as the venue's local wall-clock time."""

    __tablename__ = "occurrence"
    __table_args__ = (
        UniqueConstraint("booking_id", "seq", name="uq_occurrence_booking_seq"),
        # The reports' room use: a period's dates with their booking and hours, from the index
        # alone (migration c17e0000000a).
        Index("ix_occurrence_start_held", "start_utc", "status", "booking_id", "local_start", "local_end"),
        # Room use by room: each room's held dates of a period are one range of this index, with
        # no date joined to its booking (migration d20r00000001).
        Index("ix_occurrence_room_held", "room_id", "status", "local_start", "local_end"),
        # A feed's rooms' dates in its window (migration d22feed0001).
        Index("ix_occurrence_room_start", "room_id", "start_utc"),
    )

    booking_id: Mapped[UUID] = mapped_column(ForeignKey("booking.id", ondelete="CASCADE"), index=True)
    booking: Mapped[Booking] = relationship(lazy="raise")  # flush order only, as above
    # The booking's room, copied when the date is written (a booking never changes room), so the
    # reports sum a room's hours from the dates alone. Filled by `_room_of_booking` below when the
    # code that adds the date does not say; nullable only because SQLite cannot add a NOT NULL
    # column to a table others refer to without rebuilding it (the migration fills every row).
    room_id: Mapped[UUID | None] = mapped_column(GUID, nullable=True)
    seq: Mapped[int] = mapped_column(Integer)
    start_utc: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), index=True)
    end_utc: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    local_start: Mapped[dt.datetime] = mapped_column(DateTime(timezone=False))
    local_end: Mapped[dt.datetime] = mapped_column(DateTime(timezone=False))
    # requested, held, cancelled, conflicting, released
    status: Mapped[str] = mapped_column(String(20), default="requested", index=True)
    original_start_utc: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)


@event.listens_for(Occurrence, "before_insert")
def _room_of_booking(_mapper: Any, connection: Any, target: Occurrence) -> None:
    """A date added without its room gets its booking's: the booking is flushed before its dates
    (the relationship above), so it is there to read, in the same transaction."""
    if target.room_id is None:
        target.room_id = connection.scalar(select(Booking.room_id).where(Booking.id == target.booking_id))


class OccurrenceHold(UUIDBase):
    """One held slot of one atomic space, buffers included.

    Only occurrences that hold their slot have rows here. On PostgreSQL an exclusion constraint
    makes two overlapping holds of one unit impossible; on SQLite writers are serialised by
    BEGIN IMMEDIATE and the service checks inside the same transaction.
    """

    __tablename__ = "occurrence_hold"
    __table_args__ = (
        ExcludeConstraint(
            (text("unit_id"), "="),
            (text("tstzrange(held_from, held_to, '[)')"), "&&"),
            using="gist",
            name="ex_occurrence_hold_no_overlap",
        ).ddl_if(dialect="postgresql"),
        # held_to too, so the directory's reads of many rooms' holds need only the index.
        Index("ix_occurrence_hold_unit_from_to", "unit_id", "held_from", "held_to"),
    )

    occurrence_id: Mapped[UUID] = mapped_column(ForeignKey("occurrence.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[UUID] = mapped_column(GUID)
    held_from: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    held_to: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))


class Feed(UUIDAuditBase):
    """A calendar subscription; only the SHA-256 of its secret token is stored."""

    __tablename__ = "feed"

    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    owner_id: Mapped[UUID] = mapped_column(GUID, index=True)
    # The organisation of the member of staff who made it; None for a service administrator's.
    provider_id: Mapped[UUID | None] = mapped_column(GUID, nullable=True, index=True)
    scope: Mapped[str] = mapped_column(String(20))  # room, venue, owner, decisions
    target: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(String(20))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    # The last fingerprint served and when it first appeared: Last-Modified moves on any change,
    # deletions included, because it is taken from here rather than from the bookings.
    etag: Mapped[str | None] = mapped_column(String(64), nullable=True)
    content_changed_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)


def _venues_of(s: Scope) -> Any:
    venue = plain(Venue)
    return select(venue.c.id).where(venue.c.provider_id.in_(s.ids))


def _rooms_of(s: Scope) -> Any:
    room, venue = plain(Room), plain(Venue)
    return select(room.c.id).join(venue, venue.c.id == room.c.venue_id).where(venue.c.provider_id.in_(s.ids))


def _in_scoped_room(room_id: Any, s: Scope) -> Any:
    """Rows whose room belongs to the scope, through its venue (tenancy.owned_through)."""
    room, venue = plain(Room).alias("scope_room"), plain(Venue).alias("scope_venue")
    owners = room.join(venue, venue.c.id == room.c.venue_id)
    return owned_through(room_id, room.c.id, venue.c.provider_id, s, owners)


scoped_by(Venue, lambda s: Venue.provider_id.in_(s.ids))
scoped_by(Room, lambda s: Room.venue_id.in_(_venues_of(s)))
scoped_by(Closure, lambda s: Closure.venue_id.in_(_venues_of(s)))
scoped_by(RoomPhoto, lambda s: RoomPhoto.room_id.in_(_rooms_of(s)))
scoped_by(Booking, lambda s: Booking.room_id.in_(_rooms_of(s)))
# A date is its booking's, in its booking's room (copied onto it when written: a booking never
# changes room): tested through the room, PostgreSQL hashed every booking of the organisation to
# narrow a feed's dates (bench/scale.py, ten years).
scoped_by(Occurrence, lambda s: _in_scoped_room(Occurrence.room_id, s))
scoped_by(Feed, lambda s: Feed.provider_id.in_(s.ids))
