"""Administrators' venue pages: venues, rooms and their parts, closures."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import ADMIN, roles
from api.web.common import (
    WEB_EXCEPTION_HANDLERS,
    AnyRequest,
    csrf_guard,
    page,
    redirect,
)
from api.web.officer.page_helpers import errors_from, form_text
from policies import bundled_policy_ids
from venues.admin import ACCESSIBILITY_FEATURES, RoomInput, VenueAdmin, VenueInput, parts_map
from venues.models import Closure, Room, Venue
from vetting.actors import Actor
from vetting.errors import Invalid

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = dict(
    zip(DAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"), strict=True)
)


class OfficerVenuesController(Controller):
    path = "/officer"
    guards = [csrf_guard]
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

    @get("/venues", opt=roles(*ADMIN), name="officer_venues")
    async def venues(self, request: AnyRequest, db_session: AsyncSession) -> Template:
        return await self._venues_page(request, db_session)

    async def _venues_page(
        self,
        request: AnyRequest,
        db_session: AsyncSession,
        *,
        errors: dict[str, str] | None = None,
        values: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        venues = list((await db_session.execute(select(Venue).order_by(Venue.name))).scalars())
        return page(
            request,
            "officer_venues.html",
            {
                "venues": venues,
                "errors": errors or {},
                "values": values or {},
                "policies": bundled_policy_ids(),
                "done": request.query_params.get("done"),
            },
            status_code=status_code,
        )

    @post("/venues", opt=roles(*ADMIN))
    async def create_venue(
        self, request: AnyRequest, staff: Actor, db_session: AsyncSession
    ) -> Template | Redirect:
        form = await request.form()
        values = {
            k: form_text(form, k)
            for k in (
                "name",
                "owner_kind",
                "owner_name",
                "address",
                "policy_id",
                "contact_email",
                "contact_phone",
            )
        }
        errors: dict[str, str] = {}
        for key, text in (
            ("name", "Enter the venue's name"),
            ("owner_name", "Enter who owns the venue"),
            ("address", "Enter the address"),
        ):
            if not values[key]:
                errors[key.replace("_", "-")] = text
        if errors:
            return await self._venues_page(request, db_session, errors=errors, values=values, status_code=400)
        try:
            venue = await VenueAdmin(db_session).create_venue(
                staff,
                VenueInput(
                    name=values["name"],
                    owner_kind=values["owner_kind"],
                    owner_name=values["owner_name"],
                    address=values["address"],
                    policy_id=values["policy_id"] or "council-default",
                    contact_email=values["contact_email"] or None,
                    contact_phone=values["contact_phone"] or None,
                ),
            )
            venue_id = venue.id
            await db_session.commit()
        except Invalid as exc:
            await db_session.rollback()
            return await self._venues_page(
                request, db_session, errors=errors_from(exc), values=values, status_code=400
            )
        return redirect(f"/officer/venues/{venue_id}?done=created")

    async def _venue_page(
        self,
        request: AnyRequest,
        db_session: AsyncSession,
        venue_id: UUID,
        *,
        errors: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
        status_code: int = 200,
    ) -> Template:
        venue = await VenueAdmin(db_session).get_venue(venue_id)
        rooms = list(
            (
                await db_session.execute(select(Room).where(Room.venue_id == venue_id).order_by(Room.name))
            ).scalars()
        )
        parts = await parts_map(db_session, venue_id)
        closures = list(
            (
                await db_session.execute(
                    select(Closure).where(Closure.venue_id == venue_id).order_by(Closure.start_date)
                )
            ).scalars()
        )
        names = {str(r.id): r.name for r in rooms}
        return page(
            request,
            "officer_venue.html",
            {
                "venue": venue,
                "rooms": rooms,
                "parts": parts,
                "names": names,
                "closures": closures,
                "features": ACCESSIBILITY_FEATURES,
                "days": DAY_NAMES,
                "errors": errors or {},
                "values": values or {},
                "done": request.query_params.get("done"),
            },
            status_code=status_code,
        )

    @get("/venues/{venue_id:uuid}", opt=roles(*ADMIN), name="officer_venue")
    async def venue(self, request: AnyRequest, venue_id: UUID, db_session: AsyncSession) -> Template:
        return await self._venue_page(request, db_session, venue_id)

    @post("/venues/{venue_id:uuid}/rooms", opt=roles(*ADMIN))
    async def create_room(
        self, request: AnyRequest, venue_id: UUID, staff: Actor, db_session: AsyncSession
    ) -> Template | Redirect:
        form = await request.form()
        values: dict[str, Any] = {
            k: form_text(form, k) for k in ("room_name", "capacity", "buffer_before", "buffer_after")
        }
        values["access"] = list(form.getall("access")) if "access" in form else []
        values["hours"] = {d: form_text(form, f"hours_{d}") for d in DAYS}
        errors: dict[str, str] = {}
        hours: dict[str, list[list[str]]] = {}
        for d, text in values["hours"].items():
            if not text:
                continue
            try:
                ranges = []
                for part in text.split(","):
                    a, b = part.strip().split("-")
                    ranges.append([a.strip(), b.strip()])
                hours[d] = ranges
            except ValueError:
                errors[f"hours-{d}"] = f"Enter {DAY_NAMES[d]}'s hours like 09:00-22:00"
        try:
            capacity = int(values["capacity"])
        except ValueError:
            errors["capacity"] = "Enter the capacity as a number"
            capacity = 0
        before = (
            int(values["buffer_before"] or 0)
            if values["buffer_before"].isdigit() or not values["buffer_before"]
            else -1
        )
        after = (
            int(values["buffer_after"] or 0)
            if values["buffer_after"].isdigit() or not values["buffer_after"]
            else -1
        )
        if not errors:
            try:
                await VenueAdmin(db_session).create_room(
                    staff,
                    venue_id,
                    RoomInput(values["room_name"], capacity, values["access"], hours, before, after),
                )
                await db_session.commit()
            except Invalid as exc:
                await db_session.rollback()
                errors = {
                    ("room-name" if k == "name" else k.replace("_", "-")): v for k, v in exc.errors.items()
                } or {"room-name": exc.message}
        if errors:
            return await self._venue_page(
                request, db_session, venue_id, errors=errors, values=values, status_code=400
            )
        return redirect(f"/officer/venues/{venue_id}?done=room")

    @post("/rooms/{room_id:uuid}/parts", opt=roles(*ADMIN))
    async def set_parts(
        self, request: AnyRequest, room_id: UUID, staff: Actor, db_session: AsyncSession
    ) -> Template | Redirect:
        form = await request.form()
        admin = VenueAdmin(db_session)
        room = await admin.get_room(room_id)
        venue_id = room.venue_id
        try:
            part_ids = [UUID(p) for p in form.getall("parts")] if "parts" in form else []
            await admin.set_parts(staff, room_id, part_ids)
            await db_session.commit()
        except (Invalid, ValueError) as exc:
            await db_session.rollback()
            message = exc.message if isinstance(exc, Invalid) else "Select rooms from the list"
            return await self._venue_page(
                request, db_session, venue_id, errors={f"parts-{room_id}": message}, status_code=400
            )
        return redirect(f"/officer/venues/{venue_id}?done=parts")

    @post("/venues/{venue_id:uuid}/closures", opt=roles(*ADMIN))
    async def add_closure(
        self, request: AnyRequest, venue_id: UUID, staff: Actor, db_session: AsyncSession
    ) -> Template | Redirect:
        form = await request.form()
        values = {
            k: form_text(form, k) for k in ("closure_start", "closure_end", "closure_reason", "closure_room")
        }
        errors: dict[str, str] = {}
        try:
            start = dt.date.fromisoformat(values["closure_start"])
        except ValueError:
            errors["closure-start"] = "Enter the first day of the closure"
        try:
            end = dt.date.fromisoformat(values["closure_end"] or values["closure_start"])
        except ValueError:
            errors["closure-end"] = "Enter the last day of the closure"
        if not errors:
            try:
                await VenueAdmin(db_session).add_closure(
                    staff,
                    venue_id,
                    start,
                    end,
                    values["closure_reason"],
                    UUID(values["closure_room"]) if values["closure_room"] else None,
                )
                await db_session.commit()
            except Invalid as exc:
                await db_session.rollback()
                errors = {
                    {"end_date": "closure-end", "reason": "closure-reason"}.get(k, "closure-start"): v
                    for k, v in exc.errors.items()
                }
        if errors:
            return await self._venue_page(
                request, db_session, venue_id, errors=errors, values=values, status_code=400
            )
        return redirect(f"/officer/venues/{venue_id}?done=closure")
