"""The booking request as a hirer sends it (design.md 4.2). Unknown fields are refused.

Hirers cannot set status, decisions or screening fields: the model has none, and
`extra="forbid"` turns any attempt into a 422 naming the field. Text holds no control
characters; only multi-line fields (`LongText`, answers) take tabs and line breaks.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import AwareDatetime, ConfigDict, EmailStr, Field, StringConstraints, field_validator

from vetting.clean_text import MULTILINE, CleanTextModel

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000), MULTILINE]
ORGANISATION_TYPES = (
    "charity",
    "cio",
    "company",
    "cic",
    "faith_group",
    "club",
    "school",
    "public_body",
    "informal",
)
PERSON_ROLES = ("officer", "trustee", "speaker", "safeguarding_lead", "organiser", "performer", "other")


class _Strict(CleanTextModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class OrganisationIn(_Strict):
    name: Text
    type: Literal[
        "charity", "cio", "company", "cic", "faith_group", "club", "school", "public_body", "informal"
    ] = "informal"
    charity_number: Annotated[str, StringConstraints(max_length=20)] | None = None
    company_number: Annotated[str, StringConstraints(max_length=20)] | None = None
    address: LongText | None = None
    website: Annotated[str, StringConstraints(max_length=300)] | None = None


class ContactIn(_Strict):
    name: Text
    email: EmailStr
    phone: Annotated[str, StringConstraints(max_length=40)] | None = None


class PersonIn(_Strict):
    name: Text
    role: Literal["officer", "trustee", "speaker", "safeguarding_lead", "organiser", "performer", "other"]


class EventIn(_Strict):
    title: Text
    description: LongText = ""
    expected_attendance: int = Field(ge=1, le=100_000)
    open_to_public: bool = False
    under_18s: bool = False
    adults_at_risk: bool = False


class RecurrenceIn(_Strict):
    rrule: Annotated[str, StringConstraints(max_length=200)]


class ApplicationRequest(_Strict):
    room_id: UUID
    organisation: OrganisationIn
    contact: ContactIn
    people: list[PersonIn] = Field(default_factory=list, max_length=50)
    event: EventIn
    start: AwareDatetime
    end: AwareDatetime
    recurrence: RecurrenceIn | None = None
    declarations: list[Annotated[str, StringConstraints(max_length=80)]] = Field(
        default_factory=list, max_length=50
    )
    answers: Annotated[dict[str, Any], MULTILINE] = Field(default_factory=dict)

    @field_validator("answers")
    @classmethod
    def _small_answers(cls, value: dict[str, Any]) -> dict[str, Any]:
        if len(value) > 100:
            raise ValueError("too many answers")
        for key, item in value.items():
            if len(key) > 80:
                raise ValueError("answer ids are at most 80 characters")
            if not isinstance(item, str | int | float | bool | None | dt.date):
                raise ValueError(f"answer {key!r} must be text, a number, yes/no or a date")
            if isinstance(item, str) and len(item) > 5000:
                raise ValueError(f"answer {key!r} is too long")
        return value
