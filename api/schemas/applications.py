"""Booking requests and officers' actions on them: request bodies and short answers.

The officer's whole case and the hirer's status page are read models of their own (cases.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field, StringConstraints

from api.schemas.common import In, Out, Reason, SparseOut
from vetting.clean_text import MULTILINE


class ConditionIn(In):
    code: Annotated[str, StringConstraints(max_length=80)]
    text: Reason | None = None
    rationale: Reason | None = None


class DecisionIn(In):
    outcome: Literal["approve", "refuse", "request_information"]
    reason: Reason = ""
    reason_code: Annotated[str, StringConstraints(max_length=80)] | None = None
    conditions: list[ConditionIn] = Field(default_factory=list, max_length=30)
    options_considered: Reason | None = None
    revision: int | None = Field(default=None, ge=1, description="the case revision the decision was made on")
    checks_in_review_reason: Reason | None = Field(
        default=None,
        description=(
            "why an approval goes over checks that still need review (no officer outcome recorded); "
            "when absent, the decision's reason is recorded as that reason"
        ),
    )


class OrganisationLinkIn(In):
    """An officer's answer to "is this the organisation we already know?"."""

    decision: Literal["confirm", "reject"]
    note: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000), MULTILINE]


class CountersignIn(In):
    agree: bool
    note: Reason | None = None


class CancelIn(In):
    reason_code: Annotated[str, StringConstraints(max_length=80)]
    reason: Reason


class AppealDecisionIn(In):
    outcome: Literal["reapproved", "varied", "upheld", "dismissed"]
    reason: Reason
    conditions: list[ConditionIn] = Field(default_factory=list, max_length=30)


class DateOfBirthIn(In):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)] = Field(
        description="the person's name as the request for information gives it"
    )
    date_of_birth: dt.date


class InformationIn(In):
    response: Reason = Field(
        default="", description="required unless the request asked only for dates of birth"
    )
    dates_of_birth: list[DateOfBirthIn] = Field(
        default_factory=list,
        max_length=50,
        description="one for each person whose date of birth the request asks for (dates_of_birth_asked)",
    )


class BirthDateRequestIn(In):
    """Ask the hirer for the date of birth of people with a screening match on the case."""

    people: list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]] = (
        Field(
            min_length=1, max_length=50, description="names as the case gives them (dates_of_birth_askable)"
        )
    )
    note: Reason | None = Field(default=None, description="anything more to tell the hirer")
    revision: int | None = Field(default=None, ge=1, description="the case revision the officer saw")


class AppealIn(In):
    grounds: Reason


class DateChangeIn(In):
    """Why the council cancels or moves a date: recorded in the case's history and told to the hirer
    (the same reasons as the console's date-change pages)."""

    reason: Annotated[str, StringConstraints(max_length=40)] = Field(
        description=(
            "venue_closed, room_unavailable, hirer_asked, conditions_breached, or other "
            "(casework/date_changes.py REASONS)"
        )
    )
    details: Reason | None = Field(default=None, description="more detail; required with `other`")


class MoveIn(DateChangeIn):
    start: dt.datetime
    end: dt.datetime


class ApplicationCreatedOut(SparseOut):
    """The answer to a new request; ``replayed`` only on a retry answered from the first."""

    id: UUID
    reference: str
    status: str
    applicant_token: str | None = Field(description="the hirer's private status link token")
    target_date: str | None = Field(description="ISO date a decision is due")
    replayed: bool | None = None


class QueueItemOut(Out):
    id: UUID
    reference: str
    status: str
    tier: str | None
    organisation: str
    organisation_link: str
    event_title: str | None
    first_start: str = Field(description="ISO date-time")
    target_date: str | None = Field(description="ISO date")
    room: str
    venue: str
    venue_id: UUID
    open_referrals: int
    assigned_to_id: UUID | None = None
    assigned_to: str | None = Field(default=None, description="the officer working the case")


class CaseSummaryOut(Out):
    """What an officer's action answers with: the case and where it now stands."""

    id: UUID
    reference: str
    status: str


class OrganisationLinkOut(Out):
    id: UUID
    reference: str
    status: str
    organisation_link: str
    revision: int


class OccurrenceCancelledOut(Out):
    id: UUID
    status: str


class OccurrenceMovedOut(Out):
    id: UUID
    start: str = Field(description="ISO date-time with offset")
    end: str = Field(description="ISO date-time with offset")


class ApplicantActionOut(Out):
    """A hirer's action through the status link: the case and where it now stands."""

    reference: str
    status: str


class AppealLodgedOut(ApplicantActionOut):
    appeal: str
