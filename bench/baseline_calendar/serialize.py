"""The direct serializer: content lines written by hand, escaped and folded as RFC 5545 says."""

from __future__ import annotations

import re
from datetime import datetime

from bench.baseline_calendar.plan import _Plan
from bench.baseline_calendar.values import (
    _Local,
    _local_stamp,
    _PlannedEvent,
    _Prop,
    _Text,
    _Token,
    _utc_stamp,
    _Value,
)
from venues.ical_timezone import vtimezone_lines

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _escape(text: str) -> str:
    if _CONTROL.search(text):
        text = _CONTROL.sub(" ", text.replace("\r\n", "\n"))
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _odd_backslashes_before(text: str | bytes, start: int, end: int) -> bool:
    """Whether the character before `end` is a backslash that starts an escape sequence."""
    backslash = "\\" if isinstance(text, str) else 0x5C
    run = 0
    while end - 1 - run >= start and text[end - 1 - run] == backslash:
        run += 1
    return run % 2 == 1


def _fold(line: str) -> str:
    """RFC 5545 folding: at most 75 octets a line, never splitting a UTF-8 sequence.

    A backslash escape is also kept on one line: some clients unescape before unfolding.
    """
    if len(line) <= 75 and line.isascii():
        return line
    if line.isascii():
        text: str | bytes = line
        size = len(line)
    else:
        text = line.encode()
        size = len(text)
        if size <= 75:
            return line
    pieces = []
    start, limit = 0, 75
    while start < size:
        end = min(start + limit, size)
        if isinstance(text, bytes):
            while end < size and (text[end] & 0xC0) == 0x80:
                end -= 1
        if end < size and _odd_backslashes_before(text, start, end):
            end -= 1
        piece = text[start:end]
        pieces.append(piece if isinstance(piece, str) else piece.decode())
        start, limit = end, 74  # continuation lines start with one space
    return "\r\n ".join(pieces)


def _line(name: str, value: _Value, tzid: str) -> str:
    """One folded content line (date-time lines are always short, so only text is folded)."""
    if isinstance(value, _Text):
        return _fold(f"{name}:{_escape(value.value)}")
    if isinstance(value, _Token):
        if name == "REFRESH-INTERVAL":
            return f"{name};VALUE=DURATION:{value.value}"
        return _fold(f"{name}:{value.value}")
    if isinstance(value, _Local):
        return f"{name};TZID={tzid}:{_local_stamp(value.value)}"
    if isinstance(value, datetime):
        return f"{name}:{_utc_stamp(value)}"
    return f"{name};VALUE=DATE:{value:%Y%m%d}"


def _head_lines(calendar: list[_Prop], tzid: str) -> list[str]:
    return ["BEGIN:VCALENDAR", *(_line(n, v, tzid) for n, v in calendar), *vtimezone_lines(tzid)]


def _event_lines(events: list[_PlannedEvent], tzid: str, memo: dict[_Prop, str]) -> list[str]:
    out = []
    for ev in events:
        out.append("BEGIN:VEVENT")
        for prop in ev.props:
            line = memo.get(prop)
            if line is None:
                line = memo[prop] = _line(prop[0], prop[1], tzid)
            out.append(line)
        out.append("END:VEVENT")
    return out


def _serialize(plan: _Plan) -> bytes:
    tzid = plan.tzid
    out = _head_lines(plan.calendar, tzid)
    # Locations, statuses and stamps repeat across a venue's events: format each once.
    out += _event_lines(plan.events, tzid, {})
    out.append("END:VCALENDAR")
    out.append("")
    return "\r\n".join(out).encode()
