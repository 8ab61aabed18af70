"""Calendar feeds, validated by raw-byte checks, the `ical` package and ical.js (see feed_validation)."""

from __future__ import annotations

import random
from dataclasses import fields, replace
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.venues.calendar_samples import (
    NOW,
    WINDOW,
    booking,
    cancel,
    held,
    london,
    move,
    spec,
    weekly,
)
from tests.venues.feed_validation import assert_valid_feed
from venues.calendar import (
    DueCase,
    FeedBooking,
    FeedOccurrence,
    occurrence_uid,
    render_decisions_due,
    render_feed,
)
from venues.rrule_spec import RecurrenceError, parse_rrule

SPRING = weekly(datetime(2027, 3, 2, 19), 12)  # Tuesdays 19:00, across the March clock change
AUTUMN = weekly(datetime(2027, 10, 5, 19), 12)  # Tuesdays 19:00, across the October clock change
SPRING_EXCEPTIONS = move(cancel(SPRING, 3), 5, timedelta(days=1, hours=-1))  # 23 Mar off; 6 Apr -> Wed 18:00


def render(bookings: list[FeedBooking], detail: str = "standard", **kw: object) -> bytes:
    args: dict[str, object] = {"window_start": WINDOW[0], "window_end": WINDOW[1], "now": NOW} | kw
    return render_feed(spec(detail), bookings, **args)  # type: ignore[arg-type]  # detail is a test literal


def rule_parts(rule: str) -> dict[str, str]:
    """An RRULE's parts by name: icalendar writes them in RFC 5545's order, not as stored."""
    parts = dict(part.split("=", 1) for part in rule.split(";"))
    assert len(parts) == rule.count(";") + 1, f"a part repeated in {rule}"
    return parts


def vevents(parsed_events: list[dict[str, str]], uid: str) -> list[dict[str, str]]:
    return [ev for ev in parsed_events if ev["UID"] == uid]


