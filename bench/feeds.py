"""Benchmark: render a venue feed of about 2,000 events, and the cost of the ETag (304) shortcut.

    .venv/bin/python bench/feeds.py [--runs N]

Prints the median render time of `render_feed` (icalendar objects, each event's bytes cached on
the event's plan; the server renders the same events poll after poll) beside a same-run baseline:
the hand-written direct serializer the package used before, frozen in bench/baseline_calendar/,
the two run in turn so that both meet the same load from other processes.
Target: within 1.5x of the baseline and <= 100 ms. Also the first render with an empty event
cache (after a deploy), and the median cost of the ETag of an unchanged feed
(`venues.feed_render`: each booking's events from the cache, joined and hashed; what a 304 answer
computes), target <= 5 ms. The figures are the pure-Python part; the database query that loads
the feed's bookings is the caller's and is not included.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# After the path tweak so the script runs from anywhere.
from bench.baseline_calendar import render_feed as baseline_render_feed
from venues.calendar import (
    BookingStatus,
    FeedBooking,
    FeedCondition,
    FeedDecision,
    FeedOccurrence,
    FeedSpec,
    render_feed,
)
from venues.calendar.writer import clear_event_cache
from venues.feed_render import render_feed_with_etag

MAX_RATIO = 1.5  # the writer against the direct serializer, wall time

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2027, 2, 15, 9, 30, tzinfo=UTC)
WINDOW = (NOW - timedelta(days=30), NOW + timedelta(days=548))
ROOMS = ("Main Hall", "Committee Room", "Studio", "Kitchen", "Garden Room")


def _utc(local: datetime) -> datetime:
    return local.replace(tzinfo=LONDON).astimezone(UTC)


def build(singles: int = 1800, series: int = 200, weeks: int = 12, seed: int = 2027) -> list[FeedBooking]:
    """Invented bookings for one venue: `singles` one-off bookings and `series` weekly series."""
    rng = random.Random(seed)
    out: list[FeedBooking] = []

    def make(i: int, occs: tuple[FeedOccurrence, ...], rrule: str | None) -> FeedBooking:
        status: BookingStatus = (
            "awaiting_acceptance" if i % 17 == 0 else "cancelled" if i % 41 == 0 else "confirmed"
        )
        return FeedBooking(
            uid=f"{rng.getrandbits(128):032x}@venue-hire.example",
            sequence=rng.randint(0, 6),
            last_modified=NOW - timedelta(days=rng.randint(0, 20), minutes=rng.randint(0, 1440)),
            status=status,
            reference=f"VH-2027-{i:05d}",
            venue_name="Millbrook Community Centre",
            room_name=ROOMS[i % len(ROOMS)],
            venue_address="12 Station Road, Millbrook MB1 2AB",
            organisation_name=f"Millbrook Community Group {i}",
            event_title=f"Meeting number {i} of the group, with guest speakers",
            expected_attendance=rng.randint(5, 120),
            setup_minutes=30,
            cleardown_minutes=15,
            conditions=(
                FeedCondition("STEWARDS", "Two stewards at the entrance throughout", "Attendance above 40"),
            ),
            decision=FeedDecision("approved with conditions", NOW - timedelta(days=30), "Aled Fenwick"),
            contact_name="Rosalind Achterberg",
            contact_phone="01632 960482",
            rrule=rrule,
            occurrences=occs,
        )

    for i in range(singles):
        day = NOW - timedelta(days=25) + timedelta(days=rng.randint(0, 560))
        start = _utc(datetime(day.year, day.month, day.day, rng.choice([9, 13, 18, 19])))
        out.append(make(i, (FeedOccurrence(start, start + timedelta(hours=2), "held"),), None))
    for j in range(series):
        day = NOW + timedelta(days=rng.randint(0, 300))
        first = datetime(day.year, day.month, day.day, 19)
        occs = []
        for w in range(weeks):
            start = _utc(first + timedelta(weeks=w))
            occs.append(FeedOccurrence(start, start + timedelta(hours=2), "held"))
        if j % 3 == 0:  # a third have a cancelled and a moved date
            occs[4] = FeedOccurrence(occs[4].start_utc, occs[4].end_utc, "cancelled")
            o = occs[7]
            occs[7] = FeedOccurrence(
                o.start_utc + timedelta(days=1), o.end_utc + timedelta(days=1), "held", o.start_utc
            )
        byday = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[first.weekday()]
        out.append(make(singles + j, tuple(occs), f"FREQ=WEEKLY;BYDAY={byday};COUNT={weeks}"))
    return out


def median_ms(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall-clock and median CPU milliseconds of `fn` (CPU time is immune to other
    processes competing for the cores; wall time is what a client waits)."""
    fn()  # warm caches (zoneinfo, rule parsing) as a long-running server would have them
    wall, cpu = [], []
    for _ in range(runs):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def paired_median_ms(
    fns: tuple[Callable[[], object], Callable[[], object]], runs: int
) -> tuple[tuple[float, float], tuple[float, float]]:
    """`median_ms` of two functions run in turn, so that both meet the same load from other
    processes (the ratio of two separate series swings with it on a shared machine)."""
    for fn in fns:
        fn()  # warm caches as a long-running server would have them
    times: list[tuple[list[float], list[float]]] = [([], []), ([], [])]
    for _ in range(runs):
        for fn, (wall, cpu) in zip(fns, times, strict=True):
            w0, c0 = time.perf_counter(), time.process_time()
            fn()
            cpu.append((time.process_time() - c0) * 1000)
            wall.append((time.perf_counter() - w0) * 1000)
    (wall_a, cpu_a), (wall_b, cpu_b) = times
    return (
        (statistics.median(wall_a), statistics.median(cpu_a)),
        (statistics.median(wall_b), statistics.median(cpu_b)),
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    bookings = build()
    spec = FeedSpec(
        calendar_name="Millbrook Community Centre",
        council_name="Millbrook Borough Council",
        description="All rooms of Millbrook Community Centre",
        detail="standard",
    )
    kw = {"window_start": WINDOW[0], "window_end": WINDOW[1], "now": NOW}
    ics = render_feed(spec, bookings, **kw)  # type: ignore[arg-type]  # kw holds only datetimes
    vevents = ics.count(b"BEGIN:VEVENT")
    occurrences = sum(len(b.occurrences) for b in bookings)
    busy = FeedSpec(spec.calendar_name, spec.council_name, spec.description, "busy")
    busy_size = len(render_feed(busy, bookings, **kw))  # type: ignore[arg-type]  # kw holds only datetimes
    print(
        f"feed: {len(bookings)} bookings, {occurrences} occurrences, {vevents} VEVENTs, "
        f"{len(ics) / 1e6:.2f} MB at standard detail, {busy_size / 1e6:.2f} MB at busy"
    )

    (render, render_cpu), (baseline, baseline_cpu) = paired_median_ms(
        (
            lambda: render_feed(spec, bookings, **kw),  # type: ignore[arg-type]  # kw holds only datetimes
            lambda: baseline_render_feed(spec, bookings, **kw),  # type: ignore[arg-type]  # as above
        ),
        args.runs,
    )
    assert baseline_render_feed(spec, bookings, **kw).count(b"BEGIN:VEVENT") == vevents  # type: ignore[arg-type]  # kw holds only datetimes
    print(
        f"render_feed (icalendar writer, events from its cache), {args.runs} runs: median {render:.1f} ms "
        f"wall, {render_cpu:.1f} ms CPU (target <= 100 ms and <= {MAX_RATIO}x the direct serializer)"
    )
    print(
        f"baseline render_feed (today's direct serializer, bench/baseline_calendar/), {args.runs} runs: "
        f"median {baseline:.1f} ms wall, {baseline_cpu:.1f} ms CPU"
    )
    ratio = render / baseline
    print(f"ratio writer / direct serializer: {ratio:.2f}x wall, {render_cpu / baseline_cpu:.2f}x CPU")

    def cold() -> object:
        clear_event_cache()
        return render_feed(spec, bookings, **kw)  # type: ignore[arg-type]  # kw holds only datetimes

    cold_ms, cold_cpu = median_ms(cold, max(3, args.runs // 3))
    print(
        f"first render with an empty event cache (icalendar builds every event): median {cold_ms:.1f} ms "
        f"wall, {cold_cpu:.1f} ms CPU"
    )

    # A poll of an unchanged feed: every booking's events come from the cache and the ETag is the
    # hash of the joined bytes.
    # The server loads the bookings afresh for each poll: equal objects, not the cached ones.
    warm = render_feed_with_etag(spec, bookings, **kw)  # type: ignore[arg-type]  # kw holds only datetimes
    assert warm.body == ics, "the cached renderer must give render_feed's bytes"
    reloaded = build()
    etag, etag_cpu = median_ms(
        lambda: render_feed_with_etag(spec, reloaded, **kw),  # type: ignore[arg-type]  # kw holds only datetimes
        args.runs * 10,
    )
    print(
        f"304 path (cached events of {len(bookings)} bookings joined and hashed), {args.runs * 10} runs: "
        f"median {etag:.2f} ms wall, {etag_cpu:.2f} ms CPU (target <= 5 ms)"
    )
    print(
        f"baseline full render without the ETag shortcut: median {render:.1f} ms wall, "
        f"{render_cpu:.1f} ms CPU"
    )
    print(f"ratio render / 304: {render / etag:.0f}x wall, {render_cpu / max(etag_cpu, 1e-3):.0f}x CPU")
    ok = render <= 100 and etag <= 5 and ratio <= MAX_RATIO
    print("targets met (wall)" if ok else "TARGETS MISSED (wall)")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
