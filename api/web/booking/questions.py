"""The policy's own questions on the booking form: which to show, when, and how answers read."""

from __future__ import annotations

from typing import Any

from api.web.booking.choices import YES_NO, YES_NO_VALUES
from api.web.booking.draft import Draft, parse_date, parse_int
from api.web.booking.question_words import missing_message, wrong_message
from api.web.i18n import gettext as _
from policies import Policy, Question
from vetting.checks.facts import request_facts


def question_facts(draft: Draft, policy: Policy) -> dict[str, Any]:
    """The facts `show_if` conditions read, from what the hirer has told us so far."""
    people = draft.get("people") or []
    return request_facts(
        policy,
        open_to_public=draft.get("open_to_public") == "yes",
        under_18s=draft.get("under_18s") == "yes",
        adults_at_risk=draft.get("adults_at_risk") == "yes",
        expected_attendance=parse_int(str(draft.get("expected_attendance", ""))) or 0,
        external_speakers=sum(1 for p in people if p.get("role") == "speaker"),
        organisation_type=draft.get("org_type"),
        answers=draft.get("answers") or {},
    )


def _refs_answers(question: Question) -> bool:
    condition = question.condition()
    return condition is not None and any(c.ref.startswith("answers.") for c in condition.comparisons())


def condition_text(question: Question, policy: Policy) -> str | None:
    """A sentence explaining when a question applies, for questions that depend on other answers."""
    condition = question.condition()
    if condition is None or not _refs_answers(question):
        return None
    labels = {q.id: q.label for q in policy.questions}
    parts = []
    for group in condition.any_of:
        bits = []
        for c in group:
            if c.ref.startswith("answers."):
                qid = c.ref.split(".", 1)[1]
                value = c.value
                shown = _("Yes") if value is True else _("No") if value is False else str(value)
                said = {"answer": shown, "question": labels.get(qid, qid)}
                if c.op == "!=":
                    bits.append(_("you did not answer “%(answer)s” to “%(question)s”") % said)
                else:
                    bits.append(_("you answered “%(answer)s” to “%(question)s”") % said)
        if bits:
            parts.append(_(" and ").join(bits))
    if not parts:
        return None
    # Conditions joined by "and"/"or" inside one sentence: Welsh reads them in the same order.
    return _("Answer this only if %(conditions)s.") % {"conditions": _(" or ").join(parts)}


def visible_questions(draft: Draft, policy: Policy, *, final: bool) -> list[Question]:
    """Questions to show. Before answering, a question that depends on another answer is shown
    with its condition explained (no JavaScript needed); when checking, conditions are applied."""
    facts = question_facts(draft, policy)
    out: list[Question] = []
    for q in policy.questions:
        condition = q.condition()
        if condition is None:
            out.append(q)
        elif not final and _refs_answers(q):
            # Shown (with its condition explained) when the questions it depends on are shown.
            shown = {v.id for v in out}
            refs = [c for c in condition.comparisons() if c.ref.startswith("answers.")]
            other = [c for c in condition.comparisons() if not c.ref.startswith("answers.")]
            if any(c.ref.split(".", 1)[1] in shown for c in refs) and all(c.holds(facts) for c in other):
                out.append(q)
        elif condition.holds(facts):
            out.append(q)
    return out


def question_errors(draft: Draft, policy: Policy) -> dict[str, str]:
    """Each shown question left unanswered (when required) or answered in the wrong form."""
    errors: dict[str, str] = {}
    answers = draft.get("answers") or {}
    for q in visible_questions(draft, policy, final=True):
        raw = str(answers.get(q.id) or "")
        field = f"q_{q.id}-yes" if q.type == "yes_no" else f"q_{q.id}"
        if not raw:
            if q.required:
                errors[field] = missing_message(q)
            continue
        if q.type == "number":
            try:
                float(raw)
            except ValueError:
                errors[field] = wrong_message(q)
        elif (
            (q.type == "date" and parse_date(raw) is None)
            or (q.type == "choice" and raw not in q.choices)
            or (q.type == "yes_no" and raw not in YES_NO)
        ):
            errors[field] = wrong_message(q)
    return errors


def answer_value(question: Question, raw: str) -> Any:
    if question.type == "yes_no":
        return YES_NO_VALUES.get(raw, False)
    if question.type == "number":
        number = float(raw)
        return int(number) if number.is_integer() else number
    return raw


def answer_text(question: Question, raw: str) -> str:
    if question.type == "yes_no":
        return _(YES_NO[raw]) if raw in YES_NO else raw
    if question.type == "choice":
        return question.choice_label(raw)
    return raw


def sendable_answers(draft: Draft, policy: Policy) -> dict[str, Any]:
    """The answers to the questions that apply, as the request carries them."""
    raw_answers = draft.get("answers") or {}
    answers: dict[str, Any] = {}
    for q in visible_questions(draft, policy, final=True):
        raw = str(raw_answers.get(q.id) or "")
        if raw:
            answers[q.id] = answer_value(q, raw)
    return answers
