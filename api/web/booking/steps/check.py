"""Page 8: every answer to check, each with a "Change" button back to its page; "Send request"."""

from __future__ import annotations

from typing import Any, ClassVar
from uuid import UUID

from api.web.booking.draft import Draft
from api.web.booking.pricing import extras_offered, price_view
from api.web.booking.questions import answer_text
from api.web.booking.rooms import planned_dates, when_text
from api.web.booking.schedule import repeat_text
from api.web.booking.steps.base import BaseStep, StepContext
from api.web.booking.steps.questions import questions_view
from api.web.i18n import N_
from policies import Policy
from venues.models import Room, Venue
from vetting.phone import uk_mobile


class CheckStep(BaseStep):
    name: ClassVar[str] = "check"
    title: ClassVar[str] = N_("Check your answers before sending your request")
    fields: ClassVar[tuple[str, ...]] = ()
    next: ClassVar[str | None] = None  # completing it sends the request (see `sending`)

    async def take(self, ctx: StepContext, form: Any, draft: Draft) -> dict[str, str]:
        # Without "Upload document", a chosen file arrives as its name only: say so rather than
        # send the request without the evidence the hirer meant to give.
        chosen = form.get("file")
        if isinstance(chosen, str) and chosen.strip():
            return {
                "document-file": "Press \u201cUpload document\u201d to send the file you chose, or clear it"
            }
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
            "doc": documents_view(await ctx.policy(draft), draft),
            "extras_chosen": _extras_chosen(venue, draft),
        }


def documents_view(policy: Policy, draft: Draft) -> dict[str, Any]:
    """The form's documents section: the kinds the policy takes (and the check each answers),
    what this draft has sent, and the particulars typed with an upload that was refused."""
    return {
        "kinds": [k.model_dump() for k in policy.documents.kinds],
        "asked": [
            {"label": k.label, "check_label": (k.check or "").replace("_", " ")}
            for k in policy.documents.kinds
            if k.check
        ],
        "max_mb": policy.documents.max_size_mb,
        "staged": draft.get("documents") or [],
        "typed": draft.get("document_form") or {},
    }


def sms_to(draft: Draft) -> str | None:
    """The number texts will go to, written as it will be kept; None without consent."""
    if draft.get("sms_consent") != "yes":
        return None
    return uk_mobile(str(draft.get("contact_phone") or ""))


def _extras_chosen(venue: Venue, draft: Draft) -> list[str] | None:
    """The labels of the extras chosen; None when the venue offers none (no row is shown)."""
    offered = extras_offered(venue)
    if not offered:
        return None
    chosen = set(draft.get("extras") or [])
    return [e["label"] for e in offered if e["id"] in chosen]
