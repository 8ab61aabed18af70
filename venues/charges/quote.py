"""The quote engine: the price of each date of a booking, line by line, from a rate card.

Pure (no database). The booking form, the officer's case page and the invoice all price with
`quote`, so what the hirer was shown is what they are invoiced. Per date, in order:

* hire: the booked time (with the room's set-up and clear-down when the card charges them) cut
  at the boundaries of the rate bands of that day (a bank holiday uses the card's
  ``bank_holiday`` bands when it has any, else its weekday's); an hourly band charges the
  minutes inside it, a session band its flat price when the booking touches it at all;
* a minimum-hours line when the hourly time is below the room's minimum (at the last band's rate);
* the concession of the hirer's category, a negative line on that date's hire;
* extras: per booked date, or per hour of the booked time.

Each line's net is rounded once (`policies.rate_card.round_pence`) and its VAT worked out on it
(`vat_pence`); dates and the series add up rounded lines. The refundable deposit is once per
booking and outside the hire total. A booked time no band covers raises `NotPriced`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from policies.rate_card import (
    WEEKDAY_CODES,
    Band,
    RateCard,
    RoomRates,
    clock_minutes,
    round_pence,
    vat_pence,
)
from venues.charges.money import pounds
from vetting.workdays import bank_holiday_name


class NotPriced(ValueError):
    """The rate card has no price for some of the booking (a room or a time it does not cover)."""


@dataclass(frozen=True)
class Line:
    day: dt.date
    kind: str  # hire, minimum, concession, extra
    description: str
    net_pence: int
    vat_code: str
    vat_pence: int

    @property
    def gross_pence(self) -> int:
        return self.net_pence + self.vat_pence


@dataclass(frozen=True)
class DateQuote:
    start: dt.datetime  # the venue's wall-clock time
    end: dt.datetime
    lines: tuple[Line, ...]

    @property
    def net_pence(self) -> int:
        return sum(line.net_pence for line in self.lines)

    @property
    def vat_pence(self) -> int:
        return sum(line.vat_pence for line in self.lines)

    @property
    def gross_pence(self) -> int:
        return sum(line.gross_pence for line in self.lines)


@dataclass(frozen=True)
class Quote:
    card_id: str
    card_version: int
    room: str
    category_id: str
    category_label: str
    dates: tuple[DateQuote, ...]
    deposit_pence: int
    # What an officer verifies before the category's concession stands (None: nothing).
    concession_check: str | None = None
    extras: tuple[str, ...] = field(default=())

    @property
    def lines(self) -> tuple[Line, ...]:
        return tuple(line for d in self.dates for line in d.lines)

    @property
    def net_pence(self) -> int:
        return sum(d.net_pence for d in self.dates)

    @property
    def vat_pence(self) -> int:
        return sum(d.vat_pence for d in self.dates)

    @property
    def gross_pence(self) -> int:
        return sum(d.gross_pence for d in self.dates)


def is_bank_holiday(day: dt.date) -> bool:
    return bank_holiday_name(day) is not None


def quote(
    card: RateCard,
    room: str,
    category_id: str,
    slots: Sequence[tuple[dt.datetime, dt.datetime]],
    *,
    setup_minutes: int = 0,
    cleardown_minutes: int = 0,
    extras: Sequence[str] = (),
    bank_holiday: Callable[[dt.date], bool] = is_bank_holiday,
    concession: bool = True,
) -> Quote:
    """Price each (start, end) wall-clock slot of `room` for a hirer of `category_id`; with
    `concession` False (an officer found the claim not made out) the category's rates stand but
    its percentage concession is not given: the standard rate."""
    rates = card.room_rates(room)
    if rates is None:
        raise NotPriced(f"the rate card has no prices for {room}")
    category = card.category(category_id)
    chosen = []
    for extra_id in extras:
        extra = next((e for e in card.extras if e.id == extra_id), None)
        if extra is None or (extra.rooms and room not in extra.rooms):
            raise NotPriced(f"{extra_id} is not offered with {room}")
        chosen.append(extra)
    before = setup_minutes if rates.setup_charged else 0
    after = cleardown_minutes if rates.cleardown_charged else 0
    hire_vat = rates.vat or card.hire_vat
    dates = []
    for start, end in slots:
        lines = _hire_lines(rates, category.id, start, end, before, after, hire_vat, bank_holiday)
        hire_net = sum(line.net_pence for line in lines)
        if concession and category.concession_percent and hire_net:
            net = -round_pence(Decimal(hire_net) * category.concession_percent / 100)
            lines.append(
                Line(
                    start.date(),
                    "concession",
                    f"{category.label}: {category.concession_percent}% off hire",
                    net,
                    hire_vat,
                    vat_pence(net, hire_vat),
                )
            )
        booked = int((end - start).total_seconds() // 60)
        for extra in chosen:
            if extra.per == "booking":
                net, text = extra.pence, extra.label
            else:
                net = round_pence(Decimal(booked * extra.pence) / 60)
                text = f"{extra.label}, {_hours(booked)} at {pounds(extra.pence)} an hour"
            lines.append(Line(start.date(), "extra", text, net, extra.vat, vat_pence(net, extra.vat)))
        dates.append(DateQuote(start, end, tuple(lines)))
    deposits = rates.deposit_pence
    return Quote(
        card_id=card.id,
        card_version=card.version,
        room=room,
        category_id=category.id,
        category_label=category.label
        if concession or not category.concession_percent
        else (f"{category.label} (not verified): standard rate"),
        dates=tuple(dates),
        deposit_pence=deposits.get(category.id, deposits.get("default", 0)),
        concession_check=category.evidence if concession and category.concession_percent else None,
        extras=tuple(extras),
    )


def _hire_lines(
    rates: RoomRates,
    category: str,
    start: dt.datetime,
    end: dt.datetime,
    before: int,
    after: int,
    vat: str,
    bank_holiday: Callable[[dt.date], bool],
) -> list[Line]:
    day = start.date()
    midnight = dt.datetime.combine(day, dt.time(0), start.tzinfo)
    lo = int((start - midnight).total_seconds() // 60) - before
    hi = int((end - midnight).total_seconds() // 60) + after
    bands = _bands_for(rates, day, bank_holiday)
    lines: list[Line] = []
    covered = hourly_minutes = 0
    last_hourly: Band | None = None
    for band in bands:
        b_lo, b_hi = clock_minutes(band.start), clock_minutes(band.end)
        a, b = max(lo, b_lo), min(hi, b_hi)
        if a >= b:
            continue
        covered += b - a
        price = band.price_for(category)
        if band.session_pence is not None:
            text = f"{band.name} ({_clock(b_lo)} to {_clock(b_hi)})"
            lines.append(Line(day, "hire", text, price, vat, vat_pence(price, vat)))
            continue
        minutes = b - a
        hourly_minutes += minutes
        last_hourly = band
        net = round_pence(Decimal(minutes * price) / 60)
        text = f"{band.name} hire, {_clock(a)} to {_clock(b)}: {_hours(minutes)} at {pounds(price)} an hour"
        lines.append(Line(day, "hire", text, net, vat, vat_pence(net, vat)))
    if covered < hi - lo:
        raise NotPriced(
            f"the rate card has no price for {day:%A %-d %B %Y} from {_clock(lo)} to {_clock(hi)}"
        )
    short = rates.minimum_hours * 60 - hourly_minutes
    if last_hourly is not None and short > 0:
        price = last_hourly.price_for(category)
        net = round_pence(Decimal(short * price) / 60)
        text = f"Minimum hire of {rates.minimum_hours} hours: {_hours(short)} more at {pounds(price)} an hour"
        lines.append(Line(day, "minimum", text, net, vat, vat_pence(net, vat)))
    return lines


def _bands_for(rates: RoomRates, day: dt.date, bank_holiday: Callable[[dt.date], bool]) -> list[Band]:
    if bank_holiday(day):
        holiday = [b for b in rates.bands if "bank_holiday" in b.days]
        if holiday:
            return sorted(holiday, key=lambda b: clock_minutes(b.start))
    code = WEEKDAY_CODES[day.weekday()]
    return sorted((b for b in rates.bands if code in b.days), key=lambda b: clock_minutes(b.start))


def _clock(minutes: int) -> str:
    """ "5pm", "5:30pm", "midday", "midnight": clock times as the service's pages write them."""
    hour, minute = divmod(minutes % (24 * 60), 60)
    if minute == 0 and hour in (0, 12):
        return "midnight" if hour == 0 else "midday"
    shown = f"{hour % 12 or 12}" + (f":{minute:02d}" if minute else "")
    return shown + ("am" if hour < 12 else "pm")


def _hours(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not rest:
        return f"{hours} hour" + ("" if hours == 1 else "s")
    if not hours:
        return f"{rest} minutes"
    return f"{hours} hour{'' if hours == 1 else 's'} {rest} minutes"
