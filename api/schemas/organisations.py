"""Councils and partner organisations: what an administrator of the service may set."""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import EmailStr, Field, StringConstraints, field_validator

from api.schemas.common import In, Name, Out
from casework.messages import MESSAGE_NAMES, template_problem
from vetting.clean_text import MULTILINE
from vetting.providers import ProviderKind

COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
Phone = Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)]
Address = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]


def https_url(value: str | None) -> str | None:
    """An absolute https address with a host (logos load on public pages; links go in mail)."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.hostname or parts.username or parts.password:
        raise ValueError("must be an https address such as https://rooms.example.gov.uk")
    return value


class MessageTemplateIn(In):
    """An organisation's own words for one message; a part left out keeps the default text."""

    subject: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    body: Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000), MULTILINE] | None = None


class OrganisationIn(In):
    name: Name
    kind: ProviderKind
    contact_email: EmailStr | None = None
    contact_phone: Phone | None = None
    logo_url: Address | None = None
    colour: str | None = None
    base_url: Address | None = None
    policy_ids: list[str] = Field(default_factory=list, max_length=20)
    message_templates: dict[str, MessageTemplateIn] = Field(default_factory=dict)
    active: bool = True

    @field_validator("logo_url", "base_url")
    @classmethod
    def _https(cls, value: str | None) -> str | None:
        return https_url(value)

    @field_validator("base_url")
    @classmethod
    def _bare_base(cls, value: str | None) -> str | None:
        if value is not None:
            parts = urlsplit(value)
            if parts.query or parts.fragment:
                raise ValueError("must be an address without a query or fragment")
            return value.rstrip("/")
        return value

    @field_validator("colour")
    @classmethod
    def _colour(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if not COLOUR.fullmatch(value.strip()):
            raise ValueError("must be a colour like #1d70b8 (# and six hexadecimal digits)")
        return value.strip().lower()

    @field_validator("message_templates")
    @classmethod
    def _templates(cls, value: dict[str, MessageTemplateIn]) -> dict[str, MessageTemplateIn]:
        for name, template in value.items():
            if name not in MESSAGE_NAMES:
                raise ValueError(f"unknown message {name!r}; known: {', '.join(MESSAGE_NAMES)}")
            for part in (template.subject, template.body):
                problem = template_problem(name, part) if part else None
                if problem:
                    raise ValueError(f"{name}: {problem}")
        return value

    def templates_json(self) -> dict[str, dict[str, str]]:
        """The templates as stored: only the parts given."""
        out: dict[str, dict[str, str]] = {}
        for name, template in self.message_templates.items():
            parts = {k: v for k, v in (("subject", template.subject), ("body", template.body)) if v}
            if parts:
                out[name] = parts
        return out


class OrganisationOut(Out):
    id: str
    slug: str
    name: str
    kind: str
    contact_email: str | None
    contact_phone: str | None
    logo_url: str | None
    colour: str | None
    base_url: str | None
    policy_ids: list[str]
    message_templates: dict[str, dict[str, str]]
    active: bool


class PartnershipRefOut(Out):
    id: str
    name: str


class CountOut(Out):
    """A published count: `value` is null when it is from 1 to 4 (`suppressed`)."""

    value: int | None
    suppressed: bool


class PartnerOversightOut(Out):
    organisation_id: str
    organisation: str
    kind: str
    lead: bool
    cases: CountOut
    by_status: dict[str, CountOut]
    outcomes: dict[str, CountOut]
    referral_rate: float | None
    median_days_to_decision: float | None


class OversightOut(Out):
    partnership_id: str
    partnership: str
    start: str
    end: str
    suppression_threshold: int
    partners: list[PartnerOversightOut]
