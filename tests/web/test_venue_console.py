"""Editing venues, rooms, opening hours and closures from the console (issue 17 item 5): what
is saved, the errors in words (never a 500), the audit records (who, when, what changed, and no
personal data), and who may edit which venue. Invented names only."""

from __future__ import annotations

import html
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from api.audit import verify_chain
from api.models import AuditRecord
from api.settings import Settings
from tests import factories as f
from tests.web.sign_in import csrf_of, sign_in_as
from venues.models import Closure, Room, Venue

Client = AsyncTestClient[Litestar]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"delivery": "off"})


@pytest.fixture
async def web(app: Litestar) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as c:
        yield c


async def _records(engine: AsyncEngine, venue_id: Any) -> list[AuditRecord]:
    async with async_sessionmaker(engine)() as s:
        return list(
            (
                await s.execute(
                    select(AuditRecord)
                    .where(AuditRecord.object_type == "venue", AuditRecord.object_id == str(venue_id))
                    .order_by(AuditRecord.id)
                )
            ).scalars()
        )


async def _get(engine: AsyncEngine, model: Any, key: Any) -> Any:
    async with async_sessionmaker(engine)() as s:
        return await s.get(model, key)


async def test_an_administrator_edits_the_venues_details_and_the_change_is_audited(
    web: Client, session: AsyncSession, engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    venue = seeded["venue"]
    await sign_in_as(web, session, seeded["admin"])
    form = await web.get(f"/officer/venues/{venue.id}/edit")
    assert form.status_code == 200
    saved = await web.post(
        f"/officer/venues/{venue.id}/edit",
        data={
            "csrf_token": csrf_of(form.text),
            "name": "Testtown Civic Centre",
            "address": venue.address,
            "policy_id": "council-default",
            "bank_holidays_region": "ENG",
            "contact_email": "bookings@civic.testtown.example",
            "access_instructions": "Key safe code 1234",
        },
        follow_redirects=False,
    )
    assert saved.status_code in (302, 303), saved.text
    assert (await _get(engine, Venue, venue.id)).name == "Testtown Civic Centre"
    (record,) = await _records(engine, venue.id)
    detail = json.loads(record.detail or "{}")
    assert record.action == "update_venue" and record.actor == f"admin:{seeded['admin'].id}"
    assert detail["changes"]["name"] == {"from": "Testtown Civic Hall", "to": "Testtown Civic Centre"}
    assert detail["changes"]["contact_email"] == {"changed": True}
    assert "civic.testtown.example" not in (record.detail or "") and "1234" not in (record.detail or "")
    page = await web.get(f"/officer/venues/{venue.id}")
    assert (
        "Venue details edited" in page.text
        and "name from Testtown Civic Hall to Testtown Civic Centre" in page.text
    )
    assert seeded["admin"].name in page.text
    async with async_sessionmaker(engine)() as s:
        assert (await verify_chain(s)).ok


async def test_a_rooms_hours_are_edited_and_bad_input_is_told_in_words(
    web: Client, session: AsyncSession, engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    room = seeded["small"]
    await sign_in_as(web, session, seeded["admin"])
    form = await web.get(f"/officer/rooms/{room.id}/edit")
    assert form.status_code == 200 and 'value="09:00-18:00"' in form.text
    base = {
        "csrf_token": csrf_of(form.text),
        "room_name": "Meeting Room",
        "capacity": "12",
        "access": "step_free",
        "hours_tue": "09:00-18:00",
        "buffer_before": "0",
        "buffer_after": "0",
    }
    bad = await web.post(
        f"/officer/rooms/{room.id}/edit",
        data=base | {"capacity": "lots", "hours_mon": "ten till two", "buffer_after": "500"},
    )
    assert bad.status_code == 400
    for words in ("Enter the capacity as a number", "Enter Monday's hours like 09:00-22:00"):
        assert words in html.unescape(bad.text)
    backwards = await web.post(f"/officer/rooms/{room.id}/edit", data=base | {"hours_mon": "18:00-09:00"})
    assert backwards.status_code == 400 and "Check the opening hours" in backwards.text
    unchanged = (await _get(engine, Room, room.id)).opening_hours
    assert {d: r for d, r in unchanged.items() if r} == {"tue": [["09:00", "18:00"]]}
    assert await _records(engine, seeded["venue"].id) == []
    saved = await web.post(
        f"/officer/rooms/{room.id}/edit",
        data=base | {"hours_mon": "10:00-12:00, 13:00-16:00", "capacity": "14"},
        follow_redirects=False,
    )
    assert saved.status_code in (302, 303), saved.text
    stored = await _get(engine, Room, room.id)
    assert stored.capacity == 14
    assert stored.opening_hours["mon"] == [["10:00", "12:00"], ["13:00", "16:00"]]
    (record,) = await _records(engine, seeded["venue"].id)
    changes = json.loads(record.detail or "{}")["changes"]
    assert changes["capacity"] == {"from": 12, "to": 14}
    assert set(changes) == {"capacity", "opening_hours"}
    page = await web.get(f"/officer/venues/{seeded['venue'].id}")
    assert "Room edited: Meeting Room" in page.text and "capacity from 12 to 14" in page.text
    assert "Monday&#39;s hours from closed to 10am to midday, 1pm to 4pm" in page.text
    assert "Monday: 10am to midday, 1pm to 4pm" in page.text


async def test_the_linked_spaces_of_a_room_survive_an_edit(
    web: Client, session: AsyncSession, engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    main = seeded["main"]
    await sign_in_as(web, session, seeded["admin"])
    form = await web.get(f"/officer/rooms/{main.id}/edit")
    saved = await web.post(
        f"/officer/rooms/{main.id}/edit",
        data={
            "csrf_token": csrf_of(form.text),
            "room_name": "Main Hall",
            "capacity": "140",
            "hours_wed": "08:00-23:00",
            "buffer_after": "15",
        },
        follow_redirects=False,
    )
    assert saved.status_code in (302, 303), saved.text
    from venues.venue_service import parts_map

    async with async_sessionmaker(engine)() as s:
        parts = await parts_map(s, seeded["venue"].id)
    assert sorted(parts[str(main.id)]) == sorted([str(seeded["hall_a"].id), str(seeded["hall_b"].id)])


async def test_a_closure_is_added_and_removed_with_audit_records(
    web: Client, session: AsyncSession, engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    venue = seeded["venue"]
    await sign_in_as(web, session, seeded["admin"])
    page = await web.get(f"/officer/venues/{venue.id}")
    day = f.next_weekday(3, weeks_ahead=8).date()
    added = await web.post(
        f"/officer/venues/{venue.id}/closures",
        data={
            "csrf_token": csrf_of(page.text),
            "closure_start": day.isoformat(),
            "closure_reason": "Boiler repair",
        },
        follow_redirects=False,
    )
    assert added.status_code in (302, 303), added.text
    page = await web.get(f"/officer/venues/{venue.id}")
    from api.web.readable import long_date

    assert f"{long_date(day)}: Boiler repair" in page.text
    async with async_sessionmaker(engine)() as s:
        (closure,) = (await s.execute(select(Closure).where(Closure.venue_id == venue.id))).scalars()
    removed = await web.post(
        f"/officer/closures/{closure.id}/remove",
        data={"csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert removed.status_code in (302, 303)
    assert await _get(engine, Closure, closure.id) is None
    assert [r.action for r in await _records(engine, venue.id)] == ["add_closure", "remove_closure"]
    page = await web.get(f"/officer/venues/{venue.id}")
    assert "Closure removed" in page.text and "Closure added" in page.text


async def test_only_administrators_of_the_venues_organisation_may_edit_it(
    web: Client, session: AsyncSession, engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    venue, room = seeded["venue"], seeded["small"]
    await sign_in_as(web, session, seeded["officer"])
    assert (await web.get(f"/officer/venues/{venue.id}/edit")).status_code == 403
    assert (await web.get(f"/officer/rooms/{room.id}/edit")).status_code == 403
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        elsewhere = await f.make_provider(s, "Otherton Council")
        other_admin, _ = await f.make_staff(s, "admin", provider=elsewhere)
        home = await f.make_provider(s)
        own_admin, _ = await f.make_staff(s, "admin", provider=home)
        await s.commit()
    web.cookies.clear()
    await sign_in_as(web, session, other_admin)
    assert (await web.get(f"/officer/venues/{venue.id}/edit")).status_code == 404
    page = await web.get("/officer/venues")
    refused = await web.post(
        f"/officer/rooms/{room.id}/edit",
        data={"csrf_token": csrf_of(page.text), "room_name": "Taken over", "capacity": "5"},
    )
    assert refused.status_code == 404
    assert (await _get(engine, Room, room.id)).name == "Meeting Room"
    web.cookies.clear()
    await sign_in_as(web, session, own_admin)
    assert (await web.get(f"/officer/rooms/{room.id}/edit")).status_code == 200


async def test_editing_the_details_keeps_the_venues_owner(
    web: Client, session: AsyncSession, engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    """An owner name changed since the venue was added (an organisation renamed) must not make
    the edit file the venue under a new organisation."""
    venue = seeded["venue"]
    async with async_sessionmaker(engine)() as s:
        stored = await s.get(Venue, venue.id)
        assert stored is not None
        owner = stored.provider_id
        stored.owner_name = "Testshire Borough Council"
        await s.commit()
    await sign_in_as(web, session, seeded["admin"])
    form = await web.get(f"/officer/venues/{venue.id}/edit")
    saved = await web.post(
        f"/officer/venues/{venue.id}/edit",
        data={
            "csrf_token": csrf_of(form.text),
            "name": venue.name,
            "address": "3 New Road, Testtown TT1 3NR",
            "policy_id": "council-default",
        },
        follow_redirects=False,
    )
    assert saved.status_code in (302, 303), saved.text
    after = await _get(engine, Venue, venue.id)
    assert after.provider_id == owner and after.address == "3 New Road, Testtown TT1 3NR"
