"""Rate cards: what a venue charges for its rooms, as data a council edits (TOML files under
``policies/rate_cards/``, checked by ``venue-hire policies check``), versioned like policies.

Money is whole pence (``int``) everywhere; a rate card holds no floats. Rounding rule: an amount
with a fraction of a penny (hourly hire for part of an hour, a percentage concession, VAT) is
rounded **once, on its own line**, to the nearest penny with halves rounded away from zero
(``Decimal.quantize(..., ROUND_HALF_UP)``); totals are sums of rounded lines and are never
rounded again. VAT is worked out per line from that line's net amount and VAT code.
"""

from __future__ import annotations

from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from typing import Literal

from pydantic import Field, field_validator, model_validator

from policies.base import StrictModel

DayCode = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun", "bank_holiday"]
WEEKDAY_CODES: tuple[DayCode, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
VatCode = Literal["standard", "reduced", "zero", "exempt"]
VAT_RATES: dict[str, Decimal] = {
    "standard": Decimal("0.20"),
    "reduced": Decimal("0.05"),
    "zero": Decimal("0"),
    "exempt": Decimal("0"),
}
VAT_WORDS: dict[str, str] = {
    "standard": "VAT 20%",
    "reduced": "VAT 5%",
    "zero": "VAT 0%",
    "exempt": "Exempt from VAT",
}
ANY_ROOM = "*"
_ID = r"^[a-z][a-z0-9_-]*$"
_CLOCK = r"^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$"


def round_pence(amount: Decimal) -> int:
    """The stated rounding: nearest penny, halves away from zero (2.5p -> 3p, -2.5p -> -3p)."""
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def vat_pence(net_pence: int, code: str) -> int:
    """The VAT on one line, rounded on that line by `round_pence`."""
    return round_pence(Decimal(net_pence) * VAT_RATES[code])


def clock_minutes(text: str) -> int:
    """Minutes since midnight of an ``HH:MM`` clock time (``24:00`` is the end of the day)."""
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


class Category(StrictModel):
    """A kind of hirer with its concession, and what an officer checks before granting it."""

    id: str = Field(pattern=_ID)
    label: str = Field(min_length=1)
    concession_percent: int = Field(default=0, ge=0, le=100)
    # Booking-form organisation types that fall in this category (charity, cio, company, ...).
    organisation_types: list[str] = Field(default_factory=list)
    # What the officer verifies before the concession stands (None: nothing to verify).
    evidence: str | None = None


class Band(StrictModel):
    """A rate for some days between two clock times: by the hour, or a flat price per session."""

    name: str = Field(min_length=1)
    days: list[DayCode] = Field(min_length=1)
    start: str = Field(alias="from", pattern=_CLOCK)
    end: str = Field(alias="to", pattern=_CLOCK)
    hourly_pence: int | None = Field(default=None, ge=0)
    session_pence: int | None = Field(default=None, ge=0)
    # Another rate in this band for some categories (commercial hirers, say), by category id.
    category_pence: dict[str, int] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _one_price(self) -> Band:
        if (self.hourly_pence is None) == (self.session_pence is None):
            raise ValueError("give either hourly_pence or session_pence")
        if clock_minutes(self.start) >= clock_minutes(self.end):
            raise ValueError("'from' must be before 'to'")
        if any(v < 0 for v in self.category_pence.values()):
            raise ValueError("category_pence must not be negative")
        return self

    def price_for(self, category: str) -> int:
        base = self.hourly_pence if self.hourly_pence is not None else self.session_pence
        assert base is not None
        return self.category_pence.get(category, base)


class RoomRates(StrictModel):
    """The rates of one room, found by the room's name."""

    room: str = Field(min_length=1)  # the room's name, or "*" for every room not named
    bands: list[Band] = Field(min_length=1)
    minimum_hours: int = Field(default=0, ge=0, le=24)  # whole hours charged at least, per date
    setup_charged: bool = False  # the room's set-up time before the booking is charged
    cleardown_charged: bool = False  # and its clear-down time after it
    vat: VatCode | None = None  # None: the card's `hire_vat`
    # Refundable damage deposit per booking, by category id, "default" for the others.
    deposit_pence: dict[str, int] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _no_overlap(self) -> RoomRates:
        for day in (*WEEKDAY_CODES, "bank_holiday"):
            spans = sorted(
                (clock_minutes(b.start), clock_minutes(b.end), b.name) for b in self.bands if day in b.days
            )
            for (_, end, first), (start, _, second) in pairwise(spans):
                if start < end:
                    raise ValueError(f"bands {first!r} and {second!r} overlap on {day}")
        if any(v < 0 for v in self.deposit_pence.values()):
            raise ValueError("deposit_pence must not be negative")
        return self


class Extra(StrictModel):
    """Something added to a booking: per booked date, or per hour booked."""

    id: str = Field(pattern=_ID)
    label: str = Field(min_length=1)
    per: Literal["booking", "hour"]
    pence: int = Field(ge=0)
    vat: VatCode = "standard"
    rooms: list[str] = Field(default_factory=list)  # empty: offered with every room


class CancellationBand(StrictModel):
    """Cancelled with at least this many days' notice, the hirer pays this share of the hire."""

    min_days_notice: int = Field(ge=0)
    fee_percent: int = Field(ge=0, le=100)


class RateCard(StrictModel):
    """A venue's (or a council's) charges; every quote and invoice names its id and version."""

    kind: Literal["rate_card"]
    id: str = Field(pattern=_ID)
    version: int = Field(ge=1)
    name: str = Field(min_length=1)
    currency: Literal["GBP"] = "GBP"
    hire_vat: VatCode = "exempt"  # room hire is exempt unless the venue opted to tax
    payment_terms_days: int = Field(default=14, ge=0, le=120)
    # The damage deposit is payable with the invoice, or asked for separately.
    deposit_collected: Literal["invoice", "separate"] = "invoice"
    payment_instructions: str = Field(min_length=1)
    # The income cost code of the finance journal, and venue-by-venue codes (by venue name).
    cost_code: str = ""
    venue_cost_codes: dict[str, str] = Field(default_factory=dict)
    categories: list[Category] = Field(min_length=1)
    rooms: list[RoomRates] = Field(min_length=1)
    extras: list[Extra] = Field(default_factory=list)
    cancellation: list[CancellationBand] = Field(default_factory=list)

    @field_validator("categories")
    @classmethod
    def _unique_categories(cls, value: list[Category]) -> list[Category]:
        _unique([c.id for c in value], "category id")
        _unique([t for c in value for t in c.organisation_types], "organisation type")
        return value

    @model_validator(mode="after")
    def _references(self) -> RateCard:
        _unique([r.room for r in self.rooms], "room")
        _unique([e.id for e in self.extras], "extra id")
        _unique([c.min_days_notice for c in self.cancellation], "cancellation notice")
        known = {c.id for c in self.categories}
        for rates in self.rooms:
            for band in rates.bands:
                for cat in band.category_pence:
                    if cat not in known:
                        raise ValueError(f"room {rates.room!r} band {band.name!r}: unknown category {cat!r}")
            for cat in rates.deposit_pence:
                if cat != "default" and cat not in known:
                    raise ValueError(f"room {rates.room!r} deposit: unknown category {cat!r}")
        rooms = {r.room for r in self.rooms}
        for extra in self.extras:
            for room in extra.rooms:
                if room not in rooms:
                    raise ValueError(f"extra {extra.id!r}: unknown room {room!r}")
        return self

    def category(self, category_id: str) -> Category:
        for c in self.categories:
            if c.id == category_id:
                return c
        raise KeyError(category_id)

    def category_for(self, organisation_type: str) -> Category:
        """The category a booking-form organisation type falls in; the first category otherwise."""
        for c in self.categories:
            if organisation_type in c.organisation_types:
                return c
        return self.categories[0]

    def room_rates(self, room_name: str) -> RoomRates | None:
        """The rates of the room with this name, else those given for ``room = "*"`` (any room)."""
        named = next((r for r in self.rooms if r.room == room_name), None)
        return named or next((r for r in self.rooms if r.room == ANY_ROOM), None)

    def cancellation_fee_percent(self, days_notice: int) -> int:
        """The fee for cancelling with this notice: the band with the most notice not above it;
        100% when no band applies (no notice given) and 0% when the card has no policy."""
        if not self.cancellation:
            return 0
        applicable = [b for b in self.cancellation if b.min_days_notice <= days_notice]
        if not applicable:
            return 100
        return max(applicable, key=lambda b: b.min_days_notice).fee_percent


def _unique(values: list[object], what: str) -> None:
    repeated = [v for v, n in Counter(values).items() if n > 1]
    if repeated:
        raise ValueError(f"{what} {repeated[0]!r} is given more than once")
