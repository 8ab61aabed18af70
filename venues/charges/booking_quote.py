"""Quotes for bookings as stored: the rate card of the room's venue applied to its dates.

The booking form's check page, the officer's case page, the hirer's status page and the invoice
all come through here (or `slots_quote`, for dates not yet stored), so each shows the same sum.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from policies.rate_card import RateCard
from policies.rate_card_loader import bundled_rate_card, bundled_rate_card_ids
from venues.charges.quote import NotPriced, Quote, quote
from venues.models import Booking, Occurrence, Room, Venue
from vetting.models import VettingCase

# Dates that no longer take place are not charged.
UNCHARGED = ("cancelled", "released")
# The case check an officer settles before a claimed concession stands (casework.charge_terms).
CONCESSION_CHECK = "concession"


@dataclass(frozen=True)
class Terms:
    """What a case asked of the rate card: its organisation type (which sets the hirer's
    category), the extras chosen, and whether the category's concession is given (not when an
    officer recorded the concession check as not satisfied)."""

    organisation_type: str
    extras: tuple[str, ...] = ()
    concession: bool = True


def case_terms(case: VettingCase) -> Terms:
    submitted = case.organisation_submitted or {}
    charges = case.charges or {}
    refused = any(
        c.get("check") == CONCESSION_CHECK and c.get("outcome") == "fail" for c in case.checks or []
    )
    return Terms(
        organisation_type=str(submitted.get("type") or ""),
        extras=tuple(str(e) for e in charges.get("extras") or ()),
        concession=not refused,
    )


@dataclass(frozen=True)
class Priced:
    """A quote, or why there is none: the venue does not charge (both None), or the card has no
    price for something asked (`problem`)."""

    quote: Quote | None = None
    problem: str | None = None
    card: RateCard | None = None


def rate_card_of(venue: Venue) -> RateCard | None:
    if not venue.rate_card_id or venue.rate_card_id not in bundled_rate_card_ids():
        return None
    return bundled_rate_card(venue.rate_card_id)


def slots_quote(
    venue: Venue,
    room: Room,
    organisation_type: str,
    slots: Sequence[tuple[dt.datetime, dt.datetime]],
    extras: Sequence[str] = (),
    *,
    concession: bool = True,
) -> Priced:
    """Price wall-clock slots of `room` for a hirer whose organisation is of this type."""
    card = rate_card_of(venue)
    if card is None:
        return Priced()
    category = card.category_for(organisation_type)
    try:
        return Priced(
            quote(
                card,
                room.name,
                category.id,
                slots,
                setup_minutes=room.buffer_before_minutes,
                cleardown_minutes=room.buffer_after_minutes,
                extras=extras,
                concession=concession,
            ),
            card=card,
        )
    except NotPriced as exc:
        return Priced(problem=str(exc), card=card)


async def case_quote(session: AsyncSession, case: VettingCase) -> tuple[Priced, Venue | None, Room | None]:
    """The quote for the dates of a case's booking still to take place (or already held), on the
    terms the case asked for (`case_terms`)."""
    terms = case_terms(case)
    booking = (await session.execute(select(Booking).where(Booking.case_id == case.id))).scalar_one_or_none()
    if booking is None:
        return Priced(), None, None
    room = await session.get(Room, booking.room_id)
    venue = await session.get(Venue, room.venue_id) if room else None
    if room is None or venue is None:
        return Priced(), None, None
    rows = await session.execute(
        select(Occurrence.local_start, Occurrence.local_end)
        .where(Occurrence.booking_id == booking.id, Occurrence.status.not_in(UNCHARGED))
        .order_by(Occurrence.local_start)
    )
    slots = [(start, end) for start, end in rows.all()]
    if not slots:
        return Priced(), venue, room
    priced = slots_quote(
        venue, room, terms.organisation_type, slots, terms.extras, concession=terms.concession
    )
    return priced, venue, room
