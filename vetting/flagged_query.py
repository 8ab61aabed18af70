"""Finding flagged entries for officers: by name or reference, active, removed or both."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from vetting.models import FlaggedEntry

Status = Literal["true", "false", "all"]
"""``true``: entries screened now; ``false``: deactivated ones (kept, never deleted); ``all``: both."""


def parse_status(value: str | None) -> Status:
    """A page's ``active`` parameter; anything unknown shows the active entries."""
    if value == "false":
        return "false"
    if value == "all":
        return "all"
    return "true"


def _filtered(query: Select[tuple[FlaggedEntry]], q: str, active: Status) -> Select[tuple[FlaggedEntry]]:
    if active == "true":
        query = query.where(FlaggedEntry.active.is_(True))
    elif active == "false":
        query = query.where(FlaggedEntry.active.is_(False))
    q = q.strip()
    if q:
        # autoescape: "%" and "_" in what the officer typed are letters, not wildcards.
        query = query.where(
            or_(
                func.lower(FlaggedEntry.name).contains(q.lower(), autoescape=True),
                FlaggedEntry.source_ref == q,
                # An organisation's entries keep their reference after its prefix (flagged_owner.py).
                FlaggedEntry.provider_id.is_not(None)
                & FlaggedEntry.source_ref.endswith(f":{q}", autoescape=True),
            )
        )
    return query


async def find_entries(
    session: AsyncSession, *, q: str = "", active: Status = "true", limit: int = 100
) -> Sequence[FlaggedEntry]:
    """Entries whose name contains ``q`` (any case) or whose reference is ``q``, by name."""
    query = _filtered(select(FlaggedEntry), q, active).order_by(FlaggedEntry.name, FlaggedEntry.id)
    return (await session.execute(query.limit(limit))).scalars().all()


async def count_entries(session: AsyncSession, *, active: Status = "true") -> int:
    query = _filtered(select(FlaggedEntry), "", active).with_only_columns(func.count())
    return int((await session.execute(query)).scalar_one())
