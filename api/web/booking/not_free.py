"""Why dates cannot be booked, in the reader's language.

The venues package explains a clash in English (`Conflict.details`, also what the JSON API
answers) and cannot import the web layer. When it raises `DatesNotFree` it also hands over each
problem's kind, dates and facts, so a Welsh page writes the whole sentence itself, with the date
in Welsh (Babel). English pages keep the venues wording as it was.
"""

from __future__ import annotations

from api.web.i18n import DEFAULT, N_, current_language
from api.web.i18n import gettext as _
from api.web.readable import short_date, time_range
from venues.availability import OccurrenceProblem
from venues.booking_plan import DatesNotFree
from venues.conflicts import OWN_SERIES
from vetting.errors import Conflict

# Conflicts venues raises without problems (a race lost at the moment of holding the slot).
KNOWN_MESSAGES = {
    message: message
    for message in (
        N_("some dates were booked by someone else a moment ago"),
        N_("some dates cannot be booked"),
    )
}


def problem_words(problem: OccurrenceProblem) -> str:
    """ "Iau 18 Chwef 2027, 7yh i 9yh: wedi’i archebu’n barod" in the reader's language."""
    start, end = problem.local_start, problem.local_end
    when = f"{short_date(start.date())}, {time_range(start, end)}"
    if problem.kind == "outside_opening_hours":
        return _("%(when)s: outside the room’s opening hours") % {"when": when}
    if problem.kind == "closed":
        return _("%(when)s: the venue is closed (%(reason)s)") % {"when": when, "reason": problem.note}
    if problem.detail == OWN_SERIES:
        return _("%(when)s: overlaps another date of this series") % {"when": when}
    return _("%(when)s: already booked") % {"when": when}


def conflict_reasons(exc: Conflict) -> list[str]:
    """Each date that cannot be booked and why (or the one reason when no date is named)."""
    if current_language() == DEFAULT:
        return list(exc.details) or [exc.message]
    if isinstance(exc, DatesNotFree) and exc.problems:
        return [problem_words(p) for p in exc.problems]
    known = KNOWN_MESSAGES.get(exc.message)
    return [_(known) if known else exc.message]


__all__ = ["conflict_reasons", "problem_words"]