def test_series_across_both_clock_changes_is_one_rule_each() -> None:
    spring = booking("spring-1@test", SPRING, rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=12")
    autumn = booking("autumn-1@test", AUTUMN, rrule="FREQ=WEEKLY;BYDAY=TU")
    ics = render([spring, autumn])
    parsed = assert_valid_feed(ics, {"spring-1@test": held(SPRING), "autumn-1@test": held(AUTUMN)})
    for uid in ("spring-1@test", "autumn-1@test"):
        (ev,) = vevents(parsed.events, uid)
        assert rule_parts(ev["RRULE"]) == rule_parts("FREQ=WEEKLY;BYDAY=TU;COUNT=12")
        assert ev["DTSTART;TZID=Europe/London"].endswith("T190000")
    # the UTC hour really moves: 19:00 GMT before 28 March, 18:00 UTC (19:00 BST) after
    assert SPRING[3].start_utc.hour == 19
    assert SPRING[4].start_utc.hour == 18
    assert AUTUMN[2].start_utc.hour == 18
    assert AUTUMN[4].start_utc.hour == 19


def test_series_with_a_cancelled_and_a_moved_date() -> None:
    series = booking("spring-2@test", SPRING_EXCEPTIONS, rrule="FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=12")
    parsed = assert_valid_feed(render([series]), {"spring-2@test": held(SPRING_EXCEPTIONS)})
    master, override = vevents(parsed.events, "spring-2@test")
    assert master["EXDATE;TZID=Europe/London"] == "20270323T190000"
    assert override["RECURRENCE-ID;TZID=Europe/London"] == "20270406T190000"
    assert override["DTSTART;TZID=Europe/London"] == "20270407T180000"
    assert parsed.icaljs is not None
    (js,) = parsed.icaljs["events"]
    assert len(js["occurrences"]) == 11
    assert [o["recurrence_id"] for o in js["occurrences"] if o["recurrence_id"]] == ["2027-04-06T18:00:00Z"]


def test_moved_and_cancelled_dates_across_october_and_monthly_ordinals() -> None:
    autumn = move(cancel(AUTUMN, 4), 2, timedelta(hours=2))  # the one before the change moves later
    monthly = []
    for y, m, d in [(2027, 1, 12), (2027, 2, 9), (2027, 3, 9), (2027, 4, 13), (2027, 5, 11), (2027, 6, 8)]:
        start = london(y, m, d, 10)
        monthly.append(FeedOccurrence(start, start + timedelta(hours=3), "held"))
    monthly_occs = cancel(tuple(monthly), 2)
    bookings = [
        booking("autumn-2@test", autumn, rrule="RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20271221T235959Z"),
        booking("monthly@test", monthly_occs, rrule="FREQ=MONTHLY;BYDAY=2TU;COUNT=6"),
    ]
    parsed = assert_valid_feed(
        render(bookings), {"autumn-2@test": held(autumn), "monthly@test": held(monthly_occs)}
    )
    monthly_rule = vevents(parsed.events, "monthly@test")[0]["RRULE"]
    assert rule_parts(monthly_rule) == rule_parts("FREQ=MONTHLY;BYDAY=2TU;COUNT=6")


def test_rule_that_does_not_regenerate_the_held_dates_falls_back_to_one_event_each() -> None:
    # Stored as weekly for 20 weeks but only these 8 dates are held (two weeks dropped from the
    # middle when a closure was added): emitting the rule would resurrect the dropped dates.
    occs = SPRING[:4] + SPRING[6:10]
    occs = cancel(occs, 1)
    series = booking("truncated@test", occs, rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=20")
    parsed = assert_valid_feed(render([series]), {"truncated@test": held(occs)})
    assert not any("RRULE" in ev for ev in parsed.events)
    uids = [ev["UID"] for ev in parsed.events]
    assert uids == [occurrence_uid("truncated@test", o.start_utc) for o in occs]
    cancelled = [ev for ev in parsed.events if ev["STATUS"] == "CANCELLED"]
    assert len(cancelled) == 1
    assert cancelled[0]["SUMMARY"].startswith("Cancelled: ")


def test_unsupported_rule_parts_fall_back_too() -> None:
    occs = weekly(datetime(2027, 5, 3, 9), 4)
    series = booking("setpos@test", occs, rrule="FREQ=WEEKLY;BYDAY=MO;BYSETPOS=1")
    parsed = assert_valid_feed(render([series]), {"setpos@test": held(occs)})
    assert len(parsed.events) == 4
    assert not any("RRULE" in ev for ev in parsed.events)


def test_only_rules_the_booking_parser_accepts_are_written() -> None:
    # A plain day in a monthly rule is every such day of the month (here every Tuesday of May):
    # rrule_spec refuses it at booking, so the feed must not write it either; one policy for both.
    occs = weekly(datetime(2027, 5, 4, 19), 4)
    rule = "FREQ=MONTHLY;BYDAY=TU"
    with pytest.raises(RecurrenceError):
        parse_rrule(rule)
    series = booking("plain-monthly@test", occs, rrule=rule)
    parsed = assert_valid_feed(render([series]), {"plain-monthly@test": held(occs)})
    assert len(parsed.events) == 4
    assert not any("RRULE" in ev for ev in parsed.events)


def test_every_status() -> None:
    single = (FeedOccurrence(london(2027, 4, 1, 18), london(2027, 4, 1, 21), "held"),)
    other = (FeedOccurrence(london(2027, 4, 2, 18), london(2027, 4, 2, 21), "held"),)
    recent = NOW - timedelta(days=3)
    bookings = [
        booking("confirmed@test", single),
        booking("tentative@test", other, status="awaiting_acceptance"),
        booking("cancelled@test", single, status="cancelled", last_modified=recent),
        booking("cancelled-long-ago@test", other, status="cancelled", last_modified=NOW - timedelta(days=31)),
        booking(
            "cancelled-series@test",
            SPRING,
            rrule="FREQ=WEEKLY;BYDAY=TU",
            status="cancelled",
            last_modified=recent,
        ),
    ]
    parsed = assert_valid_feed(
        render(bookings),
        {"confirmed@test": held(single), "tentative@test": held(other), "cancelled@test": []},
    )
    by_uid = {ev["UID"]: ev for ev in parsed.events}
    assert set(by_uid) == {"confirmed@test", "tentative@test", "cancelled@test", "cancelled-series@test"}
    expect = {
        "confirmed@test": ("CONFIRMED", "OPAQUE", "BUSY"),
        "tentative@test": ("TENTATIVE", "OPAQUE", "TENTATIVE"),
        "cancelled@test": ("CANCELLED", "TRANSPARENT", "FREE"),
        "cancelled-series@test": ("CANCELLED", "TRANSPARENT", "FREE"),
    }
    for uid, (status, transp, busy) in expect.items():
        ev = by_uid[uid]
        assert (ev["STATUS"], ev["TRANSP"], ev["X-MICROSOFT-CDO-BUSYSTATUS"]) == (status, transp, busy)
        assert ev["SUMMARY"].startswith("Cancelled: ") == (status == "CANCELLED")
    assert (
        by_uid["cancelled@test"]["DTSTAMP"] == by_uid["cancelled@test"]["LAST-MODIFIED"] == "20270212T093000Z"
    )
    assert parsed.icaljs is not None
    js = {ev["uid"]: ev for ev in parsed.icaljs["events"]}
    assert len(js["cancelled-series@test"]["occurrences"]) == 12
    assert {o["status"] for o in js["cancelled-series@test"]["occurrences"]} == {"CANCELLED"}


def test_detail_levels() -> None:
    occs = (FeedOccurrence(london(2027, 6, 5, 10), london(2027, 6, 5, 16), "held"),)
    b = booking("detail@test", occs, title="Summer fair planning", organisation="Friends of Millbrook Park")
    expected = {"detail@test": held(occs)}
    busy = render([b], "busy")
    standard = render([b], "standard")
    full = render([b], "full")
    for ics in (busy, standard, full):
        assert_valid_feed(ics, expected)
    unfolded = {
        name: ics.decode().replace("\r\n ", "")
        for name, ics in [("busy", busy), ("standard", standard), ("full", full)]
    }

    assert "SUMMARY:Booked\r\n" in unfolded["busy"]
    for secret in (
        "Friends of Millbrook Park",
        "Summer fair",
        "01632 960482",
        "Rosalind",
        "Aled Fenwick",
        "Two stewards",
        "VH-2027",
    ):
        assert secret not in unfolded["busy"]
    assert "DESCRIPTION" not in unfolded["busy"].split("BEGIN:VEVENT", 1)[1]

    std = unfolded["standard"]
    for shown in (
        "Friends of Millbrook Park",
        "Summer fair planning",
        "Expected attendance: 45",
        "Set-up: 30 min (from 09:30)",
        "Clear-down: 15 min (until 16:15)",
        "STEWARDS: Two stewards at the entrance throughout",
        "CAPACITY: No more than 60 people",
        "Decision: approved with conditions on 2027-01-28 by Aled Fenwick",
        "Reference: VH-2027-",
    ):
        assert shown.replace(",", "\\,") in std, shown
    assert "01632 960482" not in std
    assert "Rosalind" not in std

    assert "Contact: Rosalind Achterberg" in unfolded["full"]
    assert "Phone: 01632 960482" in unfolded["full"]
    for text in unfolded.values():
        assert (
            "LOCATION:Millbrook Community Centre\\, Main Hall\\, 12 Station Road\\, Millbrook MB1 2AB" in text
        )
        assert "@" not in text.replace("@test", "")  # no e-mail addresses, whatever the level


def test_feed_input_has_no_place_for_emails_or_screening() -> None:
    names = {f.name for f in fields(FeedBooking)}
    assert not {n for n in names if "mail" in n or "screen" in n or "match" in n}


def test_identical_input_gives_identical_bytes() -> None:
    bookings = [
        booking("a@test", SPRING_EXCEPTIONS, rrule="FREQ=WEEKLY;BYDAY=TU"),
        booking("b@test", AUTUMN, rrule="FREQ=WEEKLY;BYDAY=TU", status="awaiting_acceptance"),
    ]
    first = render(bookings)
    assert render(bookings) == first
    assert render(list(reversed(bookings))) == first
    assert render(bookings, now=NOW + timedelta(hours=5)) == first  # the clock never reaches the bytes
    changed = [replace(bookings[0], sequence=3, last_modified=NOW), bookings[1]]
    assert render(changed) != first


def test_sequence_and_stamps_come_from_the_booking() -> None:
    occs = (FeedOccurrence(london(2027, 7, 1, 9), london(2027, 7, 1, 12), "held"),)
    b = booking("seq@test", occs, sequence=7, last_modified=datetime(2027, 2, 3, 4, 5, 6, tzinfo=UTC))
    parsed = assert_valid_feed(render([b]), {"seq@test": held(occs)})
    (ev,) = parsed.events
    assert ev["SEQUENCE"] == "7"
    assert ev["DTSTAMP"] == ev["LAST-MODIFIED"] == "20270203T040506Z"
    assert parsed.icaljs is not None
    assert parsed.icaljs["events"][0]["sequence"] == 7


def test_window_clips_series_and_singles() -> None:
    start, end = datetime(2027, 3, 20, tzinfo=UTC), datetime(2027, 4, 20, tzinfo=UTC)
    outside = (FeedOccurrence(london(2027, 6, 1, 9), london(2027, 6, 1, 10), "held"),)
    bookings = [
        booking("clip@test", SPRING_EXCEPTIONS, rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=12"),
        booking("outside@test", outside),
    ]
    ics = render(bookings, window_start=start, window_end=end)
    inside = [o for o in SPRING_EXCEPTIONS if o.end_utc > start and o.start_utc < end]
    parsed = assert_valid_feed(ics, {"clip@test": held(tuple(inside))})
    assert rule_parts(vevents(parsed.events, "clip@test")[0]["RRULE"])["COUNT"] == str(len(inside))
    assert not vevents(parsed.events, "outside@test")


def test_empty_feed_still_has_its_timezone() -> None:
    parsed = assert_valid_feed(render([]), {})
    assert parsed.events == []
    assert "TZID:Europe/London" in parsed.lines


def test_text_is_escaped_and_folded_without_loss() -> None:
    title = 'Ceilidh; music, dance & \\ "quotes" — Noson Lawen ñ 日本語 ' * 3
    occs = (FeedOccurrence(london(2027, 9, 4, 19), london(2027, 9, 4, 23), "held"),)
    b = booking("text@test", occs, title=title.strip())
    parsed = assert_valid_feed(render([b]), {"text@test": held(occs)})
    assert parsed.icaljs is not None
    summary = f"{title.strip()} (Millbrook Local History Society)"
    assert parsed.icaljs["events"][0]["summary"] == summary
    assert parsed.ical_calendar.events[0].summary == summary


def test_control_characters_become_spaces() -> None:
    # TEXT may not carry control characters (but TAB; line breaks are escaped): one pasted into a
    # form would otherwise make the whole feed unreadable.
    occs = (FeedOccurrence(london(2027, 9, 4, 19), london(2027, 9, 4, 23), "held"),)
    b = booking("control@test", occs, title="Bell\x07ringers\x00 practice\r\nand\rtea\x7f")
    parsed = assert_valid_feed(render([b]), {"control@test": held(occs)})
    summary = "Bell ringers  practice\nand tea  (Millbrook Local History Society)"
    assert parsed.ical_calendar.events[0].summary == summary
    assert parsed.icaljs is not None
    assert parsed.icaljs["events"][0]["summary"] == summary


def test_no_line_is_folded_inside_an_escape() -> None:
    # Some clients unescape before unfolding: a fold between the backslash and the character it
    # escapes would then read as a lone backslash. Each shift puts an escape at another column.
    bookings = []
    for shift in range(12):
        for escaped in (",", ";", "\\", "\n"):
            occs = (FeedOccurrence(london(2027, 9, 4, 19), london(2027, 9, 4, 23), "held"),)
            title = "x" * (50 + shift) + escaped * 8 + " ñ"
            bookings.append(booking(f"fold-{shift}-{len(bookings)}@test", occs, title=title))
    ics = render(bookings)
    assert_valid_feed(ics, {b.uid: held(b.occurrences) for b in bookings})
    for line in ics.split(b"\r\n"):
        run = len(line) - len(line.rstrip(b"\\"))
        assert run % 2 == 0, f"line ends inside an escape: {line!r}"


@pytest.mark.parametrize("seed", [20270315, 7, 1966])
def test_random_series_agree_with_both_parsers(seed: int) -> None:
    rng = random.Random(seed)
    bookings, expected = [], {}
    for n in range(12):
        freq = rng.choice(["DAILY", "WEEKLY", "MONTHLY"])
        hour = rng.choice([7, 12, 19, 22])
        first = datetime(2027, rng.randint(1, 11), rng.randint(1, 28), hour)
        count = rng.randint(2, 15)
        step = {"DAILY": timedelta(days=2), "WEEKLY": timedelta(weeks=1), "MONTHLY": None}[freq]
        occs = []
        for i in range(count):
            if step is None:
                y, m = divmod(first.month - 1 + i, 12)
                local = first.replace(year=first.year + y, month=m + 1)
            else:
                local = first + step * i
            s = london(local.year, local.month, local.day, local.hour)
            occs.append(FeedOccurrence(s, s + timedelta(minutes=90), "held"))
        t = tuple(occs)
        for _ in range(rng.randint(0, 2)):
            t = cancel(t, rng.randrange(count))
        for _ in range(rng.randint(0, 2)):
            i = rng.randrange(count)
            if t[i].status == "held" and t[i].original_start_utc is None:
                t = move(t, i, timedelta(hours=rng.choice([-3, 1, 26])))
        rule = {
            "DAILY": "FREQ=DAILY;INTERVAL=2",
            "WEEKLY": "FREQ=WEEKLY",
            "MONTHLY": f"FREQ=MONTHLY;BYMONTHDAY={first.day}",
        }[freq]
        uid = f"random-{n}@test"
        bookings.append(booking(uid, t, rrule=rule))
        expected[uid] = [(s, e) for s, e in held(t) if e > WINDOW[0] and s < WINDOW[1]]
    ics = render(bookings)
    parsed = assert_valid_feed(ics, expected)
    assert sum("RRULE" in ev for ev in parsed.events) >= 6  # most really are written as rules


def test_full_detail_series_valid_and_identical_on_a_second_render() -> None:
    # Was the check of the icalendar-built baseline; render_feed is now built with icalendar, and
    # the second render comes from the event cache.
    bookings = [
        booking("a@test", SPRING_EXCEPTIONS, rrule="FREQ=WEEKLY;BYDAY=TU"),
        booking("b@test", AUTUMN, rrule="FREQ=WEEKLY;BYDAY=TU", status="awaiting_acceptance"),
    ]
    ics = render_feed(spec("full"), bookings, window_start=WINDOW[0], window_end=WINDOW[1], now=NOW)
    assert_valid_feed(ics, {"a@test": held(SPRING_EXCEPTIONS), "b@test": held(AUTUMN)})
    assert render_feed(spec("full"), bookings, window_start=WINDOW[0], window_end=WINDOW[1], now=NOW) == ics


def test_decisions_due_feed() -> None:
    cases = [
        DueCase(
            "due-1@test",
            1,
            datetime(2027, 2, 10, 8, tzinfo=UTC),
            "VH-2027-0101",
            "Hall hire, Saturday talk",
            date(2027, 2, 20),
            "standard",
        ),
        DueCase(
            "due-2@test",
            4,
            datetime(2027, 2, 11, 8, tzinfo=UTC),
            "VH-2027-0102",
            "Weekly youth club",
            date(2027, 3, 29),
            "enhanced",
        ),
    ]
    ics = render_decisions_due(spec(), cases)
    parsed = assert_valid_feed(
        ics,
        {
            "due-1@test": [(date(2027, 2, 20), date(2027, 2, 21))],
            "due-2@test": [(date(2027, 3, 29), date(2027, 3, 30))],
        },
    )
    assert all(ev["TRANSP"] == "TRANSPARENT" for ev in parsed.events)
