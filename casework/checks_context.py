"""What the checks read about a case (the `CheckContext`), and writing their result on the case.

The organisation is taken as the request submitted it; clearance and recorded breaches only from
a known organisation the case is linked to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from casework.charge_terms import concession_check
from casework.check_evidence import carry_officer_outcomes
from venues.models import Room, Venue
from vetting.checks import CheckContext
from vetting.checks.context import Breach as BreachInfo
from vetting.checks.context import (
    ContactInfo,
    EventInfo,
    InsuranceInfo,
    OrganisationInfo,
    PersonInfo,
    RoomOption,
    ScreeningMatchState,
)
from vetting.checks.evaluate import Evaluation
from vetting.models import Breach, Organisation, ScreeningMatch, VettingCase
from vetting.registry import RegistryRecord


async def breaches_of(session: AsyncSession, organisation: Organisation) -> list[Breach]:
    rows = await session.execute(select(Breach).where(Breach.organisation_id == organisation.id))
    return list(rows.scalars())


async def _alternative_rooms(session: AsyncSession, venue: Venue, attendance: int) -> list[RoomOption]:
    rows = await session.execute(
        select(Room).where(Room.venue_id == venue.id, Room.capacity >= attendance, Room.active.is_(True))
    )
    return [RoomOption(room_id=str(r.id), name=r.name, capacity=r.capacity) for r in rows.scalars()]


async def check_context(
    session: AsyncSession,
    case: VettingCase,
    known: Organisation | None,
    room: Room,
    venue: Venue,
    spans: Sequence[tuple[dt.datetime, dt.datetime]],
    matches: Sequence[ScreeningMatch],
    breaches: Sequence[Breach],
    records: Sequence[RegistryRecord],
) -> CheckContext:
    """What the checks read: the organisation as submitted; clearance only from a known
    organisation the case is linked to (``known``)."""
    start, end = spans[0]
    attendance = int(case.event.get("expected_attendance", 0))
    alternatives = await _alternative_rooms(session, venue, attendance) if attendance > room.capacity else []
    insurance = None
    cover = case.answers.get("insurance_cover_gbp")
    scheme = bool(case.answers.get("uses_council_insurance_scheme"))
    if cover is not None or scheme:
        insurance = InsuranceInfo(cover_gbp=cover, uses_council_scheme=scheme)
    return CheckContext(
        organisation=OrganisationInfo.model_validate(case.organisation_submitted),
        contact=ContactInfo(**case.contact),
        people=tuple(PersonInfo(**p) for p in case.people),
        event=EventInfo(**case.event),
        start=start,
        end=end,
        occurrence_count=len(spans),
        submitted_at=case.created_at,
        declarations=frozenset(case.declarations),
        answers=dict(case.answers),
        room_id=str(room.id),
        room_capacity=room.capacity,
        alternative_rooms=tuple(alternatives),
        insurance=insurance,
        registry_records=tuple(records),
        screening=tuple(
            ScreeningMatchState(
                entry_id=str(m.entry_id),
                score=m.score,
                query_name=m.query_name,
                matched_name=m.matched_name,
                explanation=m.explanation,
                disposition=None if m.disposition == "open" else m.disposition,
            )
            for m in sorted(matches, key=lambda m: -m.score)
        ),
        breaches=tuple(
            BreachInfo(occurred_on=b.occurred_on, code=b.code, serious=b.serious, note=b.description)
            for b in breaches
        ),
        last_cleared_on=known.last_cleared_at.date() if known and known.last_cleared_at else None,
        timezone=venue.timezone,
    )


def apply_result(case: VettingCase, result: Evaluation) -> None:
    # An officer's outcome from the evidence stands while the automatic result it settled does.
    # A concession the request claims is one more check for the officer (casework.charge_terms).
    concession = concession_check(case)
    new = [r.as_dict() for r in result.results] + ([concession] if concession else [])
    case.checks = carry_officer_outcomes(list(case.checks or []), new)
    case.tier = result.tier
    case.target_date = result.target_decision_date


def checks_detail(result: Evaluation) -> dict[str, Any]:
    """The history event's detail for a run of the checks."""
    return {
        "tier": result.tier,
        "triggers": list(result.triggers),
        "outcomes": {r.check: r.outcome for r in result.results},
        "target_date": result.target_decision_date.isoformat(),
        "fast_track": result.fast_track,
    }
