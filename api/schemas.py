"""Request bodies of the JSON API (responses are documented inline by the controllers)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from vetting.clean_text import MULTILINE, CleanTextModel

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000), MULTILINE]


class _In(CleanTextModel):
    """Text fields refuse control characters; `Reason` and addresses may span lines."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class OwnerIn(_In):
    kind: Literal["council", "partner"]
    name: Name


class VenueIn(_In):
    name: Name
    owner: OwnerIn
    address: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000), MULTILINE
    ]
    timezone: str = "Europe/London"
    contact_email: str | None = None
    contact_phone: str | None = None
    policy_id: str = "council-default"
    bank_holidays_region: Literal["ENG", "WLS", "SCT", "NIR"] | None = "ENG"


class RoomIn(_In):
    name: Name
    capacity: int = Field(ge=1, le=100_000)
    accessibility: list[str] = Field(default_factory=list, max_length=20)
    opening_hours: dict[str, list[list[str]]] = Field(default_factory=dict)
    buffer_minutes: int | None = Field(default=None, ge=0, le=240)
    buffer_before_minutes: int = Field(default=0, ge=0, le=240)
    buffer_after_minutes: int = Field(default=0, ge=0, le=240)
    parts: list[UUID] = Field(default_factory=list, max_length=20)


class PartsIn(_In):
    parts: list[UUID] = Field(max_length=20)


class ClosureIn(_In):
    start_date: dt.date
    end_date: dt.date
    reason: Name
    room_id: UUID | None = None


class ConditionIn(_In):
    code: Annotated[str, StringConstraints(max_length=80)]
    text: Reason | None = None
    rationale: Reason | None = None


class DecisionIn(_In):
    outcome: Literal["approve", "refuse", "request_information"]
    reason: Reason = ""
    reason_code: Annotated[str, StringConstraints(max_length=80)] | None = None
    conditions: list[ConditionIn] = Field(default_factory=list, max_length=30)
    options_considered: Reason | None = None
    revision: int | None = Field(default=None, ge=1, description="the case revision the decision was made on")


class OrganisationLinkIn(_In):
    """An officer's answer to "is this the organisation we already know?"."""

    decision: Literal["confirm", "reject"]
    note: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000), MULTILINE]


class OrganisationLinkOut(BaseModel):
    id: UUID
    reference: str
    status: str
    organisation_link: str
    revision: int


class CountersignIn(_In):
    agree: bool
    note: Reason | None = None


class CancelIn(_In):
    reason_code: Annotated[str, StringConstraints(max_length=80)]
    reason: Reason


class AppealDecisionIn(_In):
    outcome: Literal["upheld", "varied", "dismissed"]
    reason: Reason
    conditions: list[ConditionIn] = Field(default_factory=list, max_length=30)


class InformationIn(_In):
    response: Reason


class AppealIn(_In):
    grounds: Reason


class MoveIn(_In):
    start: dt.datetime
    end: dt.datetime


class FlaggedEntryIn(_In):
    kind: Literal["person", "organisation"]
    name: Name
    aliases: list[Name] = Field(default_factory=list, max_length=50)
    # Provenance only: hand-added entries always have the screened source "local" (see the route).
    source: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
        Field(description="where the name came from, e.g. 'council records'; kept as source_detail"),
    ] = "local"
    source_ref: Annotated[str, StringConstraints(max_length=120)] | None = None
    reason: Reason | None = None
    listed_date: dt.date | None = None


class DeactivateIn(_In):
    reason: Reason


class DispositionIn(_In):
    disposition: Literal["cleared", "possible", "confirmed"]
    note: Reason | None = None


class ScreenNamesIn(_In):
    names: list[Name] = Field(min_length=1, max_length=100)
    kind: Literal["person", "organisation"] | None = None


class FeedIn(_In):
    venue_id: UUID | None = None
    room_id: UUID | None = None
    owner: Name | None = None
    decisions_due: bool = False
    detail: Literal["busy", "standard", "full"] = "standard"


JsonObject = dict[str, Any]
