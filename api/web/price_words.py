"""A room's prices in words for the public directory, in the reader's language: amounts with
Babel's currency format, days and times as the rest of the pages write them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel.numbers import format_currency, format_percent

from api.web.i18n import N_, current_language
from api.web.i18n import gettext as _
from api.web.readable import time_range
from venues.charges.room_prices import BandPrice, RoomPrices

_DAY_NAMES = {
    "mon": N_("Monday"),
    "tue": N_("Tuesday"),
    "wed": N_("Wednesday"),
    "thu": N_("Thursday"),
    "fri": N_("Friday"),
    "sat": N_("Saturday"),
    "sun": N_("Sunday"),
}
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


def money(pence: int) -> str:
    """ "£1,234.50" (Babel's GBP format for the page's language)."""
    return format_currency(Decimal(pence) / 100, "GBP", locale=current_language())


def per_price(band: BandPrice) -> str:
    """ "£24.00 an hour", "£150.00 a session"."""
    if band.per == "hour":
        return _("%(price)s an hour") % {"price": money(band.pence)}
    return _("%(price)s a session") % {"price": money(band.pence)}


def from_price(prices: RoomPrices) -> str:
    """ "From £24.00 an hour": the lowest standard price, for the list of rooms."""
    if prices.lowest.per == "hour":
        text = _("From %(price)s an hour") % {"price": money(prices.lowest.pence)}
    else:
        text = _("From %(price)s a session") % {"price": money(prices.lowest.pence)}
    return f"{text} {_('plus VAT')}" if prices.vat_added else text


def band_days(band: BandPrice) -> str:
    days = set(band.days)
    if days == {"bank_holiday"}:
        return _("Bank holidays")
    if days == set(_DAY_NAMES):
        return _("Every day")
    if days == set(_WEEKDAYS):
        return _("Monday to Friday")
    if days == {"sat", "sun"}:
        return _("Saturday and Sunday")
    named = [_(name) for code, name in _DAY_NAMES.items() if code in days]
    if "bank_holiday" in days:
        named.append(_("Bank holidays"))
    return ", ".join(named)


def band_times(band: BandPrice) -> str:
    def clock_time(minutes: int) -> dt.time:
        return dt.time(minutes // 60 % 24, minutes % 60)

    return time_range(clock_time(band.start_minutes), clock_time(band.end_minutes))


def minimum_words(prices: RoomPrices) -> str:
    if prices.minimum_hours <= 1:
        return _("You pay for at least an hour each date") if prices.minimum_hours == 1 else ""
    return _("You pay for at least %(count)s hours each date") % {"count": prices.minimum_hours}


def concession_words(label: str, percent: int) -> str:
    """ "Registered charity: 40% off the hire" (the label is the rate card's own)."""
    shown = format_percent(Decimal(percent) / 100, locale=current_language())
    return _("%(category)s: %(percent)s off the hire") % {"category": label, "percent": shown}


# What the directory's templates call.
PRICE_HELPERS = {
    "money": money,
    "per_price": per_price,
    "from_price": from_price,
    "band_days": band_days,
    "band_times": band_times,
    "minimum_words": minimum_words,
    "concession_words": concession_words,
}

__all__ = ["PRICE_HELPERS", "band_days", "band_times", "concession_words", "from_price", "money", "per_price"]
