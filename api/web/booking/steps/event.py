"""Page 5: the event itself, checked with the API's `EventIn`."""

from __future__ import annotations

from typing import Any, ClassVar

from api.web.booking.choices import YES_NO_VALUES
from api.web.booking.draft import Draft, parse_int, text
from api.web.booking.field_errors import FieldRule, check, in_order
from api.web.booking.steps.base import BaseStep, StepContext
from api.web.i18n import N_
from casework.input import EventIn

# Attendance is asked once, on the first page; its number is checked there and carried here.
ATTENDANCE_MESSAGE = N_("Enter how many people will attend, as a number")


def _yes_no_rule(name: str, what: str, message: str) -> FieldRule:
    # Radios: the summary links to the first one ("-yes"); anything but yes or no is unanswered.
    return FieldRule(f"{name}-yes", what, message, message)


EVENT_RULES = {
    "title": FieldRule("title", N_("Title"), N_("Enter a title for the event")),
    "description": FieldRule(
        "description",
        N_("Description"),
        "",
        by_type={"string_too_long": N_("The description must be 5,000 characters or fewer")},
    ),
    "expected_attendance": FieldRule(
        "expected_attendance",
        N_("Expected attendance"),
        ATTENDANCE_MESSAGE,
        ATTENDANCE_MESSAGE,
        by_type={"less_than_equal": N_("The expected attendance must be 100,000 or fewer")},
    ),
    "open_to_public": _yes_no_rule(
        "open_to_public",
        "whether the event is open to the public",
        N_("Select whether the event is open to the public"),
    ),
    "under_18s": _yes_no_rule(
        "under_18s",
        "whether children or young people under 18 will attend",
        N_("Select whether children or young people under 18 will attend"),
    ),
    "adults_at_risk": _yes_no_rule(
        "adults_at_risk",
        "whether adults at risk will attend",
        N_("Select whether adults at risk will attend"),
    ),
}
YES_NO_FIELDS = ("open_to_public", "under_18s", "adults_at_risk")


def event_data(draft: Draft) -> dict[str, Any]:
    """The draft's event as `EventIn` reads it: numbers as typed ("1,200" too), yes or no only."""
    raw_attendance = str(draft.get("expected_attendance", ""))
    attendance = parse_int(raw_attendance)
    data: dict[str, Any] = {
        "title": draft.get("title", ""),
        "description": draft.get("description", ""),
        "expected_attendance": raw_attendance if attendance is None else attendance,
    }
    for name in YES_NO_FIELDS:
        # None (not answered) is refused by `EventIn`'s booleans, and so reported as missing.
        data[name] = YES_NO_VALUES.get(draft.get(name, ""))
    return data


class EventStep(BaseStep):
    name: ClassVar[str] = "event"
    title: ClassVar[str] = N_("About the event")
    fields: ClassVar[tuple[str, ...]] = (
        "title",
        "description",
        "open_to_public",
        "under_18s",
        "adults_at_risk",
    )
    next: ClassVar[str | None] = "questions"

    async def take(self, ctx: StepContext, form: Any, draft: Draft) -> dict[str, str]:
        for name in self.fields:
            draft[name] = text(form, name)
        _, errors = check(EventIn, event_data(draft), EVENT_RULES)
        anchors = [f"{n}-yes" if n in YES_NO_FIELDS else n for n in self.fields]
        return in_order(errors, anchors)
