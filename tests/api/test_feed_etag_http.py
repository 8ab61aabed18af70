"""A feed's ETag changes when, and only when, its bytes do: corrections that touch no booking row
(organisation, contact, venue address, room name, buffers) included; and HEAD answers as GET."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from api.dataprotection.rectification import rectify_organisation
from tests.factories import (
    ADMIN,
    application_payload,
    bearer,
    make_provider,
    make_room,
    make_staff,
    make_venue,
    next_weekday,
)
from venues.models import Room, Venue
from vetting.models import VettingCase

Client = AsyncTestClient[Litestar]
Change = Callable[[AsyncSession], Awaitable[None]]


async def _book(
    client: Client, seeded: dict[str, Any], room_id: UUID, start: dt.datetime, org: str, officer: str = ""
) -> str:
    created = await client.post(
        "/api/v1/applications", json=application_payload(room_id, start, organisation=org)
    )
    assert created.status_code == 201, created.text
    case_id = str(created.json()["id"])
    decided = await client.post(
        f"/api/v1/applications/{case_id}/decision",
        json={"outcome": "approve", "reason": "ok"},
        headers=bearer(officer or seeded["officer_token"]),
    )
    assert decided.status_code == 200, decided.text
    return case_id


async def _feed_path(client: Client, token: str, **body: Any) -> str:
    made = await client.post("/api/v1/feeds", json=body, headers=bearer(token))
    assert made.status_code == 201, made.text
    return "/" + str(made.json()["url"]).split("/", 3)[3]


async def _poll(client: Client, paths: dict[str, str]) -> dict[str, tuple[str, bytes]]:
    out = {}
    for name, path in paths.items():
        response = await client.get(path)
        assert response.status_code == 200
        out[name] = (response.headers["etag"], response.content)
    return out


async def test_etag_moves_exactly_with_the_bytes(
    client: Client, seeded: dict[str, Any], engine: AsyncEngine
) -> None:
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as s:
        other = await make_venue(s, "Otherton Institute", owner_name="Otherton Parish Council")
        other_room = await make_room(s, other, "Otherton Room")
        # Each owner's cases are decided by its own officers.
        _, other_officer = await make_staff(
            s, "officer", venue_ids=None, provider=await make_provider(s, "Otherton Parish Council")
        )
        await s.commit()
    start = next_weekday(2, weeks_ahead=4)
    case_a = await _book(client, seeded, seeded["hall_a"].id, start, "Feedtown Singers")
    await _book(client, seeded, seeded["hall_b"].id, start, "Feedtown Chess Club")
    await _book(client, seeded, other_room.id, start, "Otherton Walkers", other_officer)
    admin = seeded["admin_token"]
    paths = {
        "hall_a standard": await _feed_path(
            client, admin, room_id=str(seeded["hall_a"].id), detail="standard"
        ),
        "hall_b standard": await _feed_path(
            client, admin, room_id=str(seeded["hall_b"].id), detail="standard"
        ),
        "hall_b busy": await _feed_path(client, admin, room_id=str(seeded["hall_b"].id), detail="busy"),
        "venue busy": await _feed_path(client, admin, venue_id=str(seeded["venue"].id), detail="busy"),
        "venue full": await _feed_path(client, admin, venue_id=str(seeded["venue"].id), detail="full"),
        "other owner full": await _feed_path(client, admin, owner="Otherton Parish Council", detail="full"),
    }

    async def rename_organisation(s: AsyncSession) -> None:
        # An officer's rectification: the one change that reaches what a request submitted.
        case = await s.get(VettingCase, UUID(case_a))
        assert case is not None
        await rectify_organisation(s, ADMIN, case.organisation_id, {"name": "Feedtown Choir"}, "Misspelt")

    async def correct_contact(s: AsyncSession) -> None:
        case = await s.get(VettingCase, UUID(case_a))
        assert case is not None
        case.contact = case.contact | {"phone": "07700 900999"}

    async def change_address(s: AsyncSession) -> None:
        await s.execute(
            update(Venue).where(Venue.id == seeded["venue"].id).values(address="3 New Road, Testtown")
        )

    async def rename_room(s: AsyncSession) -> None:
        await s.execute(update(Room).where(Room.id == seeded["hall_b"].id).values(name="Hall Bee"))

    async def change_buffer(s: AsyncSession) -> None:
        await s.execute(update(Room).where(Room.id == seeded["hall_a"].id).values(buffer_before_minutes=20))

    steps: list[tuple[Change, set[str]]] = [
        # the organisation shows at standard and full detail, not in busy feeds
        (rename_organisation, {"hall_a standard", "venue full"}),
        # the contact only at full detail
        (correct_contact, {"venue full"}),
        # the address is in every event's LOCATION of that venue
        (change_address, {"hall_a standard", "hall_b standard", "hall_b busy", "venue busy", "venue full"}),
        # the room name is in LOCATION (and in the room feed's own name)
        (rename_room, {"hall_b standard", "hall_b busy", "venue busy", "venue full"}),
        # set-up time shows in the description only
        (change_buffer, {"hall_a standard", "venue full"}),
    ]
    before = await _poll(client, paths)
    assert await _poll(client, paths) == before  # nothing changed, nothing moves
    for change, expected in steps:
        async with maker() as s:
            await change(s)
            await s.commit()
        after = await _poll(client, paths)
        for name in paths:
            etag_moved = after[name][0] != before[name][0]
            bytes_moved = after[name][1] != before[name][1]
            assert etag_moved == bytes_moved, (change.__name__, name)
        moved = {name for name in paths if after[name][0] != before[name][0]}
        assert moved == expected, change.__name__
        # a client holding the old ETag gets the new text; one holding the new gets a 304
        for name in expected:
            stale = await client.get(paths[name], headers={"If-None-Match": before[name][0]})
            assert stale.status_code == 200
            fresh = await client.get(paths[name], headers={"If-None-Match": after[name][0]})
            assert fresh.status_code == 304
        before = after


async def test_head_matches_get_and_charset_is_given_once(client: Client, seeded: dict[str, Any]) -> None:
    await _book(client, seeded, seeded["hall_a"].id, next_weekday(3, weeks_ahead=4), "Feedtown Singers")
    path = await _feed_path(client, seeded["manager_token"], venue_id=str(seeded["venue"].id), detail="full")
    for _ in range(2):  # the first answer renders; the second may come from the per-process caches
        got = await client.get(path)
        assert got.headers["content-type"] == "text/calendar; charset=utf-8"
        head = await client.head(path)
        assert head.status_code == got.status_code == 200
        assert head.content == b""
        assert int(head.headers["content-length"]) == len(got.content) > 0
        assert got.headers["content-length"] == head.headers["content-length"]
        for header in ("etag", "last-modified", "content-type", "cache-control"):
            assert head.headers[header] == got.headers[header], header
