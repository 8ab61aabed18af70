"""Administrators edit a venue's details, a room (capacity, accessibility, opening hours, set-up
and clear-up) and remove closures from the console; each change is written to the audit log with
who, when and what changed (venues/venue_changes.py), and the venue page lists them.

Who may edit which venue follows the tenancy model: administrators only (the service checks the
role), and an organisation's administrators reach only their own venues (the scoped session
answers 404 for anyone else's).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import ADMIN, roles
from api.schemas import RoomIn, VenueIn
from api.web.common import WEB_EXCEPTION_HANDLERS, AnyRequest, csrf_guard, page, redirect
from api.web.officer.page_helpers import form_text, validate_form
from api.web.officer.venue_history import DAY_NAMES, DAYS, closure_detail, record_venue_change
from casework.charging import INVOICE_ON
from policies import bundled_policy_ids
from venues.models import Room, Venue
from venues.venue_changes import changes, room_fields, venue_fields
from venues.venue_service import ACCESSIBILITY_FEATURES, RoomInput, VenueAdmin, VenueInput, parts_map
from vetting.actors import Actor
from vetting.errors import Invalid

REGIONS = {"ENG": "England", "WLS": "Wales", "SCT": "Scotland", "NIR": "Northern Ireland"}


def hours_text(opening_hours: dict[str, Any]) -> dict[str, str]:
    """A room's stored hours as the form's text per day ("09:00-12:00, 13:00-22:00")."""
    return {d: ", ".join(f"{a}-{b}" for a, b in opening_hours.get(d, [])) for d in DAYS}


def parse_hours(texts: dict[str, str]) -> tuple[dict[str, list[list[str]]], dict[str, str]]:
    """The form's text per day as opening hours, and an error per day that is not like 09:00-22:00."""
    hours: dict[str, list[list[str]]] = {}
    errors: dict[str, str] = {}
    for d, text in texts.items():
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
    return hours, errors


