"""Dates typed in the Design System's date input: three fields (day, month, year), checked and
worded as the Design System asks ("Date of the event must include a month").

A field group is named by a prefix: the fields are `<prefix>-day`, `<prefix>-month` and
`<prefix>-year`. The draft keeps what was typed (`<prefix>_parts`) so a page with errors shows it
back, the fields at fault (`<prefix>_error_parts`), and the date itself as ISO text under
`<prefix>` once it is a real date ("" until then).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from api.web.i18n import N_
from api.web.i18n import gettext as _

PARTS = ("day", "month", "year")
# Month names as people type them ("March", "mar", "Sept"); digits are read first.
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}


@dataclass(frozen=True)
class DateAnswer:
    """One date group as typed: the date when real, else the message and the fields at fault."""

    parts: dict[str, str]
    day: dt.date | None
    error: str | None = None
    error_parts: tuple[str, ...] = ()

    def anchor(self, prefix: str) -> str:
        """Where the error summary links: the first field at fault."""
        return f"{prefix}-{self.error_parts[0] if self.error_parts else 'day'}"


def _number(text: str, part: str) -> int | None:
    cleaned = text.strip().rstrip(".")
    if cleaned.isdigit():
        return int(cleaned)
    if part == "month":
        return _MONTHS.get(cleaned.lower())
    return None


_PART_WORDS = {"day": N_("day"), "month": N_("month"), "year": N_("year")}


def _listed(parts: list[str]) -> str:
    words = [_(_PART_WORDS[p]) for p in parts]
    if len(words) == 1:
        return words[0]
    return _("%(first)s and %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


def read_date_parts(parts: dict[str, str], subject: str, missing: str) -> DateAnswer:
    """Check three typed parts. `subject` starts the messages ("Date of the event"); `missing`
    is the whole message when nothing was typed ("Enter the date of the event")."""
    parts = {p: (parts.get(p) or "").strip()[:20] for p in PARTS}
    empty = [p for p in PARTS if not parts[p]]
    if len(empty) == len(PARTS):
        return DateAnswer(parts, None, missing, PARTS)
    if empty:
        return DateAnswer(
            parts,
            None,
            _("%(subject)s must include a %(parts)s") % {"subject": subject, "parts": _listed(empty)},
            tuple(empty),
        )
    numbers = {p: _number(parts[p], p) for p in PARTS}
    wrong = tuple(p for p in PARTS if numbers[p] is None)
    if wrong:
        return DateAnswer(parts, None, _("%(subject)s must be a real date") % {"subject": subject}, wrong)
    day, month, year = numbers["day"], numbers["month"], numbers["year"]
    assert day is not None and month is not None and year is not None
    if len(parts["year"]) != 4:
        return DateAnswer(parts, None, _("Year must include 4 numbers"), ("year",))
    if not 1 <= month <= 12:
        return DateAnswer(
            parts, None, _("%(subject)s must be a real date") % {"subject": subject}, ("month",)
        )
    try:
        return DateAnswer(parts, dt.date(year, month, day))
    except ValueError:
        return DateAnswer(parts, None, _("%(subject)s must be a real date") % {"subject": subject}, ("day",))


def read_date(form: Any, prefix: str, subject: str, missing: str) -> DateAnswer:
    """The date group `prefix` of a posted form."""
    typed: dict[str, str] = {}
    for part in PARTS:
        value = form.get(f"{prefix}-{part}")
        typed[part] = value if isinstance(value, str) else ""
    return read_date_parts(typed, subject, missing)


def keep(draft: dict[str, Any], prefix: str, answer: DateAnswer) -> None:
    """Store a date group in the draft (see the module's docstring)."""
    draft[f"{prefix}_parts"] = answer.parts
    draft[f"{prefix}_error_parts"] = list(answer.error_parts)
    draft[prefix] = answer.day.isoformat() if answer.day else ""


def parts_of(day: dt.date) -> dict[str, str]:
    """A date as the three fields show it when filled in for the hirer."""
    return {"day": str(day.day), "month": str(day.month), "year": str(day.year)}


__all__ = ["PARTS", "DateAnswer", "keep", "parts_of", "read_date", "read_date_parts"]
