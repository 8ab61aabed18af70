"""What the register readers share: a row they could not read, dates as the registers write them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
# The Charity Commission writes "2019-03-28 00:00:00" (and sometimes a "T" or fractions).
_ISO_START = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")


class RegisterFormatError(Exception):
    """A register file that cannot be imported at all (wrong layout, missing columns)."""


@dataclass(frozen=True, slots=True)
class BadRow:
    """A row left out, with the line it starts on and why."""

    file: str
    line: int  # or, in a JSON array, the record's position
    problem: str
    unit: str = "line"

    def __str__(self) -> str:
        return f"{self.file} {self.unit} {self.line}: {self.problem}"


def dmy_date(value: str) -> dt.date | None:
    """A dd/mm/yyyy date (Companies House); blank means none. Raises ValueError otherwise."""
    value = value.strip()
    if not value:
        return None
    match = _DMY.fullmatch(value)
    if not match:
        raise ValueError(f"{value!r} is not a date in the form dd/mm/yyyy")
    day, month, year = (int(part) for part in match.groups())
    return dt.date(year, month, day)


def iso_date(value: object) -> dt.date | None:
    """A "YYYY-MM-DD HH:MM:SS" date (Charity Commission); blank or null means none."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    match = _ISO_START.fullmatch(text)
    if not match:
        raise ValueError(f"{text!r} is not a date in the form YYYY-MM-DD HH:MM:SS")
    year, month, day = (int(part) for part in match.groups())
    return dt.date(year, month, day)
