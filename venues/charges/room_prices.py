"""A room's prices as the public directory shows them, read from its venue's rate card.

Pure (no database, no web). The directory says what a room costs before anyone asks: the lowest
standard price ("from £24.00 an hour"), and on the room's page each rate band, the minimum hire,
whether VAT is added, the refundable deposit and the concessions some hirers may claim. The
standard price is a band's own price: what a hirer pays whose category has no price of its own in
the band, before any percentage concession (`venues.charges.quote` prices a booking from the same
bands, so the figures agree with the booking form's quote).
"""

from __future__ import annotations

from dataclasses import dataclass

from policies.rate_card import WEEKDAY_CODES, RateCard, clock_minutes
from policies.rate_card_loader import bundled_rate_card, bundled_rate_card_ids


@dataclass(frozen=True)
class BandPrice:
    days: tuple[str, ...]  # day codes: mon ... sun, bank_holiday
    start_minutes: int  # from midnight
    end_minutes: int
    pence: int
    per: str  # "hour" or "session"


@dataclass(frozen=True)
class RoomPrices:
    lowest: BandPrice  # the band with the lowest standard price, hourly bands first
    bands: tuple[BandPrice, ...]  # in the order of the week, then of the day
    minimum_hours: int
    vat_added: bool  # the hire is taxed (the price shown is before VAT)
    deposit_pence: int  # refundable, for hirers with no deposit of their own category
    concessions: tuple[tuple[str, int], ...]  # (category label, percent off the hire)


def rate_card(card_id: str | None) -> RateCard | None:
    """The venue's rate card, or None when it does not charge (or names no card we have)."""
    if not card_id or card_id not in bundled_rate_card_ids():
        return None
    return bundled_rate_card(card_id)


def _day_order(band: BandPrice) -> tuple[int, int]:
    first = min((*WEEKDAY_CODES, "bank_holiday").index(d) for d in band.days)
    return first, band.start_minutes


def room_prices(card: RateCard | None, room_name: str) -> RoomPrices | None:
    """The prices of the room of this name, or None when the card does not price it."""
    rates = card.room_rates(room_name) if card is not None else None
    if card is None or rates is None:
        return None
    bands = tuple(
        sorted(
            (
                BandPrice(
                    tuple(b.days),
                    clock_minutes(b.start),
                    clock_minutes(b.end),
                    b.hourly_pence if b.hourly_pence is not None else b.session_pence or 0,
                    "hour" if b.hourly_pence is not None else "session",
                )
                for b in rates.bands
            ),
            key=_day_order,
        )
    )
    lowest = min(bands, key=lambda b: (b.per != "hour", b.pence))
    vat = rates.vat or card.hire_vat
    return RoomPrices(
        lowest=lowest,
        bands=bands,
        minimum_hours=rates.minimum_hours,
        vat_added=vat in ("standard", "reduced"),
        deposit_pence=rates.deposit_pence.get("default", 0),
        concessions=tuple(
            (c.label, c.concession_percent) for c in card.categories if 0 < c.concession_percent < 100
        ),
    )


__all__ = ["BandPrice", "RoomPrices", "rate_card", "room_prices"]
