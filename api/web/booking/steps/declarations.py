"""Page 7: the statements of the policy the hirer ticks to confirm."""

from __future__ import annotations

from typing import Any, ClassVar

from api.web.booking.draft import Draft, ticked
from api.web.booking.question_words import declaration_message
from api.web.booking.steps.base import BaseStep, StepContext
from api.web.booking.steps.questions import questions_view
from api.web.i18n import N_


class DeclarationsStep(BaseStep):
    name: ClassVar[str] = "declarations"
    title: ClassVar[str] = N_("Declarations")
    fields: ClassVar[tuple[str, ...]] = ("declarations",)
    next: ClassVar[str | None] = "check"

    async def take(self, ctx: StepContext, form: Any, draft: Draft) -> dict[str, str]:
        policy = await ctx.policy(draft)
        confirmed = set(ticked(form, "declarations"))
        draft["declarations"] = [d.id for d in policy.declarations if d.id in confirmed]
        return {
            f"decl-{d.id}": declaration_message(d)
            for d in policy.declarations
            if d.required and d.id not in confirmed
        }

    async def view(self, ctx: StepContext, draft: Draft) -> dict[str, Any]:
        return await questions_view(ctx, draft, final=False)
