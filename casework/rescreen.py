"""Re-screening every case with upcoming bookings after the flagged list changes, and the one
"import the flagged list, then re-screen" sequence that the API, the officer page and the CLI call."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from venues.models import Booking, Occurrence
from vetting.actors import Actor
from vetting.case_screening import screen_case
from vetting.flagged import ImportCounts, import_entries
from vetting.importers import ImportedEntry
from vetting.lifecycle import CLOSED_STATUSES
from vetting.models import VettingCase
from vetting.policy_store import policy_version


@dataclass(frozen=True)
class RescreenResult:
    cases: int
    new_matches: int

    def as_dict(self) -> dict[str, int]:
        return {"cases": self.cases, "new_matches": self.new_matches}


@dataclass(frozen=True)
class ImportResult:
    counts: ImportCounts
    rescreen: RescreenResult | None  # None on a dry run: nothing changed, nothing to re-screen


async def rescreen_upcoming(
    session: AsyncSession, actor: Actor, *, now: dt.datetime | None = None
) -> RescreenResult:
    """Screen every open or confirmed case with a date still to come; new matches go to officers."""
    now = now or dt.datetime.now(dt.UTC)
    case_ids = (
        (
            await session.execute(
                select(VettingCase.id)
                .join(Booking, Booking.case_id == VettingCase.id)
                .join(Occurrence, Occurrence.booking_id == Booking.id)
                .where(VettingCase.status.not_in(CLOSED_STATUSES), Occurrence.end_utc > now)
                .distinct()
            )
        )
        .scalars()
        .all()
    )
    new = 0
    for case_id in case_ids:
        case = await session.get(VettingCase, case_id)
        assert case is not None
        policy = await policy_version(session, case.policy_id, case.policy_version)
        # screen_case screens each case as its own council or partner sees the list.
        new += len(await screen_case(session, case, policy, actor))
    return RescreenResult(len(case_ids), new)


async def import_and_rescreen(
    session: AsyncSession, actor: Actor, entries: Sequence[ImportedEntry], *, dry_run: bool = False
) -> ImportResult:
    """Replace the flagged list with `entries`, then re-screen the upcoming cases against it
    (a dry run only counts what would change)."""
    counts = await import_entries(session, actor, entries, dry_run=dry_run)
    if dry_run:
        return ImportResult(counts, None)
    return ImportResult(counts, await rescreen_upcoming(session, actor))
