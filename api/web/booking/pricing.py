"""The price of the request the draft describes, for the check page (the quote the invoice will
be made from, worked out the same way: `venues.charges.booking_quote.slots_quote`), and the
extras the room page offers. A change of room, dates or extras is priced afresh on the check
page: nothing of an earlier price is kept in the draft."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from api.web.booking.draft import Draft
from api.web.booking.schedule import rrule_for, times_for
from casework.charges_view import quote_view
from policies.rate_card import VAT_WORDS
from venues.booking import BookingService
from venues.charges.booking_quote import rate_card_of, slots_quote
from venues.charges.money import pounds
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
    extras = [str(e) for e in draft.get("extras") or []]
    return quote_view(slots_quote(venue, room, str(draft.get("org_type") or ""), slots, extras))


def extras_offered(venue: Venue) -> list[dict[str, Any]]:
    """The extras the venue's rate card offers, each with its price in words (none: no card)."""
    card = rate_card_of(venue)
    if card is None:
        return []
    return [
        {
            "id": e.id,
            "label": e.label,
            "rooms": list(e.rooms),
            "text": f"{e.label}: {pounds(e.pence)} {'a date' if e.per == 'booking' else 'an hour'}"
            + (f" ({VAT_WORDS[e.vat]})" if e.vat != "exempt" else "")
            + (f", only with {', '.join(e.rooms)}" if e.rooms else ""),
        }
        for e in card.extras
    ]


def extras_errors(offered: list[dict[str, Any]], chosen: list[str], room_name: str | None) -> dict[str, str]:
    """An error when a chosen extra is not offered with the chosen room."""
    for extra in offered:
        if extra["id"] in chosen and extra["rooms"] and room_name not in extra["rooms"]:
            return {"extras": f"{extra['label']} is only offered with {', '.join(extra['rooms'])}"}
    return {}
