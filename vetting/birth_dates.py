"""Dates of birth: what the flagged lists give, and telling a named person apart by year of birth.

Pure (no database). A listed date of birth is often partial (a year, a month and year), several
(OFAC's "alt. DOB") or a range, so each is kept as a span of days written in one canonical text:
``1968-07-02`` (a day), ``1968-07`` (a month), ``1968`` (a year), ``1966/1970`` (whole years) or
``1968-07-02/1968-12-31`` (any other span). A value a list writes in a form not recognised here
is left out rather than guessed: an entry without a date of birth is only ever "cannot tell".

The comparison is deliberately one-sided (design.md principle 1): a year of birth further than the
policy's margin from every span the entry gives makes the match "likely a different person",
shown to the officer with the reason; it never clears, hides or lowers the match. Nothing but the
date of birth is compared (principle 2: no nationality, no place of birth).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final, Literal

Verdict = Literal["different", "close", "same", "no_entry_date", "no_case_date"]

_MONTHS: Final = {name.lower(): n for n, name in enumerate(calendar.month_abbr) if name}
_UNKNOWN: Final = frozenset({"", "0", "00", "-", "--", "x", "xx"})
# OFAC remarks: "DOB 03 Apr 1971; alt. DOB 1972; DOB circa 1960; DOB 1968 to 1972".
_OFAC_DOB: Final = re.compile(r"\bDOB\s+([^;]+)", re.IGNORECASE)
_OFAC_DAY: Final = re.compile(r"^(?:(\d{1,2})\s+)?(?:([A-Za-z]{3})[a-z]*\.?\s+)?(\d{4})$")


@dataclass(frozen=True, order=True)
class BirthSpan:
    """The days a listed date of birth allows, first and last included."""

    first: dt.date
    last: dt.date

    @property
    def text(self) -> str:
        first, last = self.first, self.last
        if first == last:
            return first.isoformat()
        whole_years = (first.month, first.day, last.month, last.day) == (1, 1, 12, 31)
        if whole_years:
            return str(first.year) if first.year == last.year else f"{first.year}/{last.year}"
        if (
            first.day == 1
            and (first.year, first.month) == (last.year, last.month)
            and last == _month_end(last.year, last.month)
        ):
            return f"{first.year:04d}-{first.month:02d}"
        return f"{first.isoformat()}/{last.isoformat()}"

    def shown(self) -> str:
        """As an officer reads it: "2 July 1968", "July 1968", "1968", "1966 to 1970"."""
        text = self.text
        if "/" in text:
            start, end = text.split("/")
            return f"{_shown(start)} to {_shown(end)}"
        return _shown(text)

    def years_from(self, year: int) -> int:
        """How many years ``year`` lies outside the span (0 inside it)."""
        return max(0, self.first.year - year, year - self.last.year)


def _shown(text: str) -> str:
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        return f"{parts[2]} {calendar.month_name[parts[1]]} {parts[0]}"
    if len(parts) == 2:
        return f"{calendar.month_name[parts[1]]} {parts[0]}"
    return str(parts[0])


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def span_of(year: int, month: int | None = None, day: int | None = None) -> BirthSpan | None:
    """The span of a date known to the year, the month or the day; None when it is no date."""
    if not 1800 <= year <= 2200:
        return None
    try:
        if month is None:
            return BirthSpan(dt.date(year, 1, 1), dt.date(year, 12, 31))
        if day is None:
            return BirthSpan(dt.date(year, month, 1), _month_end(year, month))
        when = dt.date(year, month, day)
    except ValueError:
        return None
    return BirthSpan(when, when)


def parse_canonical(text: str) -> BirthSpan | None:
    """A span back from its canonical text (as stored); None for anything else."""
    start, _, end = text.partition("/")
    first, last = _canonical_part(start), _canonical_part(end or start)
    if first is None or last is None or first.first > last.last:
        return None
    return BirthSpan(first.first, last.last)


def _canonical_part(text: str) -> BirthSpan | None:
    pieces = text.strip().split("-")
    if not 1 <= len(pieces) <= 3 or not all(p.isdigit() for p in pieces):
        return None
    numbers = [int(p) for p in pieces]
    return span_of(*numbers)


def parse_uk_dob(value: str) -> BirthSpan | None:
    """The UK Sanctions List's D.O.B: ``dd/mm/yyyy`` with an unknown day or month written
    ``00`` or ``--`` (``00/00/1970``, ``--/--/1970``, ``00/07/1970``), or a bare year."""
    pieces = [p.strip() for p in value.strip().split("/")]
    if len(pieces) == 1:
        return span_of(int(pieces[0])) if pieces[0].isdigit() and len(pieces[0]) == 4 else None
    if len(pieces) != 3 or not (pieces[2].isdigit() and len(pieces[2]) == 4):
        return None
    day, month = (None if p.lower() in _UNKNOWN else p for p in pieces[:2])
    if (day is not None and not day.isdigit()) or (month is not None and not month.isdigit()):
        return None
    if month is None:
        return span_of(int(pieces[2]))  # a day without its month says nothing more than the year
    return span_of(int(pieces[2]), int(month), int(day) if day is not None else None)


def _ofac_date(text: str) -> BirthSpan | None:
    text = re.sub(r"^(circa|approximately|about)\s+", "", text.strip(), flags=re.IGNORECASE)
    found = _OFAC_DAY.match(text)
    if found is None:
        return None
    day, month_name, year = found.groups()
    month = _MONTHS.get(month_name.lower()) if month_name else None
    if month_name and month is None:
        return None
    return span_of(int(year), month, int(day) if day and month else None)


def parse_ofac_remarks(remarks: str) -> list[BirthSpan]:
    """Every ``DOB`` (and ``alt. DOB``) in an SDN Remarks cell, ranges ("1968 to 1972") included."""
    spans: list[BirthSpan] = []
    for found in _OFAC_DOB.finditer(remarks):
        start, _, end = found.group(1).strip().rstrip(".").partition(" to ")
        first, last = _ofac_date(start), _ofac_date(end) if end else None
        if first is not None and end and last is not None and first.first <= last.last:
            spans.append(BirthSpan(first.first, last.last))
        elif first is not None and not end:
            spans.append(first)
    return spans


def between(first: BirthSpan | None, last: BirthSpan | None) -> BirthSpan | None:
    """The span from the start of ``first`` to the end of ``last`` (a period with both ends)."""
    if first is None or last is None:
        return first or last
    return BirthSpan(first.first, last.last) if first.first <= last.last else None


def canonical_list(spans: Iterable[BirthSpan | None]) -> tuple[str, ...]:
    """The distinct spans' texts, in date order (how they are stored and compared)."""
    return tuple(s.text for s in sorted({s for s in spans if s is not None}))


