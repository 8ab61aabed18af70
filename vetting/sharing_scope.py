"""The scope a request works in: the organisation's own data and what partners share with it.

Partners share under a `SharingAgreement` *in force*: not withdrawn, between members of one
partnership. An agreement whose review date has passed stays in force (the partnership decided
to share, and only withdrawing it stops sharing); the admin page shows it as overdue for review.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Literal
from uuid import UUID

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from vetting import direct_sql
from vetting.actors import Actor
from vetting.provider_directory import scope_of
from vetting.providers import PartnershipMember, Provider, SharingAgreement
from vetting.tenancy import ALL_PROVIDERS, Scope

What = Literal["flagged", "findings"]


@dataclass(frozen=True)
class PartnerShare:
    """A partner that shares with `provider_id` under the agreement named."""

    provider_id: UUID  # who receives
    partner_id: UUID  # who shares
    partner_name: str
    agreement_id: UUID
    reference: str


def _sharing_query(what: What) -> Any:
    mine, theirs = aliased(PartnershipMember), aliased(PartnershipMember)
    flag = SharingAgreement.shares_flagged if what == "flagged" else SharingAgreement.shares_findings
    return (
        select(
            mine.provider_id,
            theirs.provider_id,
            Provider.name,
            SharingAgreement.id,
            SharingAgreement.reference,
        )
        .join(
            theirs,
            (theirs.partnership_id == mine.partnership_id) & (theirs.provider_id != mine.provider_id),
        )
        .join(Provider, Provider.id == theirs.provider_id)
        .join(SharingAgreement, SharingAgreement.partnership_id == mine.partnership_id)
        .where(
            mine.provider_id.in_(bindparam("providers", expanding=True)),
            Provider.active.is_(True),
            SharingAgreement.withdrawn_at.is_(None),
            flag.is_(True),
        )
        .order_by(SharingAgreement.created_at, SharingAgreement.id)
        # Explicitly about the given organisations' partnerships, whatever the session's own
        # scope is (a member of staff's request for another organisation's venue, say).
        .execution_options(**{ALL_PROVIDERS: True})
    )


# Built once: every booking request and every staff request runs one of these, and building the
# statement (aliases, joins, its cache key) cost more than running it.
_SHARING = {what: _sharing_query(what) for what in ("flagged", "findings")}


async def partners_sharing(
    session: AsyncSession, provider_ids: Collection[UUID], what: What
) -> list[PartnerShare]:
    """Every (provider, partner, agreement) where the partner shares `what` with the provider.

    One query: the providers' partnerships, their other active members, and the agreements in
    force of each partnership that share `what`. Oldest agreement first, so callers that want one
    agreement per partner take the first.
    """
    if not provider_ids:
        return []
    rows = await direct_sql.rows(session, _SHARING[what], {"providers": sorted(provider_ids)})
    return [PartnerShare(r[0], r[1], r[2], r[3], r[4]) for r in rows]


async def _widened(session: AsyncSession, scope: Scope) -> Scope:
    if not scope.providers:
        return scope
    shares = await partners_sharing(session, scope.providers, "flagged")
    return Scope(scope.providers, frozenset(s.partner_id for s in shares) - scope.providers)


async def scope_for_provider(session: AsyncSession, provider_id: UUID) -> Scope:
    """What work done for `provider_id` may read (submission, re-screening its cases)."""
    return await _widened(session, Scope.of(provider_id))


async def scope_for_request(session: AsyncSession, actor: Actor | None) -> Scope | None:
    """`scope_of(actor)`, widened by the flagged-list entries partners share under an agreement.

    At most one query, and only for staff of an organisation (hirers, the system and service
    administrators are not narrowed, so there is nothing to widen).
    """
    scope = scope_of(actor)
    if scope is None or scope.providers is None:
        return scope
    return await _widened(session, scope)
