"""Finding councils and partners, and the scope a member of staff works in."""

from __future__ import annotations

import re
from collections.abc import Sequence
from uuid import UUID, uuid4

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from vetting.actors import Actor
from vetting.errors import NotFound
from vetting.providers import Provider, ProviderKind
from vetting.tenancy import EVERYTHING, Scope

NOBODY = Scope(frozenset())
"""What a member of staff with no organisation (other than a service administrator) may read."""


def slug_for(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:50] or "provider"


def scope_of(actor: Actor | None) -> Scope | None:
    """The scope of a signed-in member of staff; None (no narrowing) for hirers and the system.

    A service administrator is the only member of staff without an organisation who reads
    everything; anyone else without one reads nothing rather than everyone's.
    """
    if actor is None or not actor.is_staff:
        return None
    if actor.is_service_admin:
        return EVERYTHING
    if actor.provider_id is None:
        return NOBODY
    return Scope.of(actor.provider_id)


async def slug_taken(session: AsyncSession, slug: str, other_than: UUID | None = None) -> bool:
    query = select(Provider.id).where(Provider.slug == slug)
    if other_than is not None:
        query = query.where(Provider.id != other_than)
    return (await session.execute(query)).first() is not None


async def get_provider(session: AsyncSession, provider_id: UUID) -> Provider:
    provider = await session.get(Provider, provider_id)
    if provider is None:
        raise NotFound("no such organisation")
    return provider


async def list_providers(session: AsyncSession) -> Sequence[Provider]:
    return (await session.execute(select(Provider).order_by(Provider.name))).scalars().all()


async def provider_by_slug(session: AsyncSession, slug: str) -> Provider:
    provider = (await session.execute(select(Provider).where(Provider.slug == slug))).scalar_one_or_none()
    if provider is None:
        raise NotFound(f"no organisation {slug!r}")
    return provider


async def provider_for_owner(session: AsyncSession, owner_kind: str, owner_name: str) -> Provider:
    """The provider named `owner_name`, made on first use (a venue's owner as typed by an
    administrator of the whole service; an organisation's own administrator adds venues to it)."""
    name = owner_name.strip()
    found = (
        (await session.execute(select(Provider).where(Provider.name == name).order_by(Provider.created_at)))
        .scalars()
        .first()
    )
    if found is not None:
        return found
    slug, n = slug_for(name), 2
    base = slug
    while await slug_taken(session, slug):
        slug, n = f"{base}-{n}", n + 1
    kind = ProviderKind.UNITARY_COUNCIL if owner_kind == "council" else ProviderKind.CHARITY
    provider = Provider(
        id=uuid4(), slug=slug, name=name, kind=kind.value, policy_ids=[], message_templates={}
    )
    session.add(provider)
    await session.flush()
    return provider
