"""Nothing double-booked: many requests and confirmations for one slot at once, from separate
connections, end with exactly one holder, on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from casework.input import ApplicationRequest
from casework.workflow import DecisionInput, Workflow
from tests.factories import application_payload, next_weekday
from venues.models import OccurrenceHold
from vetting.errors import Conflict
from vetting.models import VettingCase

RACERS = 20


async def _submit_all(engine: AsyncEngine, room_ids: list[Any], start: Any) -> list[Any]:
    """Submit concurrently: requests under review hold nothing, so all of them are accepted."""
    maker = async_sessionmaker(engine, expire_on_commit=False)

    async def one(i: int) -> Any:
        async with maker() as s:
            body = application_payload(
                room_ids[i % len(room_ids)],
                start,
                rrule="FREQ=WEEKLY;COUNT=3",
                organisation=f"Racer Group {i}",
            )
            submitted = await Workflow(s).submit(ApplicationRequest.model_validate(body))
            await s.commit()
            return submitted.case.id

    return list(await asyncio.gather(*(one(i) for i in range(RACERS))))


async def _approve_all(engine: AsyncEngine, case_ids: list[Any], officer: Any) -> list[str]:
    maker = async_sessionmaker(engine, expire_on_commit=False)
    gate = asyncio.Event()

    async def one(case_id: Any) -> str:
        async with maker() as s:
            await gate.wait()
            try:
                await Workflow(s).decide(
                    officer,
                    case_id,
                    DecisionInput(
                        "approve", "ok", checks_in_review_confirmed=True, checks_in_review_reason="ok"
                    ),
                )
                await s.commit()
                return "won"
            except Conflict:
                await s.rollback()
                return "lost"

    tasks = [asyncio.create_task(one(c)) for c in case_ids]
    await asyncio.sleep(0.05)
    gate.set()
    return list(await asyncio.gather(*tasks))


@pytest.mark.slow
async def test_twenty_racers_for_one_slot_exactly_one_holds(
    engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    start = next_weekday(2, weeks_ahead=5)
    # Half ask for hall A, half for the main hall that contains it: linked spaces race too.
    case_ids = await _submit_all(engine, [seeded["hall_a"].id, seeded["main"].id], start)
    outcomes = await _approve_all(engine, case_ids, seeded["officer"])
    assert outcomes.count("won") == 1, outcomes
    assert outcomes.count("lost") == RACERS - 1
    async with async_sessionmaker(engine)() as s:
        statuses = list((await s.execute(select(VettingCase.status))).scalars())
        assert statuses.count("confirmed") == 1
        assert statuses.count("under_review") == RACERS - 1
        holds = (await s.execute(select(OccurrenceHold))).scalars().all()
    winner_units = {h.unit_id for h in holds}
    # Three weekly dates; a main-hall winner holds both halves, a hall-A winner holds one unit.
    assert len(holds) == 3 * len(winner_units)
    spans: dict[Any, list[tuple[Any, Any]]] = {}
    for h in holds:
        spans.setdefault(h.unit_id, []).append((h.held_from, h.held_to))
    for intervals in spans.values():
        intervals.sort()
        for (_a, b), (c, _d) in itertools.pairwise(intervals):
            assert b <= c


@pytest.mark.slow
async def test_same_case_decided_twice_at_once_one_wins(engine: AsyncEngine, seeded: dict[str, Any]) -> None:
    start = next_weekday(3, weeks_ahead=6)
    (case_id,) = list(await _submit_all_one(engine, seeded["hall_b"].id, start))
    maker = async_sessionmaker(engine, expire_on_commit=False)

    async def decide(officer: Any, outcome: str) -> str:
        async with maker() as s:
            try:
                data = DecisionInput(
                    outcome,
                    "Need the safeguarding policy" if outcome != "approve" else "ok",
                    checks_in_review_confirmed=True,
                    checks_in_review_reason="ok",
                )
                await Workflow(s).decide(officer, case_id, data)
                await s.commit()
                return "won"
            except Conflict:
                await s.rollback()
                return "lost"

    # Both approve: whichever way the two transactions interleave, the second must find the case
    # already decided (or lose the guarded revision update) and answer 409.
    results = await asyncio.gather(
        decide(seeded["officer"], "approve"), decide(seeded["officer2"], "approve")
    )
    assert sorted(results) == ["lost", "won"]
    async with maker() as s:
        revision = (await s.execute(select(func.max(VettingCase.revision)))).scalar_one()
    assert revision == 2


async def _submit_all_one(engine: AsyncEngine, room_id: Any, start: Any) -> list[Any]:
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as s:
        submitted = await Workflow(s).submit(
            ApplicationRequest.model_validate(application_payload(room_id, start))
        )
        await s.commit()
        return [submitted.case.id]
