"""Page 4: the people involved, one row each, checked with the API's `PersonIn`."""

from __future__ import annotations

from typing import Any, ClassVar

from api.web.booking.draft import Draft, people_rows, text
from api.web.booking.field_errors import FieldRule, check
from api.web.booking.steps.base import BaseStep, StepContext
from api.web.i18n import N_
from api.web.i18n import gettext as _
from casework.input import PersonIn

MAX_PEOPLE = 30


def person_rules(row: int) -> dict[str, FieldRule]:
    return {
        "name": FieldRule(
            f"person_{row}_name", _("Full name"), _("Enter the name of person %(n)s") % {"n": row + 1}
        ),
        "role": FieldRule(
            f"person_{row}_role",
            _("Role"),
            _("Select the role of person %(n)s") % {"n": row + 1},
            _("Select the role of person %(n)s") % {"n": row + 1},
        ),
    }


class PeopleStep(BaseStep):
    name: ClassVar[str] = "people"
    title: ClassVar[str] = N_("The people involved")
    fields: ClassVar[tuple[str, ...]] = ()  # person_{i}_name and person_{i}_role, one pair a row
    next: ClassVar[str | None] = "event"

    async def take(self, ctx: StepContext, form: Any, draft: Draft) -> dict[str, str]:
        rows = people_rows(draft)
        people: list[dict[str, str]] = []
        errors: dict[str, str] = {}
        for i in range(rows):
            person = {"name": text(form, f"person_{i}_name"), "role": text(form, f"person_{i}_role")}
            if not person["name"] and not person["role"]:
                continue  # an empty row is simply not used
            people.append(person)
            _, row_errors = check(PersonIn, person, person_rules(i))
            errors |= row_errors
        draft["people"] = people
        draft["people_rows"] = max(rows, len(people) + 1)
        return errors

    async def view(self, ctx: StepContext, draft: Draft) -> dict[str, Any]:
        people = draft.get("people") or []
        rows = max(people_rows(draft), len(people) + 1)
        return {
            "rows": rows,
            "people_rows": [people[i] if i < len(people) else {"name": "", "role": ""} for i in range(rows)],
        }

    @staticmethod
    def add_row(draft: Draft) -> None:
        draft["people_rows"] = min(MAX_PEOPLE, people_rows(draft) + 1)
