"""Venue managers' calendar feeds (the room grid and day sheet are in `api.web.manager_grid`)."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, post
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import STAFF, roles
from api.routes.feeds import feed_branding
from api.web.common import WEB_EXCEPTION_HANDLERS, AnyRequest, csrf_guard, page, redirect, settings_of
from venues.feeds import create_feed, list_feeds, revoke_feed, rotate_feed
from venues.models import Feed, Room, Venue
from vetting.actors import Actor
from vetting.errors import Invalid, NotFound
from vetting.lifecycle import HOLDING_STATUSES

DETAILS = {
    "busy": "Busy times only: no names or details",
    "standard": "Standard: the organisation, the event title and the conditions",
    "full": "Full: also the contact's name and telephone number",
}
FEED_STATUSES = HOLDING_STATUSES


async def visible_venues(db_session: AsyncSession, actor: Actor) -> list[Venue]:
    query = select(Venue).order_by(Venue.name)
    if actor.role == "venue_manager":
        # A manager sees only the venues they look after.
        query = query.where(Venue.id.in_(list(actor.venue_ids) or [UUID(int=0)]))
    return list((await db_session.execute(query)).scalars())


def feed_urls(base_url: str, token: str) -> dict[str, str]:
    url = f"{base_url}/feeds/{token}.ics"
    return {"url": url, "webcal": "webcal://" + url.split("://", 1)[1]}


class ManagerController(Controller):
    path = "/manager"
    guards = [csrf_guard]
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

    async def _feeds_page(
        self,
        request: AnyRequest,
        staff: Actor,
        db_session: AsyncSession,
        *,
        created: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        venues = await visible_venues(db_session, staff)
        rooms = list(
            (
                await db_session.execute(
                    select(Room)
                    .where(Room.venue_id.in_([v.id for v in venues] or [UUID(int=0)]))
                    .order_by(Room.name)
                )
            ).scalars()
        )
        names = {str(v.id): v.name for v in venues} | {str(r.id): r.name for r in rooms}
        feeds = [
            {"feed": f, "name": names.get(f.target, f.target), "detail": DETAILS.get(f.detail, f.detail)}
            for f in await list_feeds(db_session, staff)
        ]
        return page(
            request,
            "manager_feeds.html",
            {
                "feeds": feeds,
                "venues": venues,
                "rooms": rooms,
                "details": DETAILS,
                "created": created,
                "errors": errors or {},
                "done": request.query_params.get("done"),
            },
            status_code=status_code,
        )

    @get("/feeds", opt=roles(*STAFF), name="manager_feeds")
    async def feeds(self, request: AnyRequest, staff: Actor, db_session: AsyncSession) -> Template:
        return await self._feeds_page(request, staff, db_session)

    @post("/feeds", opt=roles(*STAFF))
    async def create(self, request: AnyRequest, staff: Actor, db_session: AsyncSession) -> Template:
        form = await request.form()
        target = str(form.get("target") or "")
        detail = str(form.get("detail") or "")
        scope, _, ident = target.partition(":")
        errors: dict[str, str] = {}
        if scope not in ("venue", "room") or not ident:
            errors["target"] = "Select a venue or a room"
        if detail not in DETAILS:
            errors["detail-busy"] = "Select how much detail the feed shows"
        if not errors:
            try:
                feed, token = await create_feed(db_session, staff, scope, ident, detail)
                feed_id = str(feed.id)
                _name, base = await feed_branding(db_session, feed, settings_of(request))
                await db_session.commit()
            except (Invalid, NotFound) as exc:
                await db_session.rollback()
                errors["target"] = exc.message
        if errors:
            return await self._feeds_page(request, staff, db_session, errors=errors, status_code=400)
        urls = feed_urls(base, token)
        return await self._feeds_page(
            request, staff, db_session, created=urls | {"id": feed_id, "what": "created"}
        )

    @post("/feeds/{feed_id:uuid}/rotate", opt=roles(*STAFF))
    async def rotate(
        self, request: AnyRequest, feed_id: UUID, staff: Actor, db_session: AsyncSession
    ) -> Template:
        feed, token = await rotate_feed(db_session, staff, feed_id)
        _name, base = await feed_branding(db_session, feed, settings_of(request))
        await db_session.commit()
        urls = feed_urls(base, token)
        return await self._feeds_page(
            request, staff, db_session, created=urls | {"id": str(feed_id), "what": "rotated"}
        )

    @post("/feeds/{feed_id:uuid}/revoke", opt=roles(*STAFF))
    async def revoke(
        self, request: AnyRequest, feed_id: UUID, staff: Actor, db_session: AsyncSession
    ) -> Redirect:
        await revoke_feed(db_session, staff, feed_id)
        await db_session.commit()
        return redirect("/manager/feeds?done=revoked")


__all__ = ["Feed", "ManagerController"]
