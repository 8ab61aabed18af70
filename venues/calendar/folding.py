"""Line folding as the feeds promise it: at most 75 octets a line, never inside a UTF-8 sequence
and never inside a backslash escape (some clients unescape before unfolding, and `\\` + `,` on
two lines then reads as a lone backslash). icalendar folds by octets but may split an escape, so
the writer folds its output again with this rule; it runs once per event (the bytes are cached).
"""

from __future__ import annotations

__all__ = ["refold"]

_LIMIT = 75


def refold(ics: bytes) -> bytes:
    """`ics` (CRLF lines, folded or not) folded by the rule above."""
    text = ics.decode().replace("\r\n ", "")
    return "\r\n".join(_fold(line) for line in text.split("\r\n")).encode()


def _odd_backslashes_before(text: bytes, start: int, end: int) -> bool:
    """Whether the octet before `end` is a backslash that starts an escape sequence."""
    run = 0
    while end - 1 - run >= start and text[end - 1 - run] == 0x5C:
        run += 1
    return run % 2 == 1


def _fold(line: str) -> str:
    data = line.encode()
    size = len(data)
    if size <= _LIMIT:
        return line
    pieces = []
    start, limit = 0, _LIMIT
    while start < size:
        end = min(start + limit, size)
        while end < size and (data[end] & 0xC0) == 0x80:  # not inside a UTF-8 sequence
            end -= 1
        if end < size and _odd_backslashes_before(data, start, end):
            end -= 1
        pieces.append(data[start:end].decode())
        start, limit = end, _LIMIT - 1  # continuation lines start with one space
    return "\r\n ".join(pieces)
