"""Venues, rooms, linked spaces, closures and availability: request bodies and answers."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import Field, StringConstraints

from api.schemas.common import In, Name, Out
from vetting.clean_text import MULTILINE


class OwnerIn(In):
    kind: Literal["council", "partner"]
    name: Name


class VenueIn(In):
    name: Name
    owner: OwnerIn
    address: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000), MULTILINE
    ]
    timezone: str = "Europe/London"
    contact_email: str | None = None
    contact_phone: str | None = None
    policy_id: str = "council-default"
    bank_holidays_region: Literal["ENG", "WLS", "SCT", "NIR"] | None = "ENG"
    # Sent to hirers with each reminder before a booked date (keys, door codes, who opens up).
    access_instructions: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000), MULTILINE] | None
    ) = None
    # How to get there, shown on the public directory.
    directions: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000), MULTILINE] | None
    ) = None


class RoomIn(In):
    name: Name
    capacity: int = Field(ge=1, le=100_000)
    accessibility: list[str] = Field(default_factory=list, max_length=20)
    opening_hours: dict[str, list[list[str]]] = Field(default_factory=dict)
    buffer_minutes: int | None = Field(default=None, ge=0, le=240)
    buffer_before_minutes: int = Field(default=0, ge=0, le=240)
    buffer_after_minutes: int = Field(default=0, ge=0, le=240)
    parts: list[UUID] = Field(default_factory=list, max_length=20)
    # Layout code -> people seated that way; facility codes (GET /api/v1/room-facilities lists both).
    layouts: dict[str, int] = Field(default_factory=dict, max_length=10)
    facilities: list[str] = Field(default_factory=list, max_length=20)


class PartsIn(In):
    parts: list[UUID] = Field(max_length=20)


class ClosureIn(In):
    start_date: dt.date
    end_date: dt.date
    reason: Name
    room_id: UUID | None = None


class OwnerOut(Out):
    kind: str
    name: str


class VenueOut(Out):
    id: UUID
    name: str
    owner: OwnerOut
    address: str
    timezone: str
    contact_email: str | None
    contact_phone: str | None
    policy_id: str
    bank_holidays_region: str | None
    directions: str | None = None


class AdminVenueOut(VenueOut):
    """A venue as its administrators see it: with how hirers get in, which the public list omits
    (door codes are for confirmed hirers, in their reminders)."""

    access_instructions: str | None = None


class RoomOut(Out):
    id: UUID
    venue_id: UUID
    name: str
    capacity: int
    accessibility: list[str]
    # Day name -> [[opening, closing], ...] as the venue entered it.
    opening_hours: dict[str, Any]
    buffer_before_minutes: int
    buffer_after_minutes: int
    parts: list[UUID] = Field(description="ids of the rooms this room is made of")
    layouts: dict[str, int] = Field(default_factory=dict, description="layout code -> people")
    facilities: list[str] = Field(default_factory=list)


class ClosureOut(Out):
    id: UUID
    venue_id: UUID
    room_id: UUID | None
    start_date: str = Field(description="ISO date")
    end_date: str = Field(description="ISO date")
    reason: str


class BusyOut(Out):
    start: str = Field(description="ISO date-time with offset")
    end: str = Field(description="ISO date-time with offset")


class AvailabilityOut(Out):
    room_id: UUID
    timezone: str
    opening_hours: dict[str, Any]
    busy: list[BusyOut]
