"""Page 6: the questions the venue's policy asks; passed over when it asks none that apply."""

from __future__ import annotations

from typing import Any, ClassVar

from api.web.booking.draft import Draft, text
from api.web.booking.questions import condition_text, question_errors, visible_questions
from api.web.booking.steps.base import BaseStep, StepContext


async def questions_view(ctx: StepContext, draft: Draft, *, final: bool) -> dict[str, Any]:
    """The policy and its questions to show, each with when it applies (shared with later pages)."""
    policy = await ctx.policy(draft)
    return {
        "policy": policy,
        "questions": [
            {"q": q, "condition": condition_text(q, policy)}
            for q in visible_questions(draft, policy, final=final)
        ],
    }


class QuestionsStep(BaseStep):
    name: ClassVar[str] = "questions"
    title: ClassVar[str] = "A few more questions"
    fields: ClassVar[tuple[str, ...]] = ()  # q_{id} for each question the policy asks
    next: ClassVar[str | None] = "declarations"

    async def take(self, ctx: StepContext, form: Any, draft: Draft) -> dict[str, str]:
        policy = await ctx.policy(draft)
        answers = dict(draft.get("answers") or {})
        for q in visible_questions(draft, policy, final=False):
            answers[q.id] = text(form, f"q_{q.id}")
        draft["answers"] = answers
        return question_errors(draft, policy)

    async def view(self, ctx: StepContext, draft: Draft) -> dict[str, Any]:
        return await questions_view(ctx, draft, final=False)

    async def skip(self, ctx: StepContext, draft: Draft) -> bool:
        return not visible_questions(draft, await ctx.policy(draft), final=False)
