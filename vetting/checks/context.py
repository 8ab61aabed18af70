"""What the checks read: one booking request and what is already known about the organisation.

The service assembles a `CheckContext` from the request body (design 4.2), the room, earlier
officer records and the screening run; the checks themselves do no I/O.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from vetting.registry import RegistryRecord


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OrganisationInfo(_Model):
    name: str
    type: str = "informal"  # charity, cio, company, cic, faith_group, club, informal, ...
    charity_number: str | None = None
    company_number: str | None = None
    address: str | None = None
    website: str | None = None


class ContactInfo(_Model):
    name: str
    email: str
    phone: str | None = None
    sms_consent: bool = False  # agreed to text reminders (no check reads it; kept so the case's contact fits)


class PersonInfo(_Model):
    name: str
    role: str  # officer, trustee, speaker, safeguarding_lead, ...


class EventInfo(_Model):
    title: str
    description: str = ""
    expected_attendance: int = Field(ge=0)
    open_to_public: bool = False
    under_18s: bool = False
    adults_at_risk: bool = False


class RoomOption(_Model):
    room_id: str
    name: str
    capacity: int = Field(ge=0)


class InsuranceInfo(_Model):
    """Public liability cover the hirer holds, or their use of the council's hirer scheme."""

    cover_gbp: Decimal | None = Field(default=None, ge=0)
    uses_council_scheme: bool = False
    insurer: str | None = None
    expires_on: dt.date | None = None


Disposition = Literal["cleared", "possible", "confirmed"]


class ScreeningMatchState(_Model):
    """A screening match and what an officer has said about it (None: not yet looked at)."""

    entry_id: str
    score: float = Field(ge=0, le=100)
    query_name: str
    matched_name: str
    explanation: str = ""
    source: str | None = None
    disposition: Disposition | None = None


class Breach(_Model):
    """A breach of the conditions of hire that an officer recorded against the organisation."""

    occurred_on: dt.date
    code: str
    serious: bool = False
    note: str = ""


class CheckContext(_Model):
    """Everything the checks need to know about one application."""

    organisation: OrganisationInfo
    contact: ContactInfo
    people: tuple[PersonInfo, ...] = ()
    event: EventInfo
    start: AwareDatetime  # first occurrence
    end: AwareDatetime
    occurrence_count: int = Field(default=1, ge=1)
    submitted_at: AwareDatetime
    declarations: frozenset[str] = frozenset()
    answers: dict[str, Any] = Field(default_factory=dict)

    room_id: str | None = None
    room_capacity: int = Field(ge=0)
    alternative_rooms: tuple[RoomOption, ...] = ()  # other rooms free at that time

    insurance: InsuranceInfo | None = None
    safeguarding_lead: str | None = None  # else the first person with role safeguarding_lead
    dbs_confirmed: bool | None = None  # else the policy's DBS question

    registry_records: tuple[RegistryRecord, ...] = ()
    screening_done: bool = True
    screening: tuple[ScreeningMatchState, ...] = ()
    breaches: tuple[Breach, ...] = ()
    last_cleared_on: dt.date | None = None

    timezone: str = "Europe/London"

    @model_validator(mode="after")
    def _end_after_start(self) -> CheckContext:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def submitted_on(self) -> dt.date:
        """The local date the request was made."""
        return self.submitted_at.astimezone(self.zone).date()

    @property
    def event_date(self) -> dt.date:
        """The local date of the first occurrence."""
        return self.start.astimezone(self.zone).date()

    def people_with_role(self, role: str) -> list[PersonInfo]:
        return [p for p in self.people if p.role == role]

    @property
    def named_safeguarding_lead(self) -> str | None:
        if self.safeguarding_lead and self.safeguarding_lead.strip():
            return self.safeguarding_lead.strip()
        leads = self.people_with_role("safeguarding_lead")
        return leads[0].name if leads else None