class OfficerVenueEditController(Controller):
    path = "/officer"
    guards = [csrf_guard]
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

    async def _venue_form(
        self,
        request: AnyRequest,
        venue: Venue,
        *,
        values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        current = {k: (v or "") for k, v in venue_fields(venue).items()}
        return page(
            request,
            "officer_venue_edit.html",
            {
                "venue": venue,
                "values": values or current,
                "errors": errors or {},
                "policies": bundled_policy_ids(),
                "regions": REGIONS,
                "invoice_on": INVOICE_ON,
            },
            status_code=status_code,
        )

    @get("/venues/{venue_id:uuid}/edit", opt=roles(*ADMIN), name="officer_venue_edit")
    async def edit_venue(self, request: AnyRequest, venue_id: UUID, db_session: AsyncSession) -> Template:
        return await self._venue_form(request, await VenueAdmin(db_session).get_venue(venue_id))

    @post("/venues/{venue_id:uuid}/edit", opt=roles(*ADMIN))
    async def save_venue(
        self, request: AnyRequest, venue_id: UUID, staff: Actor, db_session: AsyncSession
    ) -> Template | Redirect:
        admin = VenueAdmin(db_session)
        venue = await admin.get_venue(venue_id)
        form = await request.form()
        values = {
            k: form_text(form, k)
            for k in (
                "name",
                "address",
                "policy_id",
                "bank_holidays_region",
                "contact_email",
                "contact_phone",
                "access_instructions",
                "invoice_on",
            )
        }
        data, problems = validate_form(
            VenueIn,
            {
                "name": values["name"],
                "owner": {"kind": venue.owner_kind, "name": venue.owner_name},
                "address": values["address"],
                "timezone": venue.timezone,
                "policy_id": values["policy_id"],
                "bank_holidays_region": values["bank_holidays_region"] or None,
                "contact_email": values["contact_email"] or None,
                "contact_phone": values["contact_phone"] or None,
                "access_instructions": values["access_instructions"] or None,
            },
        )
        errors = _venue_errors(problems)
        if data is not None:
            before = venue_fields(venue)
            try:
                await admin.edit_details(
                    staff,
                    venue_id,
                    VenueInput(
                        name=data.name,
                        owner_kind=venue.owner_kind,
                        owner_name=venue.owner_name,
                        address=data.address,
                        timezone=venue.timezone,
                        contact_email=data.contact_email,
                        contact_phone=data.contact_phone,
                        access_instructions=data.access_instructions,
                        policy_id=data.policy_id,
                        bank_holidays_region=data.bank_holidays_region,
                        invoice_on=values["invoice_on"] or None,
                    ),
                )
                changed = changes(before, venue_fields(venue))
                if changed:
                    await record_venue_change(db_session, staff, venue, "update_venue", {"changes": changed})
                await db_session.commit()
            except Invalid as exc:
                await db_session.rollback()
                errors = _venue_errors(exc.errors) or {"name": exc.message}
        if errors:
            venue = await admin.get_venue(venue_id)
            return await self._venue_form(request, venue, values=values, errors=errors, status_code=400)
        return redirect(f"/officer/venues/{venue_id}?done=venue")

    async def _room_form(
        self,
        request: AnyRequest,
        room: Room,
        venue: Venue,
        *,
        values: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        current: dict[str, Any] = {
            "room_name": room.name,
            "capacity": str(room.capacity),
            "access": list(room.accessibility or []),
            "hours": hours_text(room.opening_hours or {}),
            "buffer_before": str(room.buffer_before_minutes),
            "buffer_after": str(room.buffer_after_minutes),
        }
        return page(
            request,
            "officer_room_edit.html",
            {
                "room": room,
                "venue": venue,
                "values": values or current,
                "errors": errors or {},
                "features": ACCESSIBILITY_FEATURES,
                "days": DAY_NAMES,
            },
            status_code=status_code,
        )

    @get("/rooms/{room_id:uuid}/edit", opt=roles(*ADMIN), name="officer_room_edit")
    async def edit_room(self, request: AnyRequest, room_id: UUID, db_session: AsyncSession) -> Template:
        admin = VenueAdmin(db_session)
        room = await admin.get_room(room_id)
        return await self._room_form(request, room, await admin.get_venue(room.venue_id))

    @post("/rooms/{room_id:uuid}/edit", opt=roles(*ADMIN))
    async def save_room(
        self, request: AnyRequest, room_id: UUID, staff: Actor, db_session: AsyncSession
    ) -> Template | Redirect:
        admin = VenueAdmin(db_session)
        room = await admin.get_room(room_id)
        venue = await admin.get_venue(room.venue_id)
        form = await request.form()
        values: dict[str, Any] = {
            k: form_text(form, k) for k in ("room_name", "capacity", "buffer_before", "buffer_after")
        }
        values["access"] = list(form.getall("access")) if "access" in form else []
        values["hours"] = {d: form_text(form, f"hours_{d}") for d in DAYS}
        hours, errors = parse_hours(values["hours"])
        data, problems = validate_form(
            RoomIn,
            {
                "name": values["room_name"],
                "capacity": values["capacity"],
                "accessibility": values["access"],
                "opening_hours": hours,
                "buffer_before_minutes": values["buffer_before"] or 0,
                "buffer_after_minutes": values["buffer_after"] or 0,
            },
        )
        errors.update(_room_errors(problems))
        venue_id = venue.id  # read now: the commit expires the loaded rows
        if data is not None and not errors:
            before = room_fields(room)
            parts = [UUID(p) for p in (await parts_map(db_session, room.venue_id)).get(str(room_id), [])]
            try:
                await admin.update_room(
                    staff,
                    room_id,
                    RoomInput(
                        data.name,
                        data.capacity,
                        data.accessibility,
                        data.opening_hours,
                        data.buffer_before_minutes,
                        data.buffer_after_minutes,
                        parts,
                    ),
                )
                changed = changes(before, room_fields(room))
                if changed:
                    detail = {"room": room.name, "room_id": str(room_id), "changes": changed}
                    await record_venue_change(db_session, staff, venue, "update_room", detail)
                await db_session.commit()
            except Invalid as exc:
                await db_session.rollback()
                errors = _room_errors({k: v for k, v in exc.errors.items() if k != "name"})
                if "name" in exc.errors:
                    errors["room-name"] = exc.errors["name"]
                errors = errors or {"room-name": exc.message}
        if errors:
            room = await admin.get_room(room_id)  # again: a rollback expired what was loaded
            venue = await admin.get_venue(room.venue_id)
            return await self._room_form(request, room, venue, values=values, errors=errors, status_code=400)
        return redirect(f"/officer/venues/{venue_id}?done=room-edited")

    @post("/closures/{closure_id:uuid}/remove", opt=roles(*ADMIN))
    async def remove_closure(
        self, request: AnyRequest, closure_id: UUID, staff: Actor, db_session: AsyncSession
    ) -> Redirect:
        admin = VenueAdmin(db_session)
        closure = await admin.get_closure(closure_id)
        venue = await admin.get_venue(closure.venue_id)
        venue_id = venue.id  # read now: the commit expires the loaded rows
        detail = closure_detail(closure.start_date, closure.end_date, closure.reason)
        await admin.remove_closure(staff, closure_id)
        await record_venue_change(db_session, staff, venue, "remove_closure", detail)
        await db_session.commit()
        return redirect(f"/officer/venues/{venue_id}?done=closure-removed")


def _required(msg: str) -> bool:
    return msg.startswith("String should have at least")


def _venue_errors(problems: dict[str, str]) -> dict[str, str]:
    texts = {"name": "Enter the venue's name", "address": "Enter the address"}
    errors: dict[str, str] = {}
    for key, msg in problems.items():
        field = key.split(".")[0]
        if field in texts and _required(msg):
            msg = texts[field]
        elif field == "policy_id":
            msg = "Choose a policy from the list"
        elif field == "bank_holidays_region":
            msg = "Choose which bank holidays the venue closes on"
        elif field == "invoice_on":
            msg = "Choose when the venue's invoices are issued"
        errors[field.replace("_", "-")] = msg
    return errors


def _room_errors(problems: dict[str, str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for key, msg in problems.items():
        field = key.split(".")[0]
        if field == "name":
            errors["room-name"] = "Enter the room's name" if _required(msg) else msg
        elif field == "capacity":
            errors["capacity"] = (
                "Enter a capacity of at least 1"
                if "greater than" in msg
                else "Enter the capacity as a number"
            )
        elif field in ("buffer_before_minutes", "buffer_after_minutes"):
            errors[field.replace("_", "-")] = "Enter a number of minutes from 0 to 240"
        elif field == "opening_hours":
            errors["opening-hours"] = f"Check the opening hours ({msg})"
        else:
            errors.setdefault(field.replace("_", "-"), msg)
    return errors
