"""Creating, rotating and revoking calendar feeds, and serving them cheaply to calendar apps."""

from __future__ import annotations

import datetime as dt
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, post, route
from litestar.datastructures import State
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import PUBLIC, STAFF, roles
from api.schemas import FeedIn
from api.settings import Settings
from venues.feeds import create_feed, feed_by_token, feed_meta, list_feeds, render, revoke_feed, rotate_feed
from venues.models import Feed
from vetting.actors import Actor
from vetting.errors import Invalid

FEED_HEADERS = {
    "Cache-Control": "private, max-age=0, must-revalidate",
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
}


def _feed_json(feed: Feed, url: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": str(feed.id),
        "scope": feed.scope,
        "target": feed.target,
        "detail": feed.detail,
        "created_at": feed.created_at.isoformat(),
    }
    if url is not None:
        body["url"] = url
        body["webcal_url"] = "webcal://" + url.split("://", 1)[1]
    return body


def _scope_of(data: FeedIn) -> tuple[str, str]:
    chosen = [
        (name, value)
        for name, value in (
            ("room", data.room_id),
            ("venue", data.venue_id),
            ("owner", data.owner),
            ("decisions", "officer" if data.decisions_due else None),
        )
        if value
    ]
    if len(chosen) != 1:
        raise Invalid(
            "name exactly one of room_id, venue_id, owner or decisions_due",
            {"scope": "exactly one of room_id, venue_id, owner, decisions_due"},
        )
    name, value = chosen[0]
    return name, str(value)


class FeedController(Controller):
    path = "/api/v1/feeds"
    tags = ["feeds"]

    @post("/", operation_id="createFeed", opt=roles(*STAFF), status_code=201)
    async def create(
        self, data: FeedIn, staff: Actor, db_session: AsyncSession, state: State
    ) -> dict[str, Any]:
        feed_scope, target = _scope_of(data)
        feed, token = await create_feed(db_session, staff, feed_scope, target, data.detail)
        settings: Settings = state.settings
        return _feed_json(feed, f"{settings.base_url}/feeds/{token}.ics")

    @get("/", operation_id="listFeeds", opt=roles(*STAFF))
    async def list_(self, staff: Actor, db_session: AsyncSession) -> list[dict[str, Any]]:
        return [_feed_json(f) for f in await list_feeds(db_session, staff)]

    @post("/{feed_id:uuid}/rotate", operation_id="rotateFeed", opt=roles(*STAFF), status_code=200)
    async def rotate(
        self, feed_id: UUID, staff: Actor, db_session: AsyncSession, state: State
    ) -> dict[str, Any]:
        feed, token = await rotate_feed(db_session, staff, feed_id)
        settings: Settings = state.settings
        return _feed_json(feed, f"{settings.base_url}/feeds/{token}.ics")

    @delete("/{feed_id:uuid}", operation_id="revokeFeed", opt=roles(*STAFF), status_code=204)
    async def revoke(self, feed_id: UUID, staff: Actor, db_session: AsyncSession) -> None:
        await revoke_feed(db_session, staff, feed_id)


def _not_modified(request: Request[Any, Any, Any], etag: str, last_modified: dt.datetime) -> bool:
    inm = request.headers.get("if-none-match")
    if inm is not None:
        tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return f'"{etag}"' in tags or "*" in tags
    ims = request.headers.get("if-modified-since")
    if ims:
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            return False
        return last_modified.replace(microsecond=0) <= since
    return False


@route(
    # Litestar path parameters are whole segments, so the ".ics" suffix is checked in the handler.
    "/feeds/{filename:str}",
    http_method=["GET", "HEAD"],
    operation_id=lambda _handler, method, _parts: "serveFeed" if method == "GET" else "headFeed",
    tags=["feeds"],
    opt=roles(PUBLIC),
    include_in_schema=True,
)
async def serve_feed(
    filename: str, request: Request[Any, Any, Any], db_session: AsyncSession, state: State
) -> Response[bytes]:
    """The calendar itself; the token in the path is the only credential, so anything wrong is a plain 404."""
    token = filename.removesuffix(".ics")
    valid = filename.endswith(".ics") and 20 <= len(token) <= 100
    feed = await feed_by_token(db_session, token) if valid else None
    if feed is None or not await _owner_still_allowed(db_session, feed):
        return Response(
            b"Not found\n", status_code=404, media_type="text/plain", headers={"X-Robots-Tag": "noindex"}
        )
    settings: Settings = state.settings
    now = dt.datetime.now(dt.UTC)
    meta = await feed_meta(db_session, feed, settings.council_name, now)
    if feed.etag != meta.etag or feed.content_changed_at is None:
        feed.etag = meta.etag
        feed.content_changed_at = now.replace(microsecond=0)
    last_modified = feed.content_changed_at
    headers = FEED_HEADERS | {
        "ETag": f'"{meta.etag}"',
        "Last-Modified": format_datetime(last_modified, usegmt=True),
    }
    if _not_modified(request, meta.etag, last_modified):
        return Response(b"", status_code=304, headers=headers)
    body = b"" if request.method == "HEAD" else await render(db_session, feed, meta, now)
    return Response(body, status_code=200, media_type="text/calendar; charset=utf-8", headers=headers)


async def _owner_still_allowed(session: AsyncSession, feed: Feed) -> bool:
    """Feeds die with their owner's access: a disabled user or a manager moved off the venue."""
    from api.models import User, UserVenue
    from venues.feeds import _venues_in_scope

    user = await session.get(User, feed.owner_id)
    if user is None or not user.active:
        return False
    if user.role != "venue_manager":
        return True
    from sqlalchemy import select

    mine = set(
        (await session.execute(select(UserVenue.venue_id).where(UserVenue.user_id == user.id))).scalars()
    )
    venues = await _venues_in_scope(session, feed.scope, feed.target)
    return bool(venues) and all(v.id in mine for v in venues)
