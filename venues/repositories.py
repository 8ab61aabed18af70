"""advanced-alchemy repositories for the venues models."""

from __future__ import annotations

from advanced_alchemy.repository import SQLAlchemyAsyncRepository

from venues.models import Booking, Closure, Feed, Occurrence, Room, RoomPart, Venue


class VenueRepository(SQLAlchemyAsyncRepository[Venue]):
    model_type = Venue


class RoomRepository(SQLAlchemyAsyncRepository[Room]):
    model_type = Room


class RoomPartRepository(SQLAlchemyAsyncRepository[RoomPart]):
    model_type = RoomPart


class ClosureRepository(SQLAlchemyAsyncRepository[Closure]):
    model_type = Closure


class BookingRepository(SQLAlchemyAsyncRepository[Booking]):
    model_type = Booking


class OccurrenceRepository(SQLAlchemyAsyncRepository[Occurrence]):
    model_type = Occurrence


class FeedRepository(SQLAlchemyAsyncRepository[Feed]):
    model_type = Feed
