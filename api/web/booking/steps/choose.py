"""Page 2: the rooms that fit, free or taken and why; the hirer picks a free one."""

from __future__ import annotations

from typing import Any, ClassVar

from api.web.booking.draft import Draft, text
from api.web.booking.rooms import room_options, unfit_rooms, when_text
from api.web.booking.schedule import repeat_text
from api.web.booking.steps.base import BaseStep, StepContext
from api.web.i18n import N_


class ChooseStep(BaseStep):
    name: ClassVar[str] = "choose"
    title: ClassVar[str] = N_("Choose a room")
    fields: ClassVar[tuple[str, ...]] = ("room_id",)
    next: ClassVar[str | None] = "organisation"

    async def take(self, ctx: StepContext, form: Any, draft: Draft) -> dict[str, str]:
        draft["room_id"] = text(form, "room_id")
        options, _ = await room_options(ctx.db, await ctx.venue(draft), draft)
        if draft["room_id"] not in {o["id"] for o in options if o["free"]}:
            return {"room_id": N_("Select a room that is free")}
        return {}

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
        }
