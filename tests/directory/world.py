"""Venues, rooms and held bookings for the directory's tests (invented names only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from casework.input import ApplicationRequest
from casework.workflow import Workflow
from tests import factories as f
from venues.booking import BookingService
from venues.models import Room
from venues.venue_service import RoomInput, VenueAdmin

EVENINGS = {d: [["09:00", "22:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat")}


async def held(session: AsyncSession, room: Room, start: dt.datetime, hours: float = 2) -> None:
    """A request for `room` from `start`, approved far enough to hold its slot."""
    request = ApplicationRequest.model_validate(f.application_payload(room.id, start, hours=hours))
    submitted = await Workflow(session).submit(request)
    bookings = BookingService(session)
    await bookings.hold(await bookings.booking_for_case(submitted.case.id))


async def directory_world(session: AsyncSession) -> dict[str, Any]:
    """Two venues: a civic hall (a main hall made of two halves, a small meeting room) and a
    library with one room, with layouts, facilities and directions."""
    venue = await f.make_venue(s := session, "Testtown Civic Hall")
    venue.directions = "Bus 12 stops outside. Testtown station is a 5 minute walk."
    admin = VenueAdmin(s)
    hall_a = await admin.create_room(
        f.ADMIN,
        venue.id,
        RoomInput(
            name="Hall A",
            capacity=60,
            accessibility=["step_free", "hearing_loop"],
            opening_hours=EVENINGS,
            layouts={"theatre": 60, "cabaret": 40},
            facilities=["kitchen", "projector"],
        ),
    )
    hall_b = await admin.create_room(
        f.ADMIN,
        venue.id,
        RoomInput(name="Hall B", capacity=60, accessibility=["step_free"], opening_hours=EVENINGS),
    )
    main = await admin.create_room(
        f.ADMIN,
        venue.id,
        RoomInput(
            name="Main Hall",
            capacity=150,
            accessibility=["step_free", "hearing_loop", "accessible_toilet"],
            opening_hours=EVENINGS,
            parts=[hall_a.id, hall_b.id],
            layouts={"theatre": 150, "standing": 150, "cabaret": 90},
            facilities=["kitchen", "stage", "sound_system"],
        ),
    )
    small = await admin.create_room(
        f.ADMIN,
        venue.id,
        RoomInput(name="Meeting Room", capacity=12, accessibility=[], opening_hours=EVENINGS),
    )
    library = await f.make_venue(s, "Othertown Library")
    reading = await admin.create_room(
        f.ADMIN,
        library.id,
        RoomInput(name="Reading Room", capacity=30, accessibility=["step_free"], opening_hours=EVENINGS),
    )
    return {
        "venue": venue,
        "hall_a": hall_a,
        "hall_b": hall_b,
        "main": main,
        "small": small,
        "library": library,
        "reading": reading,
    }
