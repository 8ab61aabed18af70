"""The price of the request the draft describes, for the check page (the quote the invoice will
be made from, worked out the same way: `venues.charges.booking_quote.slots_quote`)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from api.web.booking.draft import Draft
from api.web.booking.schedule import rrule_for, times_for
from casework.charges_view import quote_view
from venues.booking import BookingService
from venues.charges.booking_quote import slots_quote
from venues.models import Room, Venue
from vetting.errors import Conflict, Invalid


async def price_view(db: AsyncSession, venue: Venue, draft: Draft) -> dict[str, Any] | None:
    """The quote, line by line per date; None when the venue does not charge (or the dates are
    not yet settled: the room page says why)."""
    room = await db.get(Room, UUID(draft["room_id"]))
    if room is None:
        return None
    start, end = times_for(draft, venue.timezone)
    try:
        plan = await BookingService(db).plan(room.id, start, end, rrule_for(draft))
    except (Invalid, Conflict):
        return None
    slots = [(o.local_start, o.local_end) for o in plan.occurrences]
    return quote_view(slots_quote(venue, room, str(draft.get("org_type") or ""), slots))
