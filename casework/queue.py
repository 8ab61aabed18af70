"""The officer queue as named queries, shared by the API (`GET /api/v1/applications`) and the
officer pages: cases with their room and venue, soonest first and, on the same start, the higher
risk tier first (the order the case's own policy lists its tiers in), with the open screening
referrals of every listed case counted in one grouped query."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from policies import Policy
from venues.models import Booking, Room, Venue
from vetting.case_screening import OPEN
from vetting.models import ScreeningMatch, VettingCase
from vetting.policy_store import policy_version


@dataclass(frozen=True)
class QueueRow:
    case: VettingCase
    room_name: str
    venue_name: str
    venue_id: UUID
    open_referrals: int


async def open_referral_counts(session: AsyncSession, case_ids: Sequence[UUID]) -> dict[UUID, int]:
    """Open screening referrals per case, for many cases in one query (cases with none are absent)."""
    if not case_ids:
        return {}
    rows = await session.execute(
        select(ScreeningMatch.case_id, func.count())
        .where(ScreeningMatch.case_id.in_(case_ids), ScreeningMatch.disposition == OPEN)
        .group_by(ScreeningMatch.case_id)
    )
    return dict(rows.tuples().all())


def tier_priority(policy: Policy, tier: str | None) -> int:
    """0 for the policy's highest tier; a case without a known tier comes after every tier."""
    ids = [t.id for t in policy.tiers]
    if tier not in ids:
        return len(ids)
    return len(ids) - 1 - policy.tier_rank(tier)


async def _policies(session: AsyncSession, cases: Iterable[VettingCase]) -> dict[tuple[str, str], Policy]:
    """Each policy version the listed cases were decided under, read once."""
    keys = {(c.policy_id, c.policy_version) for c in cases}
    return {key: await policy_version(session, *key) for key in sorted(keys)}


async def officer_queue(
    session: AsyncSession,
    *,
    statuses: Sequence[str] | None = None,
    tier: str | None = None,
    venue_id: UUID | None = None,
    limit: int = 100,
) -> list[QueueRow]:
    """Cases in any of `statuses` (all when None), optionally of one tier and venue."""
    query = (
        select(VettingCase, Room.name, Venue.name, Venue.id)
        .join(Booking, Booking.case_id == VettingCase.id)
        .join(Room, Room.id == Booking.room_id)
        .join(Venue, Venue.id == Room.venue_id)
    )
    if statuses is not None:
        query = query.where(VettingCase.status.in_(statuses))
    if tier:
        query = query.where(VettingCase.tier == tier)
    if venue_id:
        query = query.where(Venue.id == venue_id)
    rows = (await session.execute(query.order_by(VettingCase.first_start).limit(limit))).tuples().all()
    referrals = await open_referral_counts(session, [case.id for case, *_ in rows])
    policies = await _policies(session, (case for case, *_ in rows))
    out = [
        QueueRow(case, room_name, venue_name, vid, referrals.get(case.id, 0))
        for case, room_name, venue_name, vid in rows
    ]
    out.sort(
        key=lambda r: (
            r.case.first_start,
            tier_priority(policies[(r.case.policy_id, r.case.policy_version)], r.case.tier),
        )
    )
    return out
