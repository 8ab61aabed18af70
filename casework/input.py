"""The booking request as a hirer sends it (design.md 4.2). Unknown fields are refused.

Hirers cannot set status, decisions or screening fields: the model has none, and
`extra="forbid"` turns any attempt into a 422 naming the field. Text holds no control
characters; only multi-line fields (`LongText`, answers) take tabs and line breaks.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import (
    AwareDatetime,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from vetting.clean_text import MULTILINE, CleanTextModel
from vetting.phone import uk_mobile

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
    # Before `phone`, whose check reads it: a number is needed (and must be a mobile) only for texts.
    sms_consent: bool = Field(
        default=False,
        description="The contact agrees to text message reminders; `phone` must then be a UK mobile number",
    )
    phone: Annotated[str, StringConstraints(max_length=40)] | None = Field(
        default=None,
        validate_default=True,
        description="Any telephone number; with `sms_consent`, a UK mobile number, kept as +447...",
    )

    @field_validator("phone")
    @classmethod
    def _mobile_for_texts(cls, value: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("sms_consent") is not True:
            return value  # least data: without consent the number stays optional and as typed
        if not value:
            raise PydanticCustomError(
                "mobile_missing", "a UK mobile number is needed to send text message reminders"
            )
        number = uk_mobile(value)
        if number is None:
            raise PydanticCustomError(
                "uk_mobile", "must be a UK mobile number, like 07700 900123 or +44 7700 900123"
            )
        return number


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
    # Extras from the venue's rate card (kitchen, projector...), by id; priced with the hire.
    extras: list[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,39}$")]] = Field(
        default_factory=list, max_length=20
    )
    # The language the hirer made the request in ("en" or "cy"): the policy's texts they read
    # were in it, and the messages to them are written in it.
    language: Literal["en", "cy"] = "en"

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
