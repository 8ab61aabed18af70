"""Creating and editing councils and partner organisations (service administrators only).

Formats (colour, https addresses, message template names) are checked at the edge by the API's
input models; this module keeps the rules that need the database or the bundled policies: the
slug is unique, the allowed policies exist, and only an administrator of the whole service (an
administrator without an organisation) may create or change an organisation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy.ext.asyncio import AsyncSession

from policies import bundled_policy_ids
from vetting.actors import Actor
from vetting.errors import Conflict, Forbidden, Invalid
from vetting.provider_directory import get_provider, slug_for, slug_taken
from vetting.providers import Provider, ProviderKind

EDITABLE = (
    "name",
    "kind",
    "contact_email",
    "contact_phone",
    "logo_url",
    "colour",
    "base_url",
    "policy_ids",
    "message_templates",
    "active",
)


@dataclass
class ProviderFields:
    """An organisation as an administrator describes it (every editable field)."""

    name: str
    kind: str
    contact_email: str | None = None
    contact_phone: str | None = None
    logo_url: str | None = None
    colour: str | None = None
    base_url: str | None = None
    policy_ids: list[str] = field(default_factory=list)
    message_templates: dict[str, Any] = field(default_factory=dict)
    active: bool = True


def require_service_admin(actor: Actor) -> None:
    if not actor.is_service_admin:
        raise Forbidden("only an administrator of the whole service may manage organisations")


def _validate(data: ProviderFields) -> None:
    errors: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = "is required"
    if data.kind not in {k.value for k in ProviderKind}:
        errors["kind"] = f"must be one of {', '.join(k.value for k in ProviderKind)}"
    unknown = sorted(set(data.policy_ids) - set(bundled_policy_ids()))
    if unknown:
        errors["policy_ids"] = (
            f"unknown policies {', '.join(unknown)}; known: {', '.join(bundled_policy_ids())}"
        )
    if errors:
        raise Invalid("the organisation is not valid", errors)


async def create_provider(
    session: AsyncSession, actor: Actor, data: ProviderFields, slug: str | None = None
) -> Provider:
    require_service_admin(actor)
    _validate(data)
    slug = slug or slug_for(data.name)
    if await slug_taken(session, slug):
        raise Conflict(f"an organisation {slug!r} already exists")
    provider = Provider(id=uuid4(), slug=slug, **_cleaned(data))
    session.add(provider)
    await session.flush()
    return provider


async def update_provider(
    session: AsyncSession, actor: Actor, provider_id: UUID, data: ProviderFields
) -> Provider:
    require_service_admin(actor)
    _validate(data)
    provider = await get_provider(session, provider_id)
    for key, value in _cleaned(data).items():
        setattr(provider, key, value)
    await session.flush()
    return provider


def _cleaned(data: ProviderFields) -> dict[str, Any]:
    values = {key: getattr(data, key) for key in EDITABLE}
    values["name"] = data.name.strip()
    values["policy_ids"] = sorted(set(data.policy_ids))
    values["message_templates"] = dict(data.message_templates)
    return values


def fields_of(provider: Provider) -> ProviderFields:
    """What is stored now, for an edit that changes some fields only."""
    return ProviderFields(**{key: getattr(provider, key) for key in EDITABLE})
