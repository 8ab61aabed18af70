"""Where each flagged entry an officer sees comes from: the service-wide list, their own
organisation, or a partner that shares its additions under a sharing agreement (named)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from vetting.models import FlaggedEntry
from vetting.providers import Provider
from vetting.sharing_scope import partners_sharing
from vetting.tenancy import current_scope

OriginKind = Literal["service", "own", "partner", "organisation"]


@dataclass(frozen=True)
class Origin:
    kind: OriginKind  # "organisation": another organisation's own, seen by a service administrator
    organisation: str | None = None
    agreement_reference: str | None = None

    @property
    def label(self) -> str:
        if self.kind == "service":
            return "Service-wide list"
        if self.kind == "own":
            return f"Added by {self.organisation}" if self.organisation else "Your organisation's own"
        if self.kind == "partner":
            return f"Shared by {self.organisation} under agreement {self.agreement_reference}"
        return f"{self.organisation}'s own"

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "organisation": self.organisation,
            "agreement_reference": self.agreement_reference,
            "label": self.label,
        }


async def origins(session: AsyncSession, entries: Iterable[FlaggedEntry]) -> dict[UUID, Origin]:
    """The origin of each entry, as the session's scope sees it (at most two queries)."""
    entries = list(entries)
    owners = {e.provider_id for e in entries if e.provider_id is not None}
    names: dict[UUID, str] = {}
    if owners:
        rows = await session.execute(select(Provider.id, Provider.name).where(Provider.id.in_(owners)))
        names = {row.id: row.name for row in rows}
    scope = current_scope(session)
    mine = scope.providers if scope is not None and scope.providers is not None else None
    agreements: dict[UUID, str] = {}
    if mine and owners - mine:
        for share in await partners_sharing(session, mine, "flagged"):
            agreements.setdefault(share.partner_id, share.reference)
    out: dict[UUID, Origin] = {}
    for e in entries:
        if e.provider_id is None:
            out[e.id] = Origin("service")
        elif mine is not None and e.provider_id in mine:
            out[e.id] = Origin("own", names.get(e.provider_id))
        elif e.provider_id in agreements:
            out[e.id] = Origin("partner", names.get(e.provider_id), agreements[e.provider_id])
        else:
            out[e.id] = Origin("organisation", names.get(e.provider_id))
    return out
