"""Page 6: the questions the venue's policy asks; passed over when it asks none that apply."""

from __future__ import annotations

from typing import Any, ClassVar

from api.web.booking.date_fields import read_date
from api.web.booking.draft import Draft, text
from api.web.booking.question_words import missing_message
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
        typed: dict[str, dict[str, str]] = {}
        wrong: dict[str, list[str]] = {}
        date_errors: dict[str, str] = {}
        for q in visible_questions(draft, policy, final=False):
            if q.type != "date":
                answers[q.id] = text(form, f"q_{q.id}")
                continue
            # Three fields (day, month, year): the answer is the ISO date once it is a real one.
            date = read_date(form, f"q_{q.id}", "Date", missing_message(q))
            answers[q.id] = date.day.isoformat() if date.day else ""
            typed[q.id], wrong[q.id] = date.parts, list(date.error_parts)
            if date.error and (q.required or any(date.parts.values())):
                date_errors[date.anchor(f"q_{q.id}")] = date.error
        draft["answers"], draft["answer_parts"], draft["answer_error_parts"] = answers, typed, wrong
        errors = question_errors(draft, policy)
        return {k: v for k, v in errors.items() if k.removeprefix("q_") not in typed} | date_errors

    async def view(self, ctx: StepContext, draft: Draft) -> dict[str, Any]:
        return await questions_view(ctx, draft, final=False)

    async def skip(self, ctx: StepContext, draft: Draft) -> bool:
        return not visible_questions(draft, await ctx.policy(draft), final=False)
