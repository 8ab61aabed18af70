"""Creating, rotating and revoking calendar feeds, and serving them cheaply to calendar apps."""

from __future__ import annotations

import datetime as dt
import time
from collections import OrderedDict
from dataclasses import dataclass
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, post, route
from litestar.datastructures import State
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import PUBLIC, STAFF, roles
from api.db.engine import committed_version, read_only, writable
from api.db.replica import read_engine
from api.schemas import FeedIn, FeedOut
from api.settings import Settings
from venues.feeds import (
    FeedMeta,
    create_feed,
    feed_by_token,
    feed_meta,
    list_feeds,
    reach_of,
    revoke_feed,
    rotate_feed,
)
from venues.models import Feed
from vetting.actors import Actor
from vetting.errors import Invalid
from vetting.providers import Provider
from vetting.tenancy import set_scope
from vetting.tokens import token_hash

FEED_HEADERS = {
    "Cache-Control": "private, max-age=0, must-revalidate",
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
}


def _feed_json(feed: Feed, url: str | None = None) -> FeedOut:
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
    return FeedOut.model_validate(body)


async def feed_branding(session: AsyncSession, feed: Feed, settings: Settings) -> tuple[str, str]:
    """The name a feed's calendar carries and the address its URL starts with: its owner's
    organisation's, when it has them, else the service's own."""
    provider = await session.get(Provider, feed.provider_id) if feed.provider_id is not None else None
    if provider is None:
        return settings.council_name, settings.base_url
    return provider.name, (provider.base_url or settings.base_url).rstrip("/")


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
    async def create(self, data: FeedIn, staff: Actor, db_session: AsyncSession, state: State) -> FeedOut:
        feed_scope, target = _scope_of(data)
        feed, token = await create_feed(db_session, staff, feed_scope, target, data.detail)
        _name, base = await feed_branding(db_session, feed, state.settings)
        return _feed_json(feed, f"{base}/feeds/{token}.ics")

    @get("/", operation_id="listFeeds", opt=roles(*STAFF))
    async def list_(self, staff: Actor, db_session: AsyncSession) -> list[FeedOut]:
        return [_feed_json(f) for f in await list_feeds(db_session, staff)]

    @post("/{feed_id:uuid}/rotate", operation_id="rotateFeed", opt=roles(*STAFF), status_code=200)
    async def rotate(self, feed_id: UUID, staff: Actor, db_session: AsyncSession, state: State) -> FeedOut:
        feed, token = await rotate_feed(db_session, staff, feed_id)
        _name, base = await feed_branding(db_session, feed, state.settings)
        return _feed_json(feed, f"{base}/feeds/{token}.ics")

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
    filename: str,
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    read_session: AsyncSession,
    state: State,
) -> Response[bytes]:
    """The calendar itself; the token in the path is the only credential, so anything wrong is a plain 404."""
    token = filename.removesuffix(".ics")
    valid = filename.endswith(".ics") and 20 <= len(token) <= 100
    # Polls read from the standby when there is one (api/db/replica.py); `read_session` is
    # `db_session` otherwise.
    engine = read_engine(state)
    # Calendar apps poll, and almost every poll only reads; the rare one that must record a new
    # validator switches to a write transaction on the primary and reads again there
    # (api.db.engine.writable).
    read_only()
    version = await committed_version(engine, read_session) if valid else None
    key = (str(engine.url), token_hash(token))
    known = _VALIDATORS.get(key) if version is not None else None
    if known is not None and known.still_valid(version):
        # Nothing at all was committed since this validator was worked out (see _Validator).
        headers = _feed_headers(known.etag, known.last_modified)
        if _not_modified(request, known.etag, known.last_modified):
            return Response(b"", status_code=304, headers=headers)
        cached = _RENDERED.get((known.feed_id, known.etag))
        if cached is not None:
            return _calendar_response(request, cached, headers)
    feed = await feed_by_token(read_session, token) if valid else None
    if feed is None or not await _owner_still_allowed(read_session, feed):
        return _not_found()
    set_scope(read_session, reach_of(feed))
    settings: Settings = state.settings
    now = dt.datetime.now(dt.UTC)
    owner_name, _base = await feed_branding(read_session, feed, settings)
    meta = await feed_meta(read_session, feed, owner_name, now)
    if feed.etag != meta.etag or feed.content_changed_at is None:
        await writable(db_session)
        feed = await feed_by_token(db_session, token)
        if feed is None or not await _owner_still_allowed(db_session, feed):
            return _not_found()
        set_scope(db_session, reach_of(feed))
        owner_name, _base = await feed_branding(db_session, feed, settings)
        # Read again inside the write transaction, so the validator recorded is the one served.
        meta = await feed_meta(db_session, feed, owner_name, now)
    if feed.etag != meta.etag or feed.content_changed_at is None:
        feed.etag = meta.etag
        feed.content_changed_at = now.replace(microsecond=0)
    elif version is not None:
        _remember(key, _Validator(version, now.date(), time.monotonic() + VALIDATOR_TTL_S, feed.id,
                                  meta.etag, feed.content_changed_at))  # fmt: skip
    _remember_body(feed.id, meta)
    last_modified = feed.content_changed_at
    headers = _feed_headers(meta.etag, last_modified)
    if _not_modified(request, meta.etag, last_modified):
        return Response(b"", status_code=304, headers=headers)
    return _calendar_response(request, meta.body, headers)


