"""The officer console: the queue, the case page and decisions, the flagged list, venues, users."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Awaitable
from typing import Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.datastructures import UploadFile
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import ADMIN, OFFICERS, roles
from api.auth.api_tokens import list_api_tokens
from api.models import User, UserVenue
from api.users import create_user, disable_user
from api.web.common import (
    STAFF_STATUS_LABELS,
    WEB_EXCEPTION_HANDLERS,
    AnyRequest,
    csrf_guard,
    page,
    redirect,
    sign_blob,
    unsign_blob,
)
from api.web.sessions import session_store
from casework.organisation_review import resolve_organisation_link
from casework.queue import officer_queue
from casework.rescreen import import_and_rescreen
from casework.workflow import DecisionInput, Workflow
from policies import HAND_ADDED_SOURCE, Policy
from venues.admin import ACCESSIBILITY_FEATURES, RoomInput, VenueAdmin, VenueInput, parts_map
from venues.models import Closure, Room, Venue
from vetting.actors import ROLES, Actor
from vetting.case_screening import dispose
from vetting.errors import Conflict, Forbidden, Invalid
from vetting.flagged import add_entry, deactivate_entry, import_entries
from vetting.flagged_query import count_entries, find_entries, parse_status
from vetting.importers import SUPPORTED_FORMATS, FlaggedListFormatError, parse_flagged_list
from vetting.lifecycle import NEEDS_ACTION_STATUSES, CaseStatus
from vetting.models import ScreeningMatch
from vetting.policy_store import policy_version

STATUSES = tuple(CaseStatus)
WEB_IMPORT_LIMIT = 8 * 1024 * 1024
IMPORT_PURPOSE = "flagged-import"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = dict(
    zip(DAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"), strict=True)
)


def _s(form: Any, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _when(value: str | None) -> str:
    if not value:
        return ""
    parsed = dt.datetime.fromisoformat(value)
    return f"{parsed:%a %-d %b %Y %H:%M}"


def _errors_from(exc: Invalid) -> dict[str, str]:
    return {key.replace(".", "-").replace("_", "-"): msg for key, msg in exc.errors.items()} or {
        "form": exc.message
    }


class OfficerController(Controller):
    path = "/officer"
    guards = [csrf_guard]
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

    # ------------------------------------------------------------------ queue

    @get("/", opt={**roles(*OFFICERS), "audit": ("case_list", "view", None)}, name="officer_queue")
    async def queue(self, request: AnyRequest, db_session: AsyncSession) -> Template:
        status = request.query_params.get("status") or "open"
        tier = request.query_params.get("tier") or ""
        venue_id = request.query_params.get("venue") or ""
        statuses: tuple[str, ...] | None = None
        if status == "open":
            statuses = NEEDS_ACTION_STATUSES
        elif status in STATUSES:
            statuses = (status,)
        venue_uuid = None
        if venue_id:
            try:
                venue_uuid = UUID(venue_id)
            except ValueError:
                venue_id = ""
        rows = await officer_queue(db_session, statuses=statuses, tier=tier, venue_id=venue_uuid, limit=300)
        cases = [
            {
                "id": str(row.case.id),
                "reference": row.case.reference,
                "status": row.case.status,
                "tier": row.case.tier or "",
                "organisation": row.case.organisation_name,
                "title": row.case.event.get("title"),
                "first_start": row.case.first_start,
                "when": f"{row.case.first_start:%a %-d %b %Y}",
                "target": f"{row.case.target_date:%-d %b %Y}" if row.case.target_date else "",
                "room": f"{row.room_name}, {row.venue_name}",
                "referrals": row.open_referrals,
                "possible_link": row.case.organisation_link == "possible",
            }
            for row in rows
        ]
        venues = list((await db_session.execute(select(Venue).order_by(Venue.name))).scalars())
        return page(
            request,
            "officer_queue.html",
            {
                "cases": cases,
                "venues": venues,
                "filters": {"status": status, "tier": tier, "venue": venue_id},
                "status_options": [("open", "Open (needs action)"), ("all", "All")]
                + [(st, STAFF_STATUS_LABELS[st]) for st in STATUSES],
                "tier_options": [
                    ("enhanced", "Enhanced"),
                    ("public_or_speakers", "Public or speakers"),
                    ("standard", "Standard"),
                ],
                "venue_options": [(str(v.id), v.name) for v in venues],
            },
        )

    # ------------------------------------------------------------------ case

    async def _case_page(
        self,
        request: AnyRequest,
        staff: Actor,
        workflow: Workflow,
        case_id: UUID,
        *,
        errors: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
        message: str | None = None,
        status_code: int = 200,
    ) -> Template:
        view = await workflow.case_view(staff, case_id)
        policy: Policy = await policy_version(
            workflow.session, view["policy"]["id"], view["policy"]["version"]
        )
        pending_refusal = next(
            (
                d
                for d in view["decisions"]
                if d["kind"] == "decision"
                and d["outcome"] == "refuse"
                and not d["effective"]
                and not d["countersigned_by"]
            ),
            None,
        )
        pending_appeal = next(
            (d for d in view["decisions"] if d["kind"] == "appeal" and d["outcome"] == "pending"), None
        )
        return page(
            request,
            "officer_case.html",
            {
                "c": view,
                "policy": policy,
                "when": _when,
                "errors": errors or {},
                "values": values or {"conditions": [], "rationale": {}},
                "message": message,
                "done": request.query_params.get("done"),
                "open_matches": [m for m in view["screening"] if m["disposition"] == "open"],
                "can_decide": view["status"] in ("under_review", "awaiting_information")
                and not pending_refusal,
                "pending_refusal": pending_refusal,
                "pending_appeal": pending_appeal,
            },
            status_code=status_code,
        )

    @get(
        "/cases/{case_id:uuid}",
        opt={**roles(*OFFICERS), "audit": ("case", "view", "case_id")},
        name="officer_case",
    )
    async def case(self, request: AnyRequest, case_id: UUID, staff: Actor, workflow: Workflow) -> Template:
        return await self._case_page(request, staff, workflow, case_id)

    @post("/cases/{case_id:uuid}/decision", opt={**roles(*OFFICERS), "audit": ("case", "decide", "case_id")})
    async def decide(
        self, request: AnyRequest, case_id: UUID, staff: Actor, workflow: Workflow, db_session: AsyncSession
    ) -> Template | Redirect:
        form = await request.form()
        codes = list(form.getall("conditions")) if "conditions" in form else []
        values: dict[str, Any] = {
            "outcome": _s(form, "outcome"),
            "reason": _s(form, "reason"),
            "reason_code": _s(form, "reason_code"),
            "options_considered": _s(form, "options_considered"),
            "conditions": codes,
            "rationale": {code: _s(form, f"rationale_{code}") for code in codes},
        }
        if values["outcome"] not in ("approve", "refuse", "request_information"):
            return await self._case_page(
                request,
                staff,
                workflow,
                case_id,
                errors={"outcome-approve": "Select a decision"},
                values=values,
                status_code=400,
            )
        try:
            await workflow.decide(
                staff,
                case_id,
                DecisionInput(
                    outcome=values["outcome"],
                    reason=values["reason"],
                    reason_code=values["reason_code"] or None,
                    conditions=[
                        {"code": code, "text": None, "rationale": values["rationale"].get(code) or None}
                        for code in (codes if values["outcome"] == "approve" else [])
                    ],
                    options_considered=values["options_considered"] or None,
                    expected_revision=int(_s(form, "revision")) if _s(form, "revision").isdigit() else None,
                ),
            )
            await db_session.commit()
        except Invalid as exc:
            await db_session.rollback()
            errors: dict[str, str] = {}
            for key, msg in exc.errors.items():
                if key.startswith("conditions."):
                    index = int(key.split(".")[1])
                    code = codes[index] if index < len(codes) else ""
                    errors[f"rationale-{code}" if key.endswith("rationale") else f"condition-{code}"] = msg
                elif key == "reason_code":
                    errors["reason_code"] = msg
                else:
                    errors[key.replace("_", "-")] = msg
            return await self._case_page(
                request,
                staff,
                workflow,
                case_id,
                errors=errors or {"reason": exc.message},
                values=values,
                status_code=400,
            )
        except Conflict as exc:
            await db_session.rollback()
            return await self._case_page(
                request, staff, workflow, case_id, message=exc.message, values=values, status_code=409
            )
        return redirect(f"/officer/cases/{case_id}?done=decision")

    @post(
        "/cases/{case_id:uuid}/countersign",
        opt={**roles(*OFFICERS), "audit": ("case", "countersign", "case_id")},
    )
    async def countersign(
        self, request: AnyRequest, case_id: UUID, staff: Actor, workflow: Workflow, db_session: AsyncSession
    ) -> Template | Redirect:
        form = await request.form()
        action = workflow.countersign(
            staff, case_id, agree=_s(form, "agree") == "yes", note=_s(form, "note") or None
        )
        return await self._case_action(
            request, staff, workflow, db_session, case_id, action, done="countersign"
        )

    @post(
        "/cases/{case_id:uuid}/appeal-decision",
        opt={**roles(*OFFICERS), "audit": ("case", "decide_appeal", "case_id")},
    )
    async def appeal_decision(
        self, request: AnyRequest, case_id: UUID, staff: Actor, workflow: Workflow, db_session: AsyncSession
    ) -> Template | Redirect:
        form = await request.form()
        action = workflow.decide_appeal(staff, case_id, _s(form, "appeal_outcome"), _s(form, "appeal_reason"))
        return await self._case_action(request, staff, workflow, db_session, case_id, action, done="appeal")

    @post(
        "/cases/{case_id:uuid}/organisation-link",
        opt={**roles(*OFFICERS), "audit": ("case", "resolve_organisation_link", "case_id")},
    )
    async def organisation_link(
        self, request: AnyRequest, case_id: UUID, staff: Actor, workflow: Workflow, db_session: AsyncSession
    ) -> Template | Redirect:
        form = await request.form()
        try:
            await resolve_organisation_link(
                workflow, staff, case_id, _s(form, "decision"), _s(form, "link_note")
            )
            await db_session.commit()
        except Invalid as exc:
            await db_session.rollback()
            return await self._case_page(
                request, staff, workflow, case_id, errors={"link-note": exc.message}, status_code=400
            )
        except Conflict as exc:
            await db_session.rollback()
            return await self._case_page(
                request, staff, workflow, case_id, message=exc.message, status_code=409
            )
        return redirect(f"/officer/cases/{case_id}?done=organisation-link#organisation-link")

    async def _case_action(
        self,
        request: AnyRequest,
        staff: Actor,
        workflow: Workflow,
        db_session: AsyncSession,
        case_id: UUID,
        action: Awaitable[Any],
        *,
        done: str,
    ) -> Template | Redirect:
        """Run one workflow step on a case; on refusal show the case again with the reason."""
        try:
            await action
            await db_session.commit()
        except (Conflict, Invalid, Forbidden) as exc:
            await db_session.rollback()
            status = 403 if isinstance(exc, Forbidden) else 409
            return await self._case_page(
                request, staff, workflow, case_id, message=exc.message, status_code=status
            )
        return redirect(f"/officer/cases/{case_id}?done={done}")

    @post(
        "/matches/{match_id:uuid}/disposition",
        opt={**roles(*OFFICERS), "audit": ("screening_match", "dispose", "match_id")},
    )
    async def disposition(
        self, request: AnyRequest, match_id: UUID, staff: Actor, workflow: Workflow, db_session: AsyncSession
    ) -> Template | Redirect:
        form = await request.form()
        match = await db_session.get(ScreeningMatch, match_id)
        if match is None:
            return redirect("/officer")
        case_id = match.case_id
        note = _s(form, "note")
        try:
            await dispose(db_session, staff, match_id, _s(form, "disposition"), note or None)
            await db_session.commit()
        except (Invalid, Conflict) as exc:
            await db_session.rollback()
            errors = {f"note-{match_id}": exc.message} if isinstance(exc, Invalid) else {}
            return await self._case_page(
                request,
                staff,
                workflow,
                case_id,
                errors=errors,
                message=None if errors else exc.message,
                status_code=400,
            )
        return redirect(f"/officer/cases/{case_id}?done=disposition#screening")

    # ------------------------------------------------------------------ flagged list

    async def _flagged_page(
        self,
        request: AnyRequest,
        db_session: AsyncSession,
        *,
        errors: dict[str, str] | None = None,
        values: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        q = (request.query_params.get("q") or "").strip()[:200]
        active = parse_status(request.query_params.get("active"))
        entries = list(await find_entries(db_session, q=q, active=active, limit=200))
        total = await count_entries(db_session, active="true")
        return page(
            request,
            "officer_flagged.html",
            {
                "entries": entries,
                "q": q,
                "active": active,
                "total": total,
                "errors": errors or {},
                "values": values or {},
                "done": request.query_params.get("done"),
            },
            status_code=status_code,
        )

    @get(
        "/flagged", opt={**roles(*OFFICERS), "audit": ("flagged_list", "view", None)}, name="officer_flagged"
    )
    async def flagged(self, request: AnyRequest, db_session: AsyncSession) -> Template:
        return await self._flagged_page(request, db_session)

    @post("/flagged", opt={**roles(*OFFICERS), "audit": ("flagged_list", "add_entry", None)})
    async def add_flagged(
        self, request: AnyRequest, staff: Actor, db_session: AsyncSession
    ) -> Template | Redirect:
        form = await request.form()
        values = {k: _s(form, k) for k in ("kind", "name", "aliases", "reason", "source_detail")}
        errors: dict[str, str] = {}
        if values["kind"] not in ("person", "organisation"):
            errors["kind-person"] = "Select whether this is a person or an organisation"
        if not values["name"]:
            errors["name"] = "Enter the name"
        if not values["reason"]:
            errors["reason"] = "Enter why the name is on the list and the source"
        if errors:
            return await self._flagged_page(
                request, db_session, errors=errors, values=values, status_code=400
            )
        await add_entry(
            db_session,
            staff,
            kind=values["kind"],
            name=values["name"],
            aliases=[a for a in values["aliases"].replace("\r", "").split("\n") if a.strip()],
            source=values["source_detail"][:200] or HAND_ADDED_SOURCE,
            reason=values["reason"],
        )
        await db_session.commit()
        return redirect("/officer/flagged?done=added")

    @post(
        "/flagged/{entry_id:uuid}/deactivate",
        opt={**roles(*OFFICERS), "audit": ("flagged_entry", "deactivate", "entry_id")},
    )
    async def deactivate(
        self, request: AnyRequest, entry_id: UUID, staff: Actor, db_session: AsyncSession
    ) -> Template | Redirect:
        form = await request.form()
        reason = _s(form, "reason")
        if not reason:
            return await self._flagged_page(
                request,
                db_session,
                errors={f"reason-{entry_id}": "Enter why the entry is removed"},
                status_code=400,
            )
        await deactivate_entry(db_session, staff, entry_id, reason)
        await db_session.commit()
        return redirect("/officer/flagged?done=deactivated")

    @get("/flagged/import", opt=roles(*OFFICERS), name="officer_import")
    async def import_form(self, request: AnyRequest) -> Template:
        return page(request, "officer_import.html", {"formats": SUPPORTED_FORMATS, "values": {}})

    @post("/flagged/import", opt=roles(*OFFICERS))
    async def import_preview(self, request: AnyRequest, staff: Actor, db_session: AsyncSession) -> Template:
        form = await request.form()
        fmt = _s(form, "format")
        upload = form.get("file")
        errors: dict[str, str] = {}
        data = b""
        if fmt not in SUPPORTED_FORMATS:
            errors["format"] = "Select the format of the file"
        if not isinstance(upload, UploadFile):
            errors["file"] = "Select a file"
        else:
            data = await upload.read()
            if not data:
                errors["file"] = "The selected file is empty"
            elif len(data) > WEB_IMPORT_LIMIT:
                errors["file"] = "The file is larger than 8 MB: import it with the command line"
        entries = []
        if not errors:
            try:
                entries = parse_flagged_list(
                    data, fmt, filename=upload.filename if isinstance(upload, UploadFile) else None
                )
            except FlaggedListFormatError as exc:
                errors["file"] = str(exc)
        if errors:
            return page(
                request,
                "officer_import.html",
                {"formats": SUPPORTED_FORMATS, "errors": errors, "values": {"format": fmt}},
                status_code=400,
            )
        try:
            counts = await import_entries(db_session, staff, entries, dry_run=True)
        except Invalid as exc:
            return page(
                request,
                "officer_import.html",
                {
                    "formats": SUPPORTED_FORMATS,
                    "errors": {"file": exc.errors.get("file", str(exc))},
                    "values": {"format": fmt},
                },
                status_code=400,
            )
        blob = sign_blob(
            request,
            IMPORT_PURPOSE,
            {
                "format": fmt,
                "data": base64.b64encode(data).decode(),
                "sha256": hashlib.sha256(data).hexdigest(),
            },
        )
        return page(
            request,
            "officer_import_preview.html",
            {"counts": counts, "format": fmt, "blob": blob, "sample": entries[:15], "total": len(entries)},
        )

    @post("/flagged/import/confirm", opt={**roles(*OFFICERS), "audit": ("flagged_list", "import", None)})
    async def import_confirm(self, request: AnyRequest, staff: Actor, db_session: AsyncSession) -> Template:
        form = await request.form()
        payload = unsign_blob(request, IMPORT_PURPOSE, _s(form, "blob"))
        if not isinstance(payload, dict):
            return page(
                request,
                "error.html",
                {"title": "The import could not be read", "message": "Upload the file again."},
                status_code=400,
            )
        data = base64.b64decode(payload["data"])
        entries = parse_flagged_list(data, payload["format"])
        done = await import_and_rescreen(db_session, staff, entries)
        assert done.rescreen is not None  # not a dry run
        await db_session.commit()
        return page(
            request, "officer_import_done.html", {"counts": done.counts, "rescreen": done.rescreen.as_dict()}
        )

    # ------------------------------------------------------------------ venues (admin)

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
        from policies import bundled_policy_ids

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
            k: _s(form, k)
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
                request, db_session, errors=_errors_from(exc), values=values, status_code=400
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
            k: _s(form, k) for k in ("room_name", "capacity", "buffer_before", "buffer_after")
        }
        values["access"] = list(form.getall("access")) if "access" in form else []
        values["hours"] = {d: _s(form, f"hours_{d}") for d in DAYS}
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
        values = {k: _s(form, k) for k in ("closure_start", "closure_end", "closure_reason", "closure_room")}
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

    # ------------------------------------------------------------------ users (admin)

    async def _users_page(
        self,
        request: AnyRequest,
        db_session: AsyncSession,
        *,
        errors: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
        status_code: int = 200,
    ) -> Template:
        users = list(
            (await db_session.execute(select(User).order_by(User.active.desc(), User.email))).scalars()
        )
        venues = list((await db_session.execute(select(Venue).order_by(Venue.name))).scalars())
        links = (await db_session.execute(select(UserVenue.user_id, UserVenue.venue_id))).all()
        venue_names = {v.id: v.name for v in venues}
        by_user: dict[UUID, list[str]] = {}
        for user_id, vid in links:
            by_user.setdefault(user_id, []).append(venue_names.get(vid, ""))
        return page(
            request,
            "officer_users.html",
            {
                "users": users,
                "venues": venues,
                "by_user": by_user,
                "tokens": await list_api_tokens(db_session),
                "now": dt.datetime.now(dt.UTC),
                "roles": ROLES,
                "errors": errors or {},
                "values": values or {},
                "done": request.query_params.get("done"),
            },
            status_code=status_code,
        )

    @get("/users", opt=roles(*ADMIN), name="officer_users")
    async def users(self, request: AnyRequest, db_session: AsyncSession) -> Template:
        return await self._users_page(request, db_session)

    @post("/users", opt=roles(*ADMIN))
    async def create_user(self, request: AnyRequest, db_session: AsyncSession) -> Template | Redirect:
        form = await request.form()
        values: dict[str, Any] = {k: _s(form, k) for k in ("email", "name", "role")}
        values["venues"] = list(form.getall("venues")) if "venues" in form else []
        password = str(form.get("password") or "")
        try:
            await create_user(
                db_session,
                email=values["email"],
                name=values["name"],
                role=values["role"],
                password=password,
                venue_ids=[UUID(v) for v in values["venues"]],
            )
            await db_session.commit()
        except (Invalid, Conflict) as exc:
            await db_session.rollback()
            if isinstance(exc, Invalid):
                errors = {("venues" if k == "venue" else k): v for k, v in exc.errors.items()}
            else:
                errors = {"email": exc.message}
            return await self._users_page(request, db_session, errors=errors, values=values, status_code=400)
        return redirect("/officer/users?done=created")

    @post("/users/{user_id:uuid}/disable", opt=roles(*ADMIN))
    async def disable(
        self, request: AnyRequest, user_id: UUID, staff: Actor, db_session: AsyncSession
    ) -> Template | Redirect:
        user = await db_session.get(User, user_id)
        if user is None:
            return redirect("/officer/users")
        if user.id == staff.id:
            return await self._users_page(
                request, db_session, errors={"form": "You cannot disable your own account"}, status_code=400
            )
        await disable_user(db_session, user, sessions=session_store(request, db_session))
        await db_session.commit()
        return redirect("/officer/users?done=disabled")
