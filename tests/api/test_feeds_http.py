"""Feeds over HTTP: secret URLs, detail levels, validators, 304s, rotation and revocation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from api.models import User
from api.users import remove_venue_access
from tests.factories import application_payload, bearer, make_room, make_venue, next_weekday
from tests.venues.feed_validation import assert_valid_feed
from venues.models import Booking, Feed, Occurrence

Client = AsyncTestClient[Litestar]


async def _confirmed_series(
    client: Client, seeded: dict[str, Any], start: dt.datetime, rrule: str
) -> dict[str, Any]:
    created = await client.post(
        "/api/v1/applications",
        json=application_payload(seeded["hall_a"].id, start, rrule=rrule, organisation="Feedtown Singers"),
    )
    app = created.json()
    decided = await client.post(
        f"/api/v1/applications/{app['id']}/decision",
        json={
            "outcome": "approve",
            "reason": "ok",
            "conditions": [{"code": "stewarding", "rationale": "Busy night"}],
        },
        headers=bearer(seeded["officer_token"]),
    )
    assert decided.status_code == 200, decided.text
    return app


async def _feed(client: Client, token: str, **body: Any) -> dict[str, Any]:
    response = await client.post("/api/v1/feeds", json=body, headers=bearer(token))
    assert response.status_code == 201, response.text
    return response.json()


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


async def _expected(engine: AsyncEngine) -> dict[str, list[tuple[dt.datetime, dt.datetime]]]:
    async with async_sessionmaker(engine)() as s:
        out: dict[str, list[tuple[dt.datetime, dt.datetime]]] = {}
        rows = await s.execute(
            select(Booking.uid, Occurrence.start_utc, Occurrence.end_utc, Occurrence.status)
            .join(Occurrence, Occurrence.booking_id == Booking.id)
            .order_by(Occurrence.start_utc)
        )
        for uid, start, end, status in rows:
            if status == "held":
                out.setdefault(uid, []).append((start, end))
        return out


async def test_feed_matches_database_across_the_clock_change_with_exceptions(
    client: Client, seeded: dict[str, Any], engine: AsyncEngine
) -> None:
    # Weekly Tuesdays 19:00 local from early March: crosses the last Sunday of March.
    today = dt.date.today()
    year = today.year + 1 if today.month >= 3 else today.year
    start = dt.datetime(year, 3, 2, 19, tzinfo=dt.timezone(dt.timedelta(0)))
    while start.weekday() != 1:
        start += dt.timedelta(days=1)
    if start - dt.datetime.now(dt.UTC) > dt.timedelta(days=330):
        start = next_weekday(1, weeks_ahead=2)
    app = await _confirmed_series(client, seeded, start, "FREQ=WEEKLY;COUNT=6")
    case = (
        await client.get(f"/api/v1/applications/{app['id']}", headers=bearer(seeded["officer_token"]))
    ).json()
    occurrences = case["occurrences"]
    local_times = {o["local_start"][11:] for o in occurrences}
    assert local_times == {"19:00"}
    # Cancel the second date and move the fourth by an hour.
    officer = bearer(seeded["officer_token"])
    cancelled = await client.post(
        f"/api/v1/applications/{app['id']}/occurrences/{occurrences[1]['id']}/cancel",
        json={"reason": "venue_closed"},
        headers=officer,
    )
    assert cancelled.status_code == 200
    fourth_start = dt.datetime.fromisoformat(occurrences[3]["start"]) + dt.timedelta(hours=1)
    moved = await client.post(
        f"/api/v1/applications/{app['id']}/occurrences/{occurrences[3]['id']}/move",
        json={
            "start": fourth_start.isoformat(),
            "end": (fourth_start + dt.timedelta(hours=2)).isoformat(),
            "reason": "hirer_asked",
        },
        headers=officer,
    )
    assert moved.status_code == 200, moved.text

    for detail in ("busy", "standard", "full"):
        feed = await _feed(client, seeded["manager_token"], venue_id=str(seeded["venue"].id), detail=detail)
        response = await client.get(_path(feed["url"]))
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/calendar")
        assert response.headers["x-robots-tag"].startswith("noindex")
        assert response.headers["referrer-policy"] == "no-referrer"
        assert "private" in response.headers["cache-control"]
        assert_valid_feed(response.content, await _expected(engine))
        text = response.text
        assert "morgan@testtown.example" not in text  # never applicants' emails
        assert "screening" not in text.lower()
        if detail == "busy":
            assert "Feedtown Singers" not in text
            assert "Booked" in text
        else:
            assert "Feedtown Singers" in text
            assert "Stewards" in text or "steward" in text.lower()
        if detail == "full":
            assert "07700 900555" in text.replace("\r\n ", "")
        else:
            assert "07700 900555" not in text.replace("\r\n ", "")


async def test_etag_304_and_changes_move_the_validators(client: Client, seeded: dict[str, Any]) -> None:
    app = await _confirmed_series(client, seeded, next_weekday(1, weeks_ahead=3), "FREQ=WEEKLY;COUNT=3")
    feed = await _feed(client, seeded["manager_token"], room_id=str(seeded["hall_a"].id), detail="standard")
    path = _path(feed["url"])
    first = await client.get(path)
    etag, last_modified = first.headers["etag"], first.headers["last-modified"]
    again = await client.get(path)
    assert again.content == first.content  # byte-identical when nothing changed
    assert again.headers["etag"] == etag
    not_modified = await client.get(path, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    since = await client.get(path, headers={"If-Modified-Since": last_modified})
    assert since.status_code == 304
    head = await client.head(path)
    assert head.status_code == 200
    assert head.headers["etag"] == etag

    # The main hall contains hall A, so its feed shows the booking too; a change moves the ETag.
    case = (
        await client.get(f"/api/v1/applications/{app['id']}", headers=bearer(seeded["officer_token"]))
    ).json()
    await client.post(
        f"/api/v1/applications/{app['id']}/occurrences/{case['occurrences'][0]['id']}/cancel",
        json={"reason": "venue_closed"},
        headers=bearer(seeded["officer_token"]),
    )
    changed = await client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag


async def test_tokens_are_secret_rotatable_and_revocable(
    client: Client, seeded: dict[str, Any], engine: AsyncEngine
) -> None:
    feed = await _feed(client, seeded["manager_token"], venue_id=str(seeded["venue"].id), detail="busy")
    assert feed["webcal_url"].startswith("webcal://")
    token = feed["url"].rsplit("/", 1)[1].removesuffix(".ics")
    assert len(token) >= 43  # 256 bits, base64url
    async with async_sessionmaker(engine)() as s:
        stored = (await s.execute(select(Feed.token_hash))).scalars().all()
    assert token not in stored
    assert all(len(h) == 64 for h in stored)

    rotated = await client.post(f"/api/v1/feeds/{feed['id']}/rotate", headers=bearer(seeded["manager_token"]))
    assert (await client.get(_path(feed["url"]))).status_code == 404
    assert (await client.get(_path(rotated.json()["url"]))).status_code == 200

    other = await client.delete(f"/api/v1/feeds/{feed['id']}", headers=bearer(seeded["officer_token"]))
    assert other.status_code == 404
    revoked = await client.delete(f"/api/v1/feeds/{feed['id']}", headers=bearer(seeded["manager_token"]))
    assert revoked.status_code == 204
    assert (await client.get(_path(rotated.json()["url"]))).status_code == 404
    assert (await client.get("/feeds/" + "x" * 43 + ".ics")).status_code == 404


async def test_manager_feeds_stop_when_access_ends_and_other_venues_are_invisible(
    client: Client, seeded: dict[str, Any], engine: AsyncEngine
) -> None:
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        elsewhere = await make_venue(s, "Elsewhere Hall")
        await make_room(s, elsewhere, "Elsewhere Room")
        await s.commit()
    denied = await client.post(
        "/api/v1/feeds", json={"venue_id": str(elsewhere.id)}, headers=bearer(seeded["manager_token"])
    )
    assert denied.status_code == 404
    feed = await _feed(client, seeded["manager_token"], venue_id=str(seeded["venue"].id))
    assert (await client.get(_path(feed["url"]))).status_code == 200
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        user = await s.get(User, seeded["manager"].id)
        assert user is not None
        await remove_venue_access(s, user, seeded["venue"].id)
        await s.commit()
    assert (await client.get(_path(feed["url"]))).status_code == 404


async def test_decisions_due_feed_for_officers(client: Client, seeded: dict[str, Any]) -> None:
    await client.post("/api/v1/applications", json=application_payload(seeded["hall_b"].id, next_weekday(2)))
    manager = await client.post(
        "/api/v1/feeds", json={"decisions_due": True}, headers=bearer(seeded["manager_token"])
    )
    assert manager.status_code == 403
    feed = await _feed(client, seeded["officer_token"], decisions_due=True)
    response = await client.get(_path(feed["url"]))
    assert response.status_code == 200
    assert "VH-" in response.text
    assert "BEGIN:VEVENT" in response.text
