"""Page 8: every answer to check, each with a "Change" button back to its page; "Send request"."""

from __future__ import annotations

from typing import Any, ClassVar
from uuid import UUID

from api.web.booking.draft import Draft
from api.web.booking.pricing import price_view
from api.web.booking.questions import answer_text
from api.web.booking.rooms import planned_dates, when_text
from api.web.booking.schedule import repeat_text
from api.web.booking.steps.base import BaseStep, StepContext
from api.web.booking.steps.questions import questions_view
from api.web.i18n import N_
from venues.models import Room
from vetting.phone import uk_mobile


class CheckStep(BaseStep):
    name: ClassVar[str] = "check"
    title: ClassVar[str] = N_("Check your answers before sending your request")
    fields: ClassVar[tuple[str, ...]] = ()
    next: ClassVar[str | None] = None  # completing it sends the request (see `sending`)

    async def take(self, ctx: StepContext, form: Any, draft: Draft) -> dict[str, str]:
        return {}

    async def view(self, ctx: StepContext, draft: Draft) -> dict[str, Any]:
        venue = await ctx.venue(draft)
        return {
            "venue": venue,
            "when": when_text(venue, draft),
            "repeat_text": repeat_text(draft),
            **await questions_view(ctx, draft, final=True),
            "room": await ctx.db.get(Room, UUID(draft["room_id"])),
            "answer_text": answer_text,
            "dates": await planned_dates(ctx.db, venue, draft),
            "sms_to": sms_to(draft),
            "price": await price_view(ctx.db, venue, draft),
        }


def sms_to(draft: Draft) -> str | None:
    """The number texts will go to, written as it will be kept; None without consent."""
    if draft.get("sms_consent") != "yes":
        return None
    return uk_mobile(str(draft.get("contact_phone") or ""))
