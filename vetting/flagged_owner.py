"""Whose flagged-list entries a change is about: the service-wide list or one organisation's own.

* A service administrator (staff without an organisation) and the system (the CLI) keep the
  service-wide list: their hand-added entries and imports have no organisation.
* An officer or administrator of a council or partner keeps that organisation's own entries:
  what they add by hand is theirs, and their import adds, updates and deactivates only their
  organisation's entries of the file's sources. So one organisation's import never deactivates
  another's entries or the service-wide list, and only the service's administrators change the
  service-wide list.
* An officer without an organisation (an account from before organisations, or an actor a
  loader builds without one) keeps the service-wide list as before; officers' accounts are
  given an organisation when created (api/users.py), so in use this is the demo loader only.
* Venue managers change nothing (the flagged list is officers' work, vetting/flagged.py).

The database keeps one reference per (source, reference) across the whole service (changing
that unique constraint would rebuild the table on SQLite, and dropping the old copy would
cascade-delete officers' clearances). An organisation's entries are therefore stored under
``<organisation slug>:<reference>``, so the same published reference can be held service-wide
and by each organisation; imports compare by the part after the first colon.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from vetting.actors import Actor
from vetting.errors import Forbidden
from vetting.models import FlaggedEntry
from vetting.provider_directory import get_provider

REF_LENGTH = 120  # FlaggedEntry.source_ref


@dataclass(frozen=True)
class Owner:
    provider_id: UUID | None  # None: the service-wide list
    slug: str | None = None

    def ref(self, list_ref: str) -> str:
        """How an entry's reference is stored for this owner."""
        return list_ref[:REF_LENGTH] if self.slug is None else f"{self.slug}:{list_ref}"[:REF_LENGTH]

    def list_ref(self, stored: str) -> str:
        """The list's own reference of an entry this owner stored."""
        return stored if self.slug is None else stored.partition(":")[2]

    def owns(self) -> ColumnElement[bool]:
        if self.provider_id is None:
            return FlaggedEntry.provider_id.is_(None)
        return FlaggedEntry.provider_id == self.provider_id


def list_ref_of(entry: FlaggedEntry) -> str:
    """The entry's reference as its list (or the officer) gave it, without the owner's prefix."""
    return entry.source_ref.partition(":")[2] if entry.provider_id is not None else entry.source_ref


async def owner_for(session: AsyncSession, actor: Actor) -> Owner:
    """Whose entries `actor` adds and imports (module docstring)."""
    if actor.provider_id is not None:
        provider = await get_provider(session, actor.provider_id)
        return Owner(provider.id, provider.slug)
    if actor.role in ("admin", "officer", "system"):
        return Owner(None)
    raise Forbidden("only officers change the flagged list")


def may_change(actor: Actor, entry: FlaggedEntry) -> bool:
    """Service administrators and the system change any entry; others only their organisation's
    (an officer without one, only the service-wide list)."""
    if actor.provider_id is None:
        return actor.role in ("admin", "system") or (actor.role == "officer" and entry.provider_id is None)
    return entry.provider_id == actor.provider_id
