"""The date-change message to a hirer, worded in the case's language (issue 18 item 4).

A change is kept as values (which date, from when to when, what happened to it) and the council's
reason as its code plus the officer's own words; both are worded only here, when the message is
made, through casework's catalogue (casework/message_language.py), with the dates written by Babel
in the message's language. The officer's own words (details, or a reason given as free text) are
shown as written: no one translated them. Staff records and alerts keep the English (`str`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from casework.message_language import ENGLISH, date_range, gettext


def N_(message: str) -> str:
    """Marks a msgid for extraction where it is defined; worded later by `gettext`."""
    return message


# Why the council changes a date, as the hirer reads it. "other" needs the officer's own words.
REASONS = {
    "venue_closed": N_("The venue is closed that day"),
    "room_unavailable": N_("The room cannot be used (repairs or safety)"),
    "hirer_asked": N_("The hirer asked for the change"),
    "conditions_breached": N_("The conditions of hire were not kept"),
    "other": N_("Another reason"),
}

Kind = Literal["cancelled", "moved", "withdrawn"]


@dataclass(frozen=True)
class Reason:
    """The council's reason: a code of `REASONS` (None for words given as free text) and the
    officer's own words. `str()` is the English, as records and staff pages keep it."""

    code: str | None
    details: str = ""

    def words(self, language: str = ENGLISH) -> str:
        if self.code not in REASONS:
            return self.details
        chosen = gettext(REASONS[self.code], language)
        return f"{chosen}. {self.details}" if self.details else chosen

    def __str__(self) -> str:
        return self.words(ENGLISH)

    def __bool__(self) -> bool:
        return bool(self.code in REASONS or self.details)


@dataclass(frozen=True)
class DateChange:
    """One date of the booking and what happened to it (venue wall-clock times)."""

    kind: Kind
    start: dt.datetime
    end: dt.datetime
    new_start: dt.datetime | None = None  # where a moved date went
    new_end: dt.datetime | None = None

    def words(self, language: str = ENGLISH) -> str:
        when = date_range(self.start, self.end, language)
        if self.kind == "cancelled":
            return gettext("%(date)s: cancelled.", language) % {"date": when}
        if self.kind == "withdrawn":
            return gettext("%(date)s: withdrawn at your request.", language) % {"date": when}
        assert self.new_start is not None and self.new_end is not None
        after = date_range(self.new_start, self.new_end, language)
        return gettext("%(before)s: moved to %(after)s.", language) % {"before": when, "after": after}


def change_text(changes: Sequence[DateChange], reason: Reason | None, language: str = ENGLISH) -> str:
    """The lines of the message's ``change``: each date, then the reason when there is one."""
    listed = "\n".join(c.words(language) for c in changes)
    if not reason:
        return listed
    return listed + "\n\n" + gettext("Reason: %(reason)s", language) % {"reason": reason.words(language)}


__all__ = ["REASONS", "DateChange", "Reason", "change_text"]
