"""advanced-alchemy repositories for the venue service (venues/venue_service.py).

Bookings, dates and feeds are read and written with statements built for their hot paths
(bench/), so they have no repository; unused ones were removed rather than kept for show.
"""

from __future__ import annotations

from advanced_alchemy.repository import SQLAlchemyAsyncRepository

from venues.models import Closure, Room, RoomPart, Venue


class VenueRepository(SQLAlchemyAsyncRepository[Venue]):
    model_type = Venue


class RoomRepository(SQLAlchemyAsyncRepository[Room]):
    model_type = Room


class RoomPartRepository(SQLAlchemyAsyncRepository[RoomPart]):
    model_type = RoomPart


class ClosureRepository(SQLAlchemyAsyncRepository[Closure]):
    model_type = Closure
