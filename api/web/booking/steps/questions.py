"""Page 6: the questions the venue's policy asks; passed over when it asks none that apply."""

from __future__ import annotations

from typing import Any, ClassVar

from api.web.booking.date_fields import read_date
from api.web.booking.draft import Draft, text
from api.web.booking.question_words import missing_message
from api.web.booking.questions import condition_text, question_errors, visible_questions
from api.web.booking.steps.base import BaseStep, StepContext
from api.web.i18n import N_
from policies import Question


def _follows(question: Question, shown: dict[str, Question]) -> tuple[str, str] | None:
    """(parent id, radio value) when `question` is asked only after one answer to a yes/no
    question shown on the page: it is revealed under that radio (the Design System's
    conditional reveal) rather than asked with a sentence explaining when it applies."""
    condition = question.condition()
    if condition is None or len(condition.any_of) != 1 or len(condition.any_of[0]) != 1:
        return None
    only = condition.any_of[0][0]
    parent = shown.get(only.ref.removeprefix("answers.")) if only.ref.startswith("answers.") else None
    if parent is None or parent.type != "yes_no" or only.op != "==" or not isinstance(only.value, bool):
        return None
    return parent.id, "yes" if only.value else "no"


async def questions_view(ctx: StepContext, draft: Draft, *, final: bool) -> dict[str, Any]:
    """The policy and its questions to show, each with when it applies (shared with later pages);
    a question that follows one answer of another carries it in `reveal` instead."""
    policy = await ctx.policy(draft)
    visible = visible_questions(draft, policy, final=final)
    shown = {q.id: q for q in visible}
    items: dict[str, dict[str, Any]] = {
        q.id: {"q": q, "condition": condition_text(q, policy), "reveal": {}} for q in visible
    }
    top: list[dict[str, Any]] = []
    for q in visible:
        follows = None if final else _follows(q, shown)
        if follows is None:
            top.append(items[q.id])
        else:
            items[q.id]["condition"] = None
            items[follows[0]]["reveal"].setdefault(follows[1], []).append(items[q.id])
    return {"policy": policy, "questions": top}


class QuestionsStep(BaseStep):
    name: ClassVar[str] = "questions"
    title: ClassVar[str] = N_("A few more questions")
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
