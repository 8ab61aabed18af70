"""Administrators' venue pages: venues, rooms and their parts, closures."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import ADMIN, roles
from api.schemas import ClosureIn, PartsIn, RoomIn, VenueIn
from api.web.common import (
    WEB_EXCEPTION_HANDLERS,
    AnyRequest,
    csrf_guard,
    page,
    redirect,
)
from api.web.officer.page_helpers import errors_from, form_text, validate_form
from api.web.officer.venue_history import closure_detail, record_venue_change, venue_changes
from policies import bundled_policy_ids
from venues.models import Closure, Room, Venue
from venues.venue_service import (
    ACCESSIBILITY_FEATURES,
    FACILITIES,
    LAYOUTS,
    RoomInput,
    VenueAdmin,
    VenueInput,
    parts_map,
)
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
                "access_instructions",
            )
        }
        data, problems = validate_form(
            VenueIn,
            {
                "name": values["name"],
                "owner": {"kind": values["owner_kind"], "name": values["owner_name"]},
                "address": values["address"],
                "policy_id": values["policy_id"] or "council-default",
                "contact_email": values["contact_email"] or None,
                "contact_phone": values["contact_phone"] or None,
                "access_instructions": values["access_instructions"] or None,
            },
        )
        if data is None:
            errors = _venue_errors(problems)
            return await self._venues_page(request, db_session, errors=errors, values=values, status_code=400)
        try:
            venue = await VenueAdmin(db_session).create_venue(
                staff,
                VenueInput(
                    name=data.name,
                    owner_kind=data.owner.kind,
                    owner_name=data.owner.name,
                    address=data.address,
                    timezone=data.timezone,
                    contact_email=data.contact_email,
                    contact_phone=data.contact_phone,
                    access_instructions=data.access_instructions,
                    policy_id=data.policy_id,
                    bank_holidays_region=data.bank_holidays_region,
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
                "changes": await venue_changes(db_session, venue_id),
                "features": ACCESSIBILITY_FEATURES,
                "facilities": FACILITIES,
                "layouts": LAYOUTS,
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
        values["facility"] = list(form.getall("facility")) if "facility" in form else []
        values["layouts"] = {code: form_text(form, f"layout_{code}") for code in LAYOUTS}
        values["hours"] = {d: form_text(form, f"hours_{d}") for d in DAYS}
        errors: dict[str, str] = {}
        layouts: dict[str, int] = {}
        for code, seats in values["layouts"].items():
            if seats:
                if not seats.isdigit():
                    errors[f"layout-{code}"] = (
                        f"Enter how many the {LAYOUTS[code].split(' (')[0].lower()} layout holds"
                    )
                else:
                    layouts[code] = int(seats)
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
        data, problems = validate_form(
            RoomIn,
            {
                "name": values["room_name"],
                "capacity": values["capacity"],
                "accessibility": values["access"],
                "opening_hours": hours,
                "buffer_before_minutes": values["buffer_before"] or 0,
                "buffer_after_minutes": values["buffer_after"] or 0,
                "facilities": values["facility"],
                "layouts": layouts,
            },
        )
        errors.update(_room_errors(problems))
        if data is not None and not errors:
            try:
                admin = VenueAdmin(db_session)
                room = await admin.create_room(
                    staff,
                    venue_id,
                    RoomInput(
                        data.name,
                        data.capacity,
                        data.accessibility,
                        data.opening_hours,
                        data.buffer_before_minutes,
                        data.buffer_after_minutes,
                        layouts=data.layouts,
                        facilities=data.facilities,
                    ),
                )
                detail = {"room": room.name, "room_id": str(room.id)}
                await record_venue_change(
                    db_session, staff, await admin.get_venue(venue_id), "create_room", detail
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
        data, _ = validate_form(PartsIn, {"parts": list(form.getall("parts")) if "parts" in form else []})
        if data is None:
            errors = {f"parts-{room_id}": "Select rooms from the list"}
            return await self._venue_page(request, db_session, venue_id, errors=errors, status_code=400)
        try:
            before = sorted((await parts_map(db_session, venue_id)).get(str(room_id), []))
            await admin.set_parts(staff, room_id, data.parts)
            after = sorted(str(p) for p in data.parts)
            if before != after:
                detail = {"room": room.name, "room_id": str(room_id), "parts": after}
                await record_venue_change(
                    db_session, staff, await admin.get_venue(venue_id), "set_parts", detail
                )
            await db_session.commit()
        except Invalid as exc:
            await db_session.rollback()
            return await self._venue_page(
                request, db_session, venue_id, errors={f"parts-{room_id}": exc.message}, status_code=400
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
        data, problems = validate_form(
            ClosureIn,
            {
                "start_date": values["closure_start"],
                "end_date": values["closure_end"] or values["closure_start"],
                "reason": values["closure_reason"],
                "room_id": values["closure_room"] or None,
            },
        )
        errors = _closure_errors(problems)
        if data is not None:
            try:
                admin = VenueAdmin(db_session)
                closure = await admin.add_closure(
                    staff, venue_id, data.start_date, data.end_date, data.reason, data.room_id
                )
                detail = closure_detail(closure.start_date, closure.end_date, closure.reason)
                await record_venue_change(
                    db_session, staff, await admin.get_venue(venue_id), "add_closure", detail
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


def _required(msg: str) -> bool:
    """Whether a model's problem is an empty required text (the pages say what to enter)."""
    return msg.startswith("String should have at least")


def _venue_errors(problems: dict[str, str]) -> dict[str, str]:
    """The new-venue form's error keys and texts (the domain's words where it had its own)."""
    texts = {
        "name": "Enter the venue's name",
        "owner.name": "Enter who owns the venue",
        "address": "Enter the address",
    }
    errors: dict[str, str] = {}
    for key, msg in problems.items():
        if key == "owner.kind":
            msg = "must be 'council' or 'partner'"
        elif key in texts and _required(msg):
            msg = texts[key]
        errors[key.replace(".", "-").replace("_", "-")] = msg
    return errors


def _room_errors(problems: dict[str, str]) -> dict[str, str]:
    """The new-room form's error keys and texts (the domain's words where it had its own)."""
    errors: dict[str, str] = {}
    for key, msg in problems.items():
        field = key.split(".")[0]
        if field == "name":
            errors["room-name"] = "is required" if _required(msg) else msg
        elif field == "capacity":
            errors["capacity"] = (
                "must be at least 1" if "greater than" in msg else "Enter the capacity as a number"
            )
        elif field in ("buffer_before_minutes", "buffer_after_minutes"):
            errors[field.replace("_", "-")] = "must be between 0 and 240 minutes"
        else:
            errors.setdefault(field.replace("_", "-"), msg)
    return errors


def _closure_errors(problems: dict[str, str]) -> dict[str, str]:
    """The closure form's error keys and texts (the domain's words where it had its own)."""
    errors: dict[str, str] = {}
    for key, msg in problems.items():
        if key == "start_date":
            errors["closure-start"] = "Enter the first day of the closure"
        elif key == "end_date":
            errors["closure-end"] = "Enter the last day of the closure"
        elif key == "reason":
            errors["closure-reason"] = "is required" if _required(msg) else msg
        else:
            errors["closure-room"] = "Select a room from the list"
    return errors
