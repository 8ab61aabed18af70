"""Venues, rooms, linked spaces, closures, availability and room search."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post, put
from litestar.params import Parameter
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import ADMIN, PUBLIC, roles
from api.db.engine import read_only
from api.schemas import (
    AdminVenueOut,
    AvailabilityOut,
    BusyOut,
    ClosureIn,
    ClosureOut,
    OwnerOut,
    PartsIn,
    RoomIn,
    RoomOut,
    VenueIn,
    VenueOut,
)
from venues.booking import BookingService
from venues.models import Room, RoomPart, Venue
from venues.venue_service import (
    ACCESSIBILITY_FEATURES,
    FACILITIES,
    LAYOUTS,
    RoomInput,
    VenueAdmin,
    VenueInput,
)
from vetting.actors import Actor
from vetting.errors import Invalid


def venue_json(v: Venue) -> VenueOut:
    return VenueOut(
        id=v.id,
        name=v.name,
        owner=OwnerOut(kind=v.owner_kind, name=v.owner_name),
        address=v.address,
        timezone=v.timezone,
        contact_email=v.contact_email,
        contact_phone=v.contact_phone,
        policy_id=v.policy_id,
        bank_holidays_region=v.bank_holidays_region,
        directions=v.directions,
    )


def admin_venue_json(v: Venue) -> AdminVenueOut:
    return AdminVenueOut(**venue_json(v).model_dump(), access_instructions=v.access_instructions)


def room_json(r: Room, parts: list[str] | None = None) -> RoomOut:
    return RoomOut(
        id=r.id,
        venue_id=r.venue_id,
        name=r.name,
        capacity=r.capacity,
        accessibility=r.accessibility,
        opening_hours=r.opening_hours,
        buffer_before_minutes=r.buffer_before_minutes,
        buffer_after_minutes=r.buffer_after_minutes,
        parts=[UUID(p) for p in parts or []],
        layouts=r.layouts or {},
        facilities=r.facilities or [],
    )


def _venue_input(data: VenueIn) -> VenueInput:
    return VenueInput(
        name=data.name,
        owner_kind=data.owner.kind,
        owner_name=data.owner.name,
        address=data.address,
        timezone=data.timezone,
        contact_email=data.contact_email,
        contact_phone=data.contact_phone,
        policy_id=data.policy_id,
        bank_holidays_region=data.bank_holidays_region,
        access_instructions=data.access_instructions or None,
        directions=data.directions or None,
    )


def _room_input(data: RoomIn) -> RoomInput:
    before = data.buffer_before_minutes
    after = data.buffer_after_minutes
    if data.buffer_minutes is not None:
        before = after = data.buffer_minutes
    return RoomInput(
        name=data.name,
        capacity=data.capacity,
        accessibility=data.accessibility,
        opening_hours=data.opening_hours,
        buffer_before_minutes=before,
        buffer_after_minutes=after,
        parts=data.parts,
        layouts=data.layouts,
        facilities=data.facilities,
    )


class VenueController(Controller):
    path = "/api/v1"
    tags = ["venues"]

    @post("/venues", operation_id="createVenue", opt=roles(*ADMIN))
    async def create_venue(self, data: VenueIn, staff: Actor, db_session: AsyncSession) -> AdminVenueOut:
        venue = await VenueAdmin(db_session).create_venue(staff, _venue_input(data))
        return admin_venue_json(venue)

    @put("/venues/{venue_id:uuid}", operation_id="updateVenue", opt=roles(*ADMIN))
    async def update_venue(
        self, venue_id: UUID, data: VenueIn, staff: Actor, db_session: AsyncSession
    ) -> AdminVenueOut:
        venue = await VenueAdmin(db_session).update_venue(staff, venue_id, _venue_input(data))
        return admin_venue_json(venue)

    @get("/venues", operation_id="listVenues", opt=roles(PUBLIC))
    async def list_venues(self, db_session: AsyncSession) -> list[VenueOut]:
        venues = (await db_session.execute(select(Venue).order_by(Venue.name))).scalars()
        return [venue_json(v) for v in venues]

    @get("/venues/{venue_id:uuid}/rooms", operation_id="listRooms", opt=roles(PUBLIC))
    async def list_rooms(self, venue_id: UUID, db_session: AsyncSession) -> list[RoomOut]:
        await VenueAdmin(db_session).get_venue(venue_id)
        rooms = (
            await db_session.execute(select(Room).where(Room.venue_id == venue_id).order_by(Room.name))
        ).scalars()
        parts = await _parts(db_session)
        return [room_json(r, parts.get(r.id)) for r in rooms]

    @post("/venues/{venue_id:uuid}/rooms", operation_id="createRoom", opt=roles(*ADMIN))
    async def create_room(
        self, venue_id: UUID, data: RoomIn, staff: Actor, db_session: AsyncSession
    ) -> RoomOut:
        room = await VenueAdmin(db_session).create_room(staff, venue_id, _room_input(data))
        return room_json(room, [str(p) for p in data.parts])

    @put("/rooms/{room_id:uuid}", operation_id="updateRoom", opt=roles(*ADMIN))
    async def update_room(
        self, room_id: UUID, data: RoomIn, staff: Actor, db_session: AsyncSession
    ) -> RoomOut:
        room = await VenueAdmin(db_session).update_room(staff, room_id, _room_input(data))
        return room_json(room, [str(p) for p in data.parts])

    @put("/rooms/{room_id:uuid}/parts", operation_id="setRoomParts", opt=roles(*ADMIN))
    async def set_parts(
        self, room_id: UUID, data: PartsIn, staff: Actor, db_session: AsyncSession
    ) -> RoomOut:
        admin = VenueAdmin(db_session)
        await admin.set_parts(staff, room_id, data.parts)
        return room_json(await admin.get_room(room_id), [str(p) for p in data.parts])

    @post("/venues/{venue_id:uuid}/closures", operation_id="addClosure", opt=roles(*ADMIN))
    async def add_closure(
        self, venue_id: UUID, data: ClosureIn, staff: Actor, db_session: AsyncSession
    ) -> ClosureOut:
        closure = await VenueAdmin(db_session).add_closure(
            staff, venue_id, data.start_date, data.end_date, data.reason, data.room_id
        )
        return ClosureOut(
            id=closure.id,
            venue_id=closure.venue_id,
            room_id=closure.room_id,
            start_date=closure.start_date.isoformat(),
            end_date=closure.end_date.isoformat(),
            reason=closure.reason,
        )

    @get("/accessibility-features", operation_id="listAccessibilityFeatures", opt=roles(PUBLIC))
    async def accessibility_features(self) -> dict[str, str]:
        return ACCESSIBILITY_FEATURES

    @get("/room-facilities", operation_id="listRoomFacilities", opt=roles(PUBLIC))
    async def room_facilities(self) -> dict[str, dict[str, str]]:
        """The facility and layout codes rooms may carry, with their words."""
        return {"facilities": FACILITIES, "layouts": LAYOUTS}

    @get("/rooms/{room_id:uuid}/availability", operation_id="roomAvailability", opt=roles(PUBLIC))
    async def availability(
        self,
        room_id: UUID,
        db_session: AsyncSession,
        start: dt.datetime,
        end: dt.datetime,
    ) -> AvailabilityOut:
        read_only()  # SQLite: a deferred transaction that never waits for writers
        start, end = _aware(start, "start"), _aware(end, "end")
        if end <= start:
            raise Invalid("end must be after start", {"end": "must be after start"})
        if end - start > dt.timedelta(days=400):
            raise Invalid("ask for at most 400 days at a time", {"end": "at most 400 days after start"})
        service = BookingService(db_session)
        room, venue = await service.room_and_venue(room_id)
        busy = await service.busy(room_id, start, end)
        return AvailabilityOut(
            room_id=room.id,
            timezone=venue.timezone,
            opening_hours=room.opening_hours,
            busy=[BusyOut(start=a.isoformat(), end=b.isoformat()) for a, b in busy],
        )

    @get("/rooms/search", operation_id="searchRooms", opt=roles(PUBLIC))
    async def search(
        self,
        db_session: AsyncSession,
        start: dt.datetime,
        end: dt.datetime,
        rrule: str | None = None,
        capacity: Annotated[int, Parameter(ge=1, le=100_000)] = 1,
        features: list[str] | None = None,
        venue_id: UUID | None = None,
    ) -> list[RoomOut]:
        start, end = _aware(start, "start"), _aware(end, "end")
        unknown = sorted(set(features or []) - set(ACCESSIBILITY_FEATURES))
        if unknown:
            raise Invalid("unknown accessibility features", {"features": ", ".join(unknown)})
        rooms = await BookingService(db_session).search(
            start=start,
            end=end,
            rrule=rrule,
            min_capacity=capacity,
            features=features or [],
            venue_id=venue_id,
        )
        return [room_json(r) for r in rooms]


def _aware(value: dt.datetime, name: str) -> dt.datetime:
    if value.tzinfo is None:
        raise Invalid(f"{name} needs a time zone offset", {name: "include an offset such as +00:00"})
    # Buffers and time zone arithmetic overflow at the ends of the calendar (found by schemathesis).
    if not 1900 <= value.year <= 2999:
        raise Invalid(f"{name} is out of range", {name: "a date between the years 1900 and 2999"})
    return value


async def _parts(session: AsyncSession) -> dict[UUID, list[str]]:
    out: dict[UUID, list[str]] = {}
    for room_id, part_id in await session.execute(select(RoomPart.room_id, RoomPart.part_id)):
        out.setdefault(room_id, []).append(str(part_id))
    return out
