"""The directory's reads on both engines: filters, free time from holds of linked spaces, and a
fixed number of statements however many rooms there are (issue 18, item 2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from tests import factories as f
from tests.directory.world import EVENINGS, directory_world, held
from venues.directory import DirectoryFilter, directory, linked_rooms, public_room, room_times
from venues.venue_service import RoomInput, VenueAdmin


def names(entries: list[Any]) -> list[str]:
    return [r.room.name for e in entries for r in e.rooms]


@contextmanager
def counted(engine: AsyncEngine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(*args: Any) -> None:
        if args[2].lstrip().upper().startswith("SELECT"):  # not BEGIN (SQLite's transactions)
            statements.append(args[2])

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)


async def test_filters_by_capacity_facilities_and_access(session: AsyncSession) -> None:
    await directory_world(session)
    await session.commit()
    everything = await directory(session, DirectoryFilter())
    assert [e.venue.name for e in everything] == ["Othertown Library", "Testtown Civic Hall"]
    assert names(everything) == ["Reading Room", "Meeting Room", "Hall A", "Hall B", "Main Hall"]
    assert names(await directory(session, DirectoryFilter(capacity=50))) == ["Hall A", "Hall B", "Main Hall"]
    assert names(await directory(session, DirectoryFilter(access=("hearing_loop",)))) == [
        "Hall A",
        "Main Hall",
    ]
    wanted = DirectoryFilter(capacity=100, access=("hearing_loop", "step_free"), facilities=("kitchen",))
    assert names(await directory(session, wanted)) == ["Main Hall"]
    assert names(await directory(session, DirectoryFilter(facilities=("kitchen", "projector")))) == ["Hall A"]
    assert await directory(session, DirectoryFilter(capacity=151)) == []


async def test_a_date_and_time_leave_out_rooms_taken_then_through_linked_spaces(
    session: AsyncSession,
) -> None:
    world = await directory_world(session)
    evening = f.next_weekday(1, weeks_ahead=6, hour=18)
    await held(session, world["hall_a"], evening, hours=3)  # Hall A 18:00-21:00
    await session.commit()
    day = evening.date()
    at_seven = DirectoryFilter(date=day, start=dt.time(19), end=dt.time(20))
    # Booking Hall A takes the Main Hall (made of both halves) but not Hall B.
    assert names(await directory(session, at_seven)) == ["Reading Room", "Meeting Room", "Hall B"]
    after = DirectoryFilter(date=day, start=dt.time(21), end=dt.time(22))
    assert names(await directory(session, after)) == [
        "Reading Room",
        "Meeting Room",
        "Hall A",
        "Hall B",
        "Main Hall",
    ]
    # A date alone keeps every room with some free time, with that time.
    by_day = await directory(session, DirectoryFilter(date=day))
    hall_a = next(r for e in by_day for r in e.rooms if r.room.name == "Hall A")
    assert hall_a.free == [
        (dt.datetime.combine(day, dt.time(9)), dt.datetime.combine(day, dt.time(18))),
        (dt.datetime.combine(day, dt.time(21)), dt.datetime.combine(day, dt.time(22))),
    ]
    assert hall_a.time is not None and hall_a.time.state(day) == "partly"
    # Sundays the rooms are closed: a date alone finds nothing.
    sunday = day + dt.timedelta(days=(6 - day.weekday()))
    assert await directory(session, DirectoryFilter(date=sunday)) == []


async def test_a_month_of_one_room_says_free_partly_booked_and_closed(session: AsyncSession) -> None:
    world = await directory_world(session)
    evening = f.next_weekday(2, weeks_ahead=6, hour=9)
    await held(session, world["main"], evening, hours=13)  # the whole of a Wednesday
    await held(session, world["hall_b"], evening + dt.timedelta(days=1, hours=10), hours=2)  # Thursday 19-21
    await session.commit()
    found = await public_room(session, world["hall_b"].id)
    assert found is not None
    first = evening.date() - dt.timedelta(days=3)
    times = await room_times(session, [found], first, first + dt.timedelta(days=7))
    hall_b = times[world["hall_b"].id]
    wednesday = evening.date()
    assert hall_b.state(wednesday) == "booked"  # the Main Hall takes both halves
    assert hall_b.state(wednesday + dt.timedelta(days=1)) == "partly"
    assert hall_b.state(wednesday + dt.timedelta(days=2)) == "free"
    assert hall_b.state(wednesday + dt.timedelta(days=4)) == "closed"  # Sunday


async def test_the_number_of_statements_does_not_grow_with_the_rooms(
    session: AsyncSession, engine: AsyncEngine
) -> None:
    world = await directory_world(session)
    day = f.next_weekday(3, weeks_ahead=6).date()
    await session.commit()
    wanted = DirectoryFilter(date=day, start=dt.time(19), end=dt.time(21))
    with counted(engine) as few:
        small = await directory(session, wanted)
    admin = VenueAdmin(session)
    for n in range(6):
        extra = await f.make_venue(session, f"Testvale Hall {n}")
        for m in range(4):
            await admin.create_room(
                f.ADMIN, extra.id, RoomInput(name=f"Room {m}", capacity=20 + m, opening_hours=EVENINGS)
            )
    await held(session, world["reading"], dt.datetime.combine(day, dt.time(19), f.LONDON))
    await session.commit()
    with counted(engine) as many:
        large = await directory(session, wanted)
    assert len(names(large)) == len(names(small)) + 24 - 1  # the Reading Room is taken then
    assert len(many) == len(few) == 5, many  # rooms, venues, parts, holds, closures


async def test_a_room_page_reads_only_active_rooms_and_names_linked_spaces(session: AsyncSession) -> None:
    world = await directory_world(session)
    world["small"].active = False
    await session.commit()
    assert await public_room(session, world["small"].id) is None
    assert await linked_rooms(session, world["main"]) == ["Hall A", "Hall B"]
    assert await linked_rooms(session, world["hall_a"]) == ["Main Hall"]
    assert await linked_rooms(session, world["reading"]) == []
