"""Routes of the booking form: the start page, a fresh form, and the one POST every page sends.

Each POST carries the page it came from (`step`), the signed draft and the button pressed
(`nav`): "continue", "back", "add_person" or "goto:<step>" (a "Change" button on the check page).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import PUBLIC, roles
from api.web.booking.choices import ORGANISATION_TYPES, PERSON_ROLES, REPEATS, YES_NO
from api.web.booking.date_fields import parts_of
from api.web.booking.draft import (
    DATE_EXAMPLE,
    Draft,
    new_draft,
    open_draft,
    parse_date,
    parse_time,
    seal_draft,
    text,
)
from api.web.booking.sending import send
from api.web.booking.steps import NAMES, ORDER, STEPS, StepContext
from api.web.booking.steps.people import PeopleStep
from api.web.branding import grouped_venues, with_logos
from api.web.common import WEB_EXCEPTION_HANDLERS, AnyRequest, csrf_guard, page
from api.web.i18n import N_
from casework.staged_documents import unstage
from casework.workflow import Workflow
from venues.models import Room, Venue
from venues.venue_service import ACCESSIBILITY_FEATURES

FIRST, LAST = ORDER[0].name, ORDER[-1].name


class FormPages:
    """Renders and moves between the steps for one request."""

    def __init__(self, request: AnyRequest, db_session: AsyncSession) -> None:
        self.ctx = StepContext(request, db_session)

    async def render(
        self,
        step: str,
        draft: Draft,
        errors: dict[str, str],
        *,
        status_code: int = 200,
        message: str | None = None,
    ) -> Template:
        current = STEPS[step]
        context: dict[str, Any] = {
            "step": step,
            "step_template": current.template,
            "title": current.title,
            "s": draft,
            "errors": errors,
            "message": message,
            "step_number": NAMES.index(step) + 1,
            "step_count": len(NAMES),
            "organisation_types": ORGANISATION_TYPES,
            "person_roles": PERSON_ROLES,
            "repeats": REPEATS,
            "yes_no": YES_NO,
            "features": ACCESSIBILITY_FEATURES,
            "date_example": DATE_EXAMPLE,  # the date inputs' hint
            **await current.view(self.ctx, draft),
        }
        context["state_blob"] = seal_draft(self.ctx.request, draft)
        return page(self.ctx.request, "book_step.html", context, status_code=status_code)

    async def following(self, step: str, draft: Draft) -> str:
        """The page after a completed one: back to the check page after a "Change", else the
        next page that has something to ask."""
        current = STEPS[step]
        if not current.resumes_check:
            draft.pop("return_to_check", None)
        elif draft.get("return_to_check"):
            return LAST
        following = current.next or LAST
        # Only the step right after may be passed over, and only moving forward.
        if following != LAST and await STEPS[following].skip(self.ctx, draft):
            following = STEPS[following].next or LAST
        return following


async def prefilled(db: AsyncSession, draft: Draft, params: Any) -> Draft:
    """A fresh draft started from the directory: `room`, `date`, `start` and `end` from its links.

    Only what reads as a room, a date or a time is taken; anything else is left for the hirer
    to give on the first page, which checks it as if it were typed."""
    try:
        room = await db.get(Room, UUID(str(params.get("room") or "")))
    except ValueError:
        room = None
    if room is None or not room.active:
        return draft
    draft["venue_id"] = str(room.venue_id)
    draft["room_id"] = str(room.id)
    day = parse_date(str(params.get("date") or ""))
    if day is not None:
        draft["date"], draft["date_parts"] = day.isoformat(), parts_of(day)
    start, end = parse_time(str(params.get("start") or "")), parse_time(str(params.get("end") or ""))
    if start is not None:
        draft["start_time"] = f"{start:%H:%M}"
        if end is not None and start < end:
            draft["end_time"] = f"{end:%H:%M}"
    return draft


async def start_page(
    request: AnyRequest, db_session: AsyncSession, extra: dict[str, Any] | None = None, status_code: int = 200
) -> Template:
    """The start page (also shown again, with its errors, by the lost-link form)."""
    venues = (await db_session.execute(select(Venue).order_by(Venue.name))).scalars().all()
    groups = await grouped_venues(db_session, venues)
    context = {"groups": groups, "values": {}, **(extra or {})}
    return with_logos(page(request, "start.html", context, status_code=status_code), groups)


class BookingController(Controller):
    path = "/"
    guards = [csrf_guard]
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

    @get("/", opt=roles(PUBLIC), name="start")
    async def start_page(self, request: AnyRequest, db_session: AsyncSession) -> Template:
        return await start_page(request, db_session)

    @get("/book", opt=roles(PUBLIC), name="book")
    async def book(self, request: AnyRequest, db_session: AsyncSession) -> Template:
        draft = await prefilled(db_session, new_draft(), request.query_params)
        return await FormPages(request, db_session).render(FIRST, draft, {})

    @post("/book", opt=roles(PUBLIC))
    async def step(
        self, request: AnyRequest, db_session: AsyncSession, workflow: Workflow
    ) -> Template | Redirect:
        form = await request.form()
        draft = open_draft(request, text(form, "state"))
        if draft is None:
            return page(
                request,
                "error.html",
                {"title": N_("Your answers could not be read"), "message": N_("Start your request again.")},
                status_code=400,
            )
        pages = FormPages(request, db_session)
        step = text(form, "step")
        if step not in STEPS:
            step = FIRST
        nav = text(form, "nav") or "continue"
        if nav.startswith("goto:") and nav[5:] in STEPS:
            draft["return_to_check"] = True
            return await pages.render(nav[5:], draft, {})
        if nav == "stay":
            # The language switch: this page again, in the language the address now asks for.
            return await pages.render(step, draft, {})
        if nav.startswith("remove_document:"):
            removed = nav.partition(":")[2]
            await unstage(workflow, draft["token"], removed)
            await db_session.commit()
            draft["documents"] = [d for d in draft.get("documents") or [] if d.get("id") != removed]
            return await pages.render(LAST, draft, {})
        if nav == "back":
            # The "Back" link at the top posts only the answers already sent: this page's were
            # kept when it was last sent, and the previous page shows them all.
            return await pages.render(NAMES[max(0, NAMES.index(step) - 1)], draft, {})
        errors = await STEPS[step].take(pages.ctx, form, draft)
        if nav == "add_person":
            PeopleStep.add_row(draft)
            return await pages.render(step, draft, {})
        if errors:
            return await pages.render(step, draft, errors, status_code=400)
        if step == LAST:
            return await send(pages.ctx, workflow, draft, pages.render)
        return await pages.render(await pages.following(step, draft), draft, {})
