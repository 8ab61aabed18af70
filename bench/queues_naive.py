"""The baseline for bench/queues.py: the officer's queue tabs worked out the naive way, a query
per case (its decisions, its open screening matches, its room and venue), as a first version
over the ORM would. Its counts must equal the real ones (bench/queues.py checks)."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from casework.queue_tabs import DUE_SOON_WORKING_DAYS, TABS
from venues.models import Booking, Room, Venue
from vetting.case_screening import OPEN
from vetting.lifecycle import NEEDS_ACTION_STATUSES, OPEN_STATUSES
from vetting.models import Decision, ScreeningMatch, VettingCase
from vetting.workdays import add_working_days


async def naive_tabs(
    session: AsyncSession, provider_id: UUID, me: UUID | None, today: dt.date, rows_of: str
) -> dict[str, int]:
    """Every tab's count, and the room and venue of each case of tab `rows_of`, one case at a
    time. `session` is unscoped (the organisation is filtered here): on a scoped one each of the
    per-case statements would also rebuild the organisation's list of case ids, flattering the
    comparison further."""
    counts = dict.fromkeys(TABS, 0)
    soon = add_working_days(today, DUE_SOON_WORKING_DAYS)
    cases = await session.execute(select(VettingCase).where(VettingCase.provider_id == provider_id))
    for case in cases.scalars():
        decisions = list(
            (await session.execute(select(Decision).where(Decision.case_id == case.id))).scalars()
        )
        referrals = (
            await session.execute(
                select(func.count()).where(
                    ScreeningMatch.case_id == case.id, ScreeningMatch.disposition == OPEN
                )
            )
        ).scalar_one()
        open_ = case.status in OPEN_STATUSES
        took_part = any(
            d.kind == "decision" and me in (d.officer_id, d.countersigned_by_id) for d in decisions
        )
        held = {
            "new": case.status == "under_review" and case.assigned_to_id is None,
            "mine": case.assigned_to_id == me and case.status in NEEDS_ACTION_STATUSES,
            "information": case.status == "awaiting_information",
            "referrals": open_ and referrals > 0,
            "countersign": open_
            and any(
                d.kind == "decision" and d.outcome == "refuse" and not d.effective
                and d.countersigned_at is None and (d.officer_id is None or d.officer_id != me)
                for d in decisions
            ),
            "appeals": case.status == "refused"
            and any(d.kind == "appeal" and d.outcome == "pending" for d in decisions)
            and not took_part,
            "due": open_ and case.target_date is not None and case.target_date <= soon,
            "all": True,
        }  # fmt: skip
        for tab, inside in held.items():
            counts[tab] += inside
        if held[rows_of]:
            booking = (await session.execute(select(Booking).where(Booking.case_id == case.id))).scalar_one()
            room = await session.get(Room, booking.room_id)
            assert room is not None
            await session.get(Venue, room.venue_id)
    return counts
