"""Creating and editing venues, rooms, linked spaces and closures (admin only).

An organisation's administrators reach only their organisation's venues: the session is scoped
(vetting/tenancy.py), so another organisation's venue, room or closure is "not found" here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from venues.linked_spaces import LinkedSpaceError, atomic_units
from venues.models import Closure, Room, RoomPart, Venue
from venues.opening_hours import OpeningHours, OpeningHoursError
from venues.repositories import ClosureRepository, RoomPartRepository, RoomRepository, VenueRepository
from vetting import direct_sql
from vetting.actors import Actor
from vetting.errors import Forbidden, Invalid, NotFound
from vetting.provider_directory import get_provider, provider_for_owner
from vetting.providers import ProviderKind

ACCESSIBILITY_FEATURES: dict[str, str] = {
    "step_free": "Step-free access",
    "hearing_loop": "Hearing loop",
    "accessible_toilet": "Accessible toilet",
    "changing_places": "Changing Places toilet",
    "parking": "Accessible parking",
    "lift": "Lift to all floors",
    "quiet_room": "Quiet room nearby",
    "large_print": "Large-print signage",
}
# What a room has to use, shown and filtered on in the public directory.
FACILITIES: dict[str, str] = {
    "kitchen": "Kitchen",
    "projector": "Projector and screen",
    "wifi": "Wi-Fi",
    "sound_system": "Sound system",
    "stage": "Stage",
    "tables_chairs": "Tables and chairs",
    "baby_changing": "Baby changing",
    "outdoor_space": "Outdoor space",
}
# How a room can be laid out; each room says how many it seats in the layouts it offers.
LAYOUTS: dict[str, str] = {
    "theatre": "Theatre (rows of chairs)",
    "classroom": "Classroom (tables facing the front)",
    "cabaret": "Cabaret (round tables)",
    "boardroom": "Boardroom (one table)",
    "standing": "Standing",
}


@dataclass
class VenueInput:
    name: str
    owner_kind: str
    owner_name: str
    address: str
    timezone: str = "Europe/London"
    contact_email: str | None = None
    contact_phone: str | None = None
    policy_id: str = "council-default"
    bank_holidays_region: str | None = "ENG"
    access_instructions: str | None = None
    directions: str | None = None
    # When the venue invoices: None or "confirmation" (the default), or "approval".
    invoice_on: str | None = None


@dataclass
class RoomInput:
    name: str
    capacity: int
    accessibility: list[str] = field(default_factory=list)
    opening_hours: dict[str, Any] = field(default_factory=dict)
    buffer_before_minutes: int = 0
    buffer_after_minutes: int = 0
    parts: list[UUID] = field(default_factory=list)
    layouts: dict[str, int] = field(default_factory=dict)
    facilities: list[str] = field(default_factory=list)


# What `VenueAdmin.edit_details` changes: everything but the owner.
DETAILS = (
    "name",
    "address",
    "timezone",
    "contact_email",
    "contact_phone",
    "policy_id",
    "bank_holidays_region",
    "access_instructions",
    "invoice_on",
)


def _require_admin(actor: Actor) -> None:
    if actor.role != "admin":
        raise Forbidden("only an administrator may change venues and rooms")


def validate_venue(data: VenueInput) -> None:
    errors: dict[str, str] = {}
    if data.owner_kind not in ("council", "partner"):
        errors["owner.kind"] = "must be 'council' or 'partner'"
    if not data.name.strip():
        errors["name"] = "is required"
    try:
        ZoneInfo(data.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        errors["timezone"] = f"unknown time zone {data.timezone!r}"
    if data.bank_holidays_region not in (None, "ENG", "WLS", "SCT", "NIR"):
        errors["bank_holidays_region"] = "must be ENG, WLS, SCT, NIR or empty"
    if data.invoice_on not in (None, "confirmation", "approval"):
        errors["invoice_on"] = "must be 'confirmation' or 'approval'"
    from policies import bundled_policy_ids

    if data.policy_id not in bundled_policy_ids():
        errors["policy_id"] = f"unknown policy {data.policy_id!r}"
    if errors:
        raise Invalid("the venue is not valid", errors)


def validate_room(data: RoomInput) -> None:
    errors: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = "is required"
    if data.capacity < 1:
        errors["capacity"] = "must be at least 1"
    unknown = sorted(set(data.accessibility) - set(ACCESSIBILITY_FEATURES))
    if unknown:
        errors["accessibility"] = (
            f"unknown codes {', '.join(unknown)}; known: {', '.join(ACCESSIBILITY_FEATURES)}"
        )
    unknown = sorted(set(data.facilities) - set(FACILITIES))
    if unknown:
        errors["facilities"] = f"unknown codes {', '.join(unknown)}; known: {', '.join(FACILITIES)}"
    unknown = sorted(set(data.layouts) - set(LAYOUTS))
    if unknown:
        errors["layouts"] = f"unknown layouts {', '.join(unknown)}; known: {', '.join(LAYOUTS)}"
    elif any(not 1 <= seats <= data.capacity for seats in data.layouts.values()):
        errors["layouts"] = "each layout seats from 1 to the room's capacity"
    try:
        OpeningHours.parse(data.opening_hours)
    except OpeningHoursError as exc:
        errors["opening_hours"] = str(exc)
    for name in ("buffer_before_minutes", "buffer_after_minutes"):
        value = getattr(data, name)
        if not 0 <= value <= 240:
            errors[name] = "must be between 0 and 240 minutes"
    if errors:
        raise Invalid("the room is not valid", errors)


class VenueAdmin:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.venues = VenueRepository(session=session)
        self.rooms = RoomRepository(session=session)
        self.parts = RoomPartRepository(session=session)
        self.closures = ClosureRepository(session=session)

    async def get_venue(self, venue_id: UUID) -> Venue:
        venue = await self.venues.get_one_or_none(id=venue_id)
        if venue is None:
            raise NotFound("no such venue")
        return venue

    async def get_room(self, room_id: UUID) -> Room:
        room = await self.rooms.get_one_or_none(id=room_id)
        if room is None:
            raise NotFound("no such room")
        return room

    async def _owned(self, actor: Actor, data: VenueInput) -> tuple[UUID, VenueInput]:
        """Whose venue this is: an organisation's administrator adds to their own organisation;
        an administrator of the whole service names the owner, made on first use."""
        if actor.provider_id is not None:
            provider = await get_provider(self.session, actor.provider_id)
            kind = "council" if ProviderKind(provider.kind).is_council else "partner"
            data = replace(data, owner_kind=kind, owner_name=provider.name)
        else:
            provider = await provider_for_owner(self.session, data.owner_kind, data.owner_name)
        # An organisation may limit its venues to the policies it has adopted.
        if provider.policy_ids and data.policy_id not in provider.policy_ids:
            raise Invalid(
                "the venue is not valid",
                {"policy_id": f"{provider.name} allows only {', '.join(provider.policy_ids)}"},
            )
        return provider.id, data

    async def create_venue(self, actor: Actor, data: VenueInput) -> Venue:
        _require_admin(actor)
        validate_venue(data)
        provider_id, data = await self._owned(actor, data)
        venue = Venue(provider_id=provider_id, **data.__dict__)
        return await self.venues.add(venue)

    async def update_venue(self, actor: Actor, venue_id: UUID, data: VenueInput) -> Venue:
        _require_admin(actor)
        validate_venue(data)
        venue = await self.get_venue(venue_id)
        venue.provider_id, data = await self._owned(actor, data)
        for key, value in data.__dict__.items():
            setattr(venue, key, value)
        return await self.venues.update(venue)

    async def edit_details(self, actor: Actor, venue_id: UUID, data: VenueInput) -> Venue:
        """Change a venue's own details (the console's edit form); its owner stays as it is, so
        an organisation renamed since the venue was added does not make a new owner."""
        _require_admin(actor)
        validate_venue(data)
        venue = await self.get_venue(venue_id)
        provider = await get_provider(self.session, venue.provider_id) if venue.provider_id else None
        if provider is not None and provider.policy_ids and data.policy_id not in provider.policy_ids:
            raise Invalid(
                "the venue is not valid",
                {"policy_id": f"{provider.name} allows only {', '.join(provider.policy_ids)}"},
            )
        for key in DETAILS:
            setattr(venue, key, getattr(data, key))
        return await self.venues.update(venue)

    async def create_room(self, actor: Actor, venue_id: UUID, data: RoomInput) -> Room:
        _require_admin(actor)
        validate_room(data)
        await self.get_venue(venue_id)
        room = Room(
            venue_id=venue_id,
            name=data.name,
            capacity=data.capacity,
            accessibility=sorted(set(data.accessibility)),
            opening_hours=OpeningHours.parse(data.opening_hours).to_json() if data.opening_hours else {},
            buffer_before_minutes=data.buffer_before_minutes,
            buffer_after_minutes=data.buffer_after_minutes,
            layouts=dict(data.layouts),
            facilities=sorted(set(data.facilities)),
        )
        room = await self.rooms.add(room)
        if data.parts:
            await self.set_parts(actor, room.id, data.parts)
        return room

    async def update_room(self, actor: Actor, room_id: UUID, data: RoomInput) -> Room:
        _require_admin(actor)
        validate_room(data)
        room = await self.get_room(room_id)
        room.name = data.name
        room.capacity = data.capacity
        room.accessibility = sorted(set(data.accessibility))
        room.opening_hours = OpeningHours.parse(data.opening_hours).to_json() if data.opening_hours else {}
        room.buffer_before_minutes = data.buffer_before_minutes
        room.buffer_after_minutes = data.buffer_after_minutes
        room.layouts = dict(data.layouts)
        room.facilities = sorted(set(data.facilities))
        room = await self.rooms.update(room)
        await self.set_parts(actor, room_id, data.parts)
        return room

    async def set_parts(self, actor: Actor, room_id: UUID, part_ids: Sequence[UUID]) -> None:
        """Declare `room_id` as made of `part_ids` (same venue, no cycles)."""
        _require_admin(actor)
        room = await self.get_room(room_id)
        for part_id in part_ids:
            part = await self.get_room(part_id)
            if part.venue_id != room.venue_id:
                raise Invalid("linked spaces must be in the same venue", {"parts": "part in another venue"})
        parts_of = await parts_map(self.session, room.venue_id)
        parts_of[str(room_id)] = [str(p) for p in part_ids]
        try:
            atomic_units(str(room_id), parts_of)
        except LinkedSpaceError as exc:
            raise Invalid(str(exc), {"parts": str(exc)}) from exc
        await self.parts.delete_where(RoomPart.room_id == room_id)
        for part_id in part_ids:
            await self.parts.add(RoomPart(room_id=room_id, part_id=part_id))

    async def add_closure(
        self,
        actor: Actor,
        venue_id: UUID,
        start: dt.date,
        end: dt.date,
        reason: str,
        room_id: UUID | None = None,
    ) -> Closure:
        _require_admin(actor)
        await self.get_venue(venue_id)
        if end < start:
            raise Invalid("the closure ends before it starts", {"end_date": "must not be before start_date"})
        if not reason.strip():
            raise Invalid("a closure needs a reason", {"reason": "is required"})
        closure = Closure(
            venue_id=venue_id, room_id=room_id, start_date=start, end_date=end, reason=reason.strip()
        )
        return await self.closures.add(closure)

    async def get_closure(self, closure_id: UUID) -> Closure:
        closure = await self.closures.get_one_or_none(id=closure_id)
        if closure is None:
            raise NotFound("no such closure")
        return closure

    async def remove_closure(self, actor: Actor, closure_id: UUID) -> Closure:
        """Reopen the dates of a closure (the closure row goes; the audit record keeps it)."""
        _require_admin(actor)
        closure = await self.get_closure(closure_id)
        await self.closures.delete(closure.id)
        return closure


# Built once: every booking request runs it, and building a statement (and its cache key) costs
# about as much as running it on SQLite.
_PARTS_OF_VENUE = (
    select(RoomPart.room_id, RoomPart.part_id)
    .join(Room, Room.id == RoomPart.room_id)
    .where(Room.venue_id == bindparam("venue_id"))
)


async def parts_map(session: AsyncSession, venue_id: UUID) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for room_id, part_id in await direct_sql.rows(session, _PARTS_OF_VENUE, {"venue_id": venue_id}):
        out.setdefault(str(room_id), []).append(str(part_id))
    return out