@dataclass(frozen=True)
class BirthComparison:
    """What the dates of birth say about one match, as a verdict and a sentence for the officer."""

    verdict: Verdict
    sentence: str

    @property
    def likely_different(self) -> bool:
        return self.verdict == "different"


def compare(known: dt.date | None, listed: Sequence[str], margin: int) -> BirthComparison:
    """The person's date of birth known on the case against the entry's dates of birth."""
    spans = [s for s in (parse_canonical(t) for t in listed) if s is not None]
    given = "; ".join(s.shown() for s in spans)
    if not spans:
        return BirthComparison(
            "no_entry_date", "The entry gives no date of birth, so dates of birth cannot tell them apart."
        )
    if known is None:
        return BirthComparison(
            "no_case_date",
            f"The entry gives the date of birth {given}. No date of birth is known for this person "
            "on this case: you can ask the hirer for it.",
        )
    distance = min(span.years_from(known.year) for span in spans)
    born = f"{known.day} {calendar.month_name[known.month]} {known.year}"
    if distance > margin:
        return BirthComparison(
            "different",
            f"Likely a different person: born {born} (the hirer's answer), while the entry gives "
            f"{given}. The years of birth differ by {distance}, more than the {margin} "
            f"year{'' if margin == 1 else 's'} the policy allows. The match stays until you clear it.",
        )
    if any(span.first == span.last == known for span in spans):
        return BirthComparison(
            "same", f"The date of birth, {born}, is the entry's: dates of birth do not tell them apart."
        )
    return BirthComparison(
        "close",
        f"Born {born} (the hirer's answer); the entry gives {given}. The year of birth is within "
        f"{margin} year{'' if margin == 1 else 's'} of the entry's, so dates of birth do not tell them "
        "apart.",
    )