def _not_found() -> Response[bytes]:
    return Response(
        b"Not found\n", status_code=404, media_type="text/plain", headers={"X-Robots-Tag": "noindex"}
    )


def _calendar_response(
    request: Request[Any, Any, Any], body: bytes, headers: dict[str, str]
) -> Response[bytes]:
    # Litestar adds "; charset=utf-8" to text/* types itself. HEAD answers the headers GET would,
    # Content-Length included, without the body.
    if request.method == "HEAD":
        headers = headers | {"Content-Length": str(len(body))}
        body = b""
    return Response(body, status_code=200, media_type="text/calendar", headers=headers)


def _feed_headers(etag: str, last_modified: dt.datetime) -> dict[str, str]:
    return FEED_HEADERS | {"ETag": f'"{etag}"', "Last-Modified": format_datetime(last_modified, usegmt=True)}


VALIDATOR_TTL_S = 60.0
_VALIDATORS_MAX = 1024


@dataclass(frozen=True)
class _Validator:
    """A feed's ETag and Last-Modified, trusted while the database has not changed at all.

    Worked out from the database, they stay right until something is committed (a booking, a
    revocation, a disabled owner: anything moves `api.db.engine.committed_version`, in any
    process: SQLite's data_version, PostgreSQL's WAL position), the UTC day turns (the feed's
    window moves) or a minute passes (a cancelled booking leaving its grace period changes the
    feed without any commit).
    bench/loadtest.py: a 304 otherwise loads what every event of the window shows (the ETag is a
    hash of the bytes; venues.feed_render keeps each booking's rendered events).
    """

    version: tuple[int, int]
    day: dt.date
    expires: float
    feed_id: UUID
    etag: str
    last_modified: dt.datetime

    def still_valid(self, version: tuple[int, int] | None) -> bool:
        now = dt.datetime.now(dt.UTC)
        return version == self.version and now.date() == self.day and time.monotonic() < self.expires


_VALIDATORS: dict[tuple[str, str], _Validator] = {}


def _remember(key: tuple[str, str], validator: _Validator) -> None:
    if len(_VALIDATORS) >= _VALIDATORS_MAX:
        _VALIDATORS.clear()
    _VALIDATORS[key] = validator


# Feed bodies by (feed, ETag), for the SQLite shortcut above: when nothing at all was committed
# since, a poll without If-None-Match is answered without touching the database. The ETag is a
# hash of the body, so equal ETags mean equal bytes. Bounded; per process.
_RENDERED: OrderedDict[tuple[UUID, str], bytes] = OrderedDict()
_RENDERED_MAX = 32


def _remember_body(feed_id: UUID, meta: FeedMeta) -> None:
    key = (feed_id, meta.etag)
    _RENDERED[key] = meta.body
    _RENDERED.move_to_end(key)
    while len(_RENDERED) > _RENDERED_MAX:
        _RENDERED.popitem(last=False)


async def _owner_still_allowed(session: AsyncSession, feed: Feed) -> bool:
    """Feeds die with their owner's access: a disabled user or a manager moved off the venue."""
    from api.models import User, UserVenue
    from venues.feeds import _venues_in_scope

    user = await session.get(User, feed.owner_id)
    if user is None or not user.active or user.provider_id != feed.provider_id:
        return False
    if user.role != "venue_manager":
        return True
    from sqlalchemy import select

    mine = set(
        (await session.execute(select(UserVenue.venue_id).where(UserVenue.user_id == user.id))).scalars()
    )
    venues = await _venues_in_scope(session, feed.scope, feed.target)
    return bool(venues) and all(v.id in mine for v in venues)
