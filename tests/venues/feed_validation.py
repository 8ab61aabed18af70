"""Validate an iCalendar feed three ways: raw bytes, the `ical` package (strict) and Mozilla's ical.js.

`assert_valid_feed(ics, expected)` is reusable from any test (the HTTP tests call it on response
bodies). `expected` maps each booking's stored UID to the occurrences that must show as not
cancelled, as (start, end) pairs: aware datetimes (compared in UTC) or dates for all-day events.
Occurrences written as their own VEVENT carry the UID "<uid>#<slot>" and count for "<uid>".
Cancelled instances may appear (they must say STATUS:CANCELLED); no other UID may show anything.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from ical.calendar import Calendar
from ical.calendar_stream import IcsCalendarStream

JS_DIR = Path(__file__).resolve().parents[1] / "js"
_PER_OCCURRENCE_UID = re.compile(r"^(?P<uid>.+)#\d{8}T\d{6}Z$")
_FAR_PAST = datetime(1970, 1, 1, tzinfo=UTC)
_FAR_FUTURE = datetime(2100, 1, 1, tzinfo=UTC)

When = datetime | date
Expected = Mapping[str, Sequence[tuple[When, When]]]


@dataclass(frozen=True)
class ParsedFeed:
    """What the checks saw, for further assertions by the caller."""

    lines: list[str]  # unfolded content lines
    events: list[dict[str, str]]  # one dict of unfolded "NAME;PARAMS" -> value per VEVENT (first of each)
    ical_calendar: Calendar
    icaljs: dict[str, Any] | None  # parse_ics.mjs output; None when node is absent


def _stamp(value: When) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise AssertionError(f"naive datetime {value!r} in a feed instance")
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def _base_uid(uid: str) -> str:
    m = _PER_OCCURRENCE_UID.match(uid)
    return m.group("uid") if m else uid


def _compare(parser: str, seen: dict[str, list[tuple[str, str]]], expected: Expected) -> None:
    want = {uid: sorted((_stamp(s), _stamp(e)) for s, e in occs) for uid, occs in expected.items()}
    got = {uid: sorted(occs) for uid, occs in seen.items()}
    for uid, occs in want.items():
        assert got.get(uid, []) == occs, f"{parser}: occurrences of {uid} differ"
    extra = {uid for uid, occs in got.items() if occs and uid not in want}
    assert not extra, f"{parser}: unexpected events shown: {sorted(extra)}"


def check_raw(ics: bytes) -> tuple[list[str], list[dict[str, str]]]:
    """The byte-level rules; returns the unfolded lines and the VEVENTs' properties."""
    text = ics.decode("utf-8")
    assert text.endswith("\r\n"), "feed must end with CRLF"
    assert "\r" not in text.replace("\r\n", ""), "bare CR"
    assert "\n" not in text.replace("\r\n", ""), "bare LF"
    physical = text[:-2].split("\r\n")
    for line in physical:
        assert len(line.encode()) <= 75, f"line over 75 octets: {line!r}"
    lines: list[str] = []
    for line in physical:
        if line.startswith((" ", "\t")):
            assert lines, "feed starts with a continuation line"
            lines[-1] += line[1:]
        else:
            lines.append(line)
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-1] == "END:VCALENDAR"
    names = [line.split(":", 1)[0].split(";", 1)[0] for line in lines]
    for required in ("VERSION", "PRODID", "NAME", "X-WR-CALNAME", "DESCRIPTION", "X-WR-CALDESC"):
        assert required in names, f"calendar lacks {required}"
    assert "VERSION:2.0" in lines
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in lines
    assert "X-PUBLISHED-TTL:PT1H" in lines
    for banned in ("METHOD", "ORGANIZER", "ATTENDEE"):
        assert banned not in names, f"feed must not carry {banned}"

    assert lines.count("BEGIN:VTIMEZONE") == 1, "exactly one VTIMEZONE"
    tz_start, tz_end = lines.index("BEGIN:VTIMEZONE"), lines.index("END:VTIMEZONE")
    tz = lines[tz_start:tz_end]
    assert tz.count("BEGIN:STANDARD") == 1, "exactly one STANDARD"
    assert tz.count("BEGIN:DAYLIGHT") == 1, "exactly one DAYLIGHT"
    for kind in ("STANDARD", "DAYLIGHT"):
        block = tz[tz.index(f"BEGIN:{kind}") : tz.index(f"END:{kind}")]
        assert any(line.startswith("RRULE:FREQ=YEARLY") for line in block), f"{kind} without a yearly RRULE"
        assert not any(line.startswith("RDATE") for line in block), f"{kind} with RDATE"

    events: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line, name in zip(lines, names, strict=True):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            assert current is not None
            assert "UID" in current, f"VEVENT without UID: {current}"
            assert "DTSTAMP" in current, f"VEVENT without DTSTAMP: {current}"
            events.append(current)
            current = None
        elif current is not None:
            key, _, value = line.partition(":")
            current.setdefault(name, value)
            current.setdefault(key, value)
    assert current is None, "unterminated VEVENT"
    return lines, events


def _ical_instances(calendar: Calendar, start: datetime, end: datetime) -> dict[str, list[tuple[str, str]]]:
    seen: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for ev in calendar.timeline_tz(UTC):
        status = ev.status.value if ev.status is not None else None
        s, e = ev.dtstart, ev.dtend
        assert s is not None
        assert e is not None
        if isinstance(s, datetime) and isinstance(e, datetime) and not (e > start and s < end):
            continue
        if status != "CANCELLED":
            seen[_base_uid(ev.uid or "")].append((_stamp(s), _stamp(e)))
    return seen


def _icaljs_instances(data: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    seen: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for ev in data["events"]:
        for occ in ev["occurrences"]:
            if occ["status"] != "CANCELLED":
                seen[_base_uid(ev["uid"])].append((occ["start"], occ["end"]))
    return seen


def run_icaljs(ics: bytes, start: datetime = _FAR_PAST, end: datetime = _FAR_FUTURE) -> dict[str, Any]:
    """Parse with ical.js through node; fails loudly if the node project is not installed."""
    assert (JS_DIR / "node_modules" / "ical.js").is_dir(), f"ical.js missing: run `npm ci` in {JS_DIR}"
    proc = subprocess.run(
        ["node", str(JS_DIR / "parse_ics.mjs"), "-", "--from", _stamp(start), "--to", _stamp(end)],
        input=ics,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, f"ical.js rejected the feed: {proc.stderr.decode()}"
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def assert_valid_feed(
    ics: bytes,
    expected: Expected,
    *,
    window: tuple[datetime, datetime] = (_FAR_PAST, _FAR_FUTURE),
) -> ParsedFeed:
    """Raw checks, then both parsers' expanded occurrences within `window` must equal `expected`.

    Skips (after the raw and `ical` checks have passed) only when `node` is not installed.
    """
    lines, events = check_raw(ics)
    # ical's strict mode is its default: compatibility shims apply only inside enable_compat_mode().
    calendar = IcsCalendarStream.calendar_from_ics(ics.decode("utf-8"))
    assert len(calendar.timezones) == 1
    _compare("ical", _ical_instances(calendar, *window), expected)
    if shutil.which("node") is None:
        pytest.skip("node is not installed: the ical.js half of the feed validation did not run")
    data = run_icaljs(ics, *window)
    assert data["timezones"] == 1
    _compare("ical.js", _icaljs_instances(data), expected)
    return ParsedFeed(lines=lines, events=events, ical_calendar=calendar, icaljs=data)
