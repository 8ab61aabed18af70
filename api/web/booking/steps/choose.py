"""Page 2: the rooms that fit, free or taken and why; the hirer picks a free one, and any extras
the venue's rate card offers (kitchen, projector...), priced on the check page."""

from __future__ import annotations

from typing import Any, ClassVar

from api.web.booking.draft import Draft, text, ticked
from api.web.booking.pricing import extras_errors, extras_offered
from api.web.booking.rooms import room_options, unfit_rooms, when_text
from api.web.booking.schedule import repeat_text
from api.web.booking.steps.base import BaseStep, StepContext
from api.web.i18n import N_


class ChooseStep(BaseStep):
    name: ClassVar[str] = "choose"
    title: ClassVar[str] = N_("Choose a room")
    fields: ClassVar[tuple[str, ...]] = ("room_id", "extras")
    next: ClassVar[str | None] = "organisation"

    async def take(self, ctx: StepContext, form: Any, draft: Draft) -> dict[str, str]:
        draft["room_id"] = text(form, "room_id")
        venue = await ctx.venue(draft)
        offered = extras_offered(venue)
        chosen = set(ticked(form, "extras"))
        draft["extras"] = [e["id"] for e in offered if e["id"] in chosen]
        options, _ = await room_options(ctx.db, venue, draft)
        free = {o["id"]: o["name"] for o in options if o["free"]}
        if draft["room_id"] not in free:
            return {"room_id": N_("Select a room that is free")}
        return extras_errors(offered, draft["extras"], free[draft["room_id"]])

    async def view(self, ctx: StepContext, draft: Draft) -> dict[str, Any]:
        venue = await ctx.venue(draft)
        options, rule_problem = await room_options(ctx.db, venue, draft)
        unfit = await unfit_rooms(ctx.db, venue, draft)
        return {
            **unfit,
            # Nothing to choose: the page explains why and offers only "Back", never "Continue".
            "dead_end": not any(o["free"] for o in options),
            "too_big": unfit["largest"] < unfit["attendance"],
            "options": options,
            "rule_problem": rule_problem,
            "venue": venue,
            "when": when_text(venue, draft),
            "repeat_text": repeat_text(draft),
            "extras_options": [(e["id"], e["text"]) for e in extras_offered(venue)],
        }
