"""Benchmark: quote a 52-date weekly series that crosses the peak/off-peak boundary each week,
with two extras (one per booking, one per hour) and a charity concession.

    .venv/bin/python bench/quotes.py [--runs N] [--json PATH]

Measured: ``venues.charges.quote.quote`` with the bundled ``council-halls`` rate card (pure, no
database), the code path of the booking form's check page and of invoicing. Same-run baseline:
a naive pricer that walks the booked time minute by minute, looks each minute's band up among all
the room's bands and adds a fraction of its hourly rate, then prices extras and the concession
the same way. Both must give the same total; the script stops with an error if they do not.
Target: median <= 5 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _figures import Figure, fmt, write_json

from policies.rate_card import WEEKDAY_CODES, RateCard, clock_minutes, round_pence, vat_pence
from policies.rate_card_loader import bundled_rate_card
from venues.charges.quote import is_bank_holiday, quote

ROOM, CATEGORY, EXTRAS = "Main Hall A", "charity", ("kitchen", "caretaker")
TARGET_MS = 5.0


def series() -> list[tuple[dt.datetime, dt.datetime]]:
    first = dt.datetime(2027, 1, 4, 16, 0)  # Mondays 16:00 to 19:00: off-peak then peak
    return [(first + dt.timedelta(weeks=w), first + dt.timedelta(weeks=w, hours=3)) for w in range(52)]


def naive_total(card: RateCard, slots: list[tuple[dt.datetime, dt.datetime]]) -> int:
    """Minute by minute, every band searched each minute; VAT and rounding as the rules state."""
    rates = card.room_rates(ROOM)
    assert rates is not None
    category = card.category(CATEGORY)
    vat = rates.vat or card.hire_vat
    total = 0
    for start, end in slots:
        day = start.date()
        code = "bank_holiday" if is_bank_holiday(day) else WEEKDAY_CODES[day.weekday()]
        by_band: dict[str, Decimal] = {}
        minute = start
        while minute < end:
            clock = minute.hour * 60 + minute.minute
            for band in rates.bands:
                if code in band.days and clock_minutes(band.start) <= clock < clock_minutes(band.end):
                    by_band[band.name] = (
                        by_band.get(band.name, Decimal(0)) + Decimal(band.price_for(CATEGORY)) / 60
                    )
            minute += dt.timedelta(minutes=1)
        hire = [round_pence(v) for v in by_band.values()]
        lines = [*hire, -round_pence(Decimal(sum(hire)) * category.concession_percent / 100)]
        total += sum(n + vat_pence(n, vat) for n in lines)
        booked = int((end - start).total_seconds() // 60)
        for extra in card.extras:
            if extra.id in EXTRAS:
                net = (
                    extra.pence if extra.per == "booking" else round_pence(Decimal(booked * extra.pence) / 60)
                )
                total += net + vat_pence(net, extra.vat)
    return total


def timed(fn, runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--json")
    args = parser.parse_args()
    card = bundled_rate_card("council-halls")
    slots = series()
    quote(card, ROOM, CATEGORY, slots, extras=EXTRAS)  # warm the bank-holiday cache for both
    ours, q = timed(lambda: quote(card, ROOM, CATEGORY, slots, extras=EXTRAS), args.runs)
    base, naive = timed(lambda: naive_total(card, slots), max(3, args.runs // 10))
    if q.gross_pence != naive:
        print(f"totals differ: quote {q.gross_pence} naive {naive}", file=sys.stderr)
        return 1
    print(f"series: 52 weekly dates, {len(q.lines)} lines, total {q.gross_pence} pence")
    print(f"quote 52-date series: median {fmt(ours, 'ms')} (target <= {TARGET_MS} ms)")
    print(f"baseline minute-by-minute pricer: median {fmt(base, 'ms')}; ratio {base / ours:.1f}x")
    write_json(
        args.json,
        "quotes",
        [
            Figure(
                "quotes: 52-date series, 2 extras, concession (median)",
                ours,
                "ms",
                TARGET_MS,
                "lower",
                base,
                "minute-by-minute pricer",
            )
        ],
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
