"""Competing requests on the officer's case (venues.competing): only rooms sharing a unit compete,
and the read does not grow with other venues' pending requests (a year-long series used to read
every pending date of every venue in its year, one statement per room, and took seconds at scale)."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from casework.input import ApplicationRequest
from casework.workflow import Workflow
from tests import factories as f
from tests.casework.test_queue import counted_statements
from tests.factories import application_payload, next_weekday
from venues.booking_queries import booking_for_case
from venues.competing import competing

WEEKLY = "FREQ=WEEKLY;COUNT=6"


async def _submit(session: AsyncSession, room_id: Any, start: Any, organisation: str) -> Any:
    body = application_payload(room_id, start, rrule=WEEKLY, organisation=organisation)
    return (await Workflow(session).submit(ApplicationRequest.model_validate(body))).case


async def test_competitors_are_the_rooms_sharing_a_unit_and_other_venues_cost_nothing(
    session: AsyncSession, seeded: dict[str, Any]
) -> None:
    start = next_weekday(2, weeks_ahead=5)
    mine = await _submit(session, seeded["hall_a"].id, start, "Alpha Allotment Society")
    rival = await _submit(session, seeded["main"].id, start, "Beta Walking Group")  # holds Hall A too
    await _submit(session, seeded["hall_b"].id, start, "Gamma Choir")  # next door: no shared unit
    await session.commit()
    booking = await booking_for_case(session, mine.id)

    async def read() -> tuple[list[dict[str, object]], int]:
        with counted_statements(session.bind.sync_engine) as seen:  # type: ignore[union-attr]  # bind is an AsyncEngine here
            found = await competing(session, booking)
        return found, len([s for s in seen if not s.startswith("BEGIN")])

    found, statements = await read()
    assert [c["reference"] for c in found] == [rival.reference]
    assert len(found[0]["dates"]) == 6  # type: ignore[arg-type]  # a list of six dates

    for n in range(4):  # other venues, each with a room asked for at the very same times
        venue = await f.make_venue(session, f"Elsewhere Hall {n}")
        room = await f.make_room(session, venue, "Main Room", capacity=80)
        await _submit(session, room.id, start, f"Delta Group {n}")
    await session.commit()
    again, statements_after = await read()
    assert again == found
    assert statements_after == statements


async def test_the_pending_dates_are_read_by_the_venues_rooms_by_name(
    session: AsyncSession, seeded: dict[str, Any]
) -> None:
    """The rooms of the slots' venues are read first and the dates looked up by those rooms: with
    the rooms as a subquery PostgreSQL read every pending date of every venue in the window (87 ms
    for a year-long series at ten years of data, 11 ms with the list; bench/scale.py)."""
    start = next_weekday(2, weeks_ahead=5)
    mine = await _submit(session, seeded["hall_a"].id, start, "Alpha Allotment Society")
    await session.commit()
    booking = await booking_for_case(session, mine.id)
    with counted_statements(session.bind.sync_engine) as seen:  # type: ignore[union-attr]  # bind is an AsyncEngine here
        await competing(session, booking)
    dates = [s for s in seen if "FROM occurrence JOIN booking" in " ".join(s.split())]
    assert len(dates) == 1, seen
    # The rooms as bound values (`?` on SQLite, `$n` on PostgreSQL), not a subquery.
    assert re.search(r"occurrence\.room_id IN \((\?|\$\d)", dates[0]), dates[0]
