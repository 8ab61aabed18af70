"""Problems a single field of a policy cannot see: duplicate ids and references between sections.

`Policy`'s model validator calls `cross_reference_problems`; the loader shows each problem at
its exact location in the file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from policies.checks import ORGANISATION_CHECKS, ClearanceReuseCheck, SafeguardingCheck
from policies.predicates import (
    FACTS,
    SHOW_IF_ONLY_FACTS,
    ConditionSyntaxError,
    FactType,
    comparison_problem,
    parse_condition,
)
from policies.welsh import welsh_problems

if TYPE_CHECKING:  # the policy model imports this module to validate itself
    from policies.model import Policy, Question

Loc = tuple[str | int, ...]

_ANSWER_FACT_TYPE: dict[str, FactType] = {
    "text": "str",
    "yes_no": "bool",
    "choice": "str",
    "number": "number",
    "date": "date",
}


def _duplicates(section: str, key: str, values: Sequence[str]) -> list[tuple[Loc, str]]:
    seen: set[str] = set()
    out: list[tuple[Loc, str]] = []
    for i, v in enumerate(values):
        if v in seen:
            out.append(((section, i, key), f"duplicate {key} {v!r}"))
        seen.add(v)
    return out


def _condition_problems(
    loc: Loc,
    text: str,
    questions: dict[str, Question],
    *,
    for_trigger: bool,
    own_question: str | None = None,
) -> list[tuple[Loc, str]]:
    try:
        cond = parse_condition(text)
    except ConditionSyntaxError as exc:
        return [(loc, str(exc))]
    out: list[tuple[Loc, str]] = []
    for comp in cond.comparisons():
        choices: tuple[str, ...] = ()
        if comp.ref.startswith("answers."):
            qid = comp.ref.removeprefix("answers.")
            question = questions.get(qid)
            if question is None:
                out.append((loc, f"{comp.ref} refers to no question of this policy"))
                continue
            if qid == own_question:
                out.append((loc, "a question cannot depend on its own answer"))
                continue
            if for_trigger and question.type == "text":
                out.append((loc, f"a risk trigger cannot read the free-text answer {comp.ref}"))
                continue
            fact_type = _ANSWER_FACT_TYPE[question.type]
            choices = tuple(question.choices)
        elif comp.ref in FACTS:
            if for_trigger and comp.ref in SHOW_IF_ONLY_FACTS:
                out.append((loc, f"a risk trigger cannot depend on {comp.ref}"))
                continue
            fact_type = FACTS[comp.ref]
        else:
            known = ", ".join(f for f in FACTS if not (for_trigger and f in SHOW_IF_ONLY_FACTS))
            out.append((loc, f"unknown field {comp.ref!r}; use answers.<question id> or one of: {known}"))
            continue
        problem = comparison_problem(comp, fact_type, choices)
        if problem:
            out.append((loc, problem))
    return out


def cross_reference_problems(policy: Policy) -> list[tuple[Loc, str]]:
    """Problems a single field cannot see: duplicates and references between sections."""
    problems: list[tuple[Loc, str]] = []
    problems += _duplicates("declarations", "id", [d.id for d in policy.declarations])
    problems += _duplicates("questions", "id", [q.id for q in policy.questions])
    problems += _duplicates("checks", "type", [c.type for c in policy.checks])
    problems += _duplicates("tiers", "id", [t.id for t in policy.tiers])
    problems += _duplicates("risk_triggers", "id", [t.id for t in policy.risk_triggers])
    problems += _duplicates("conditions", "code", [c.code for c in policy.conditions])
    problems += _duplicates("refusal_grounds", "code", [g.code for g in policy.refusal_grounds])
    problems += [
        (("screening", "sources", i), f"duplicate source {s!r}")
        for i, s in enumerate(policy.screening.sources)
        if s in policy.screening.sources[:i]
    ]

    questions = {q.id: q for q in policy.questions}
    for i, q in enumerate(policy.questions):
        if q.type == "choice" and len(q.choices) < 2:
            problems.append((("questions", i, "choices"), "a choice question needs at least two choices"))
        if q.type != "choice" and q.choices:
            problems.append(
                (("questions", i, "choices"), f"only choice questions have choices, not {q.type}")
            )
        problems += [
            (("questions", i, "choices", j), f"duplicate choice {c!r}")
            for j, c in enumerate(q.choices)
            if c in q.choices[:j]
        ]
        if q.show_if is not None:
            problems += _condition_problems(
                ("questions", i, "show_if"), q.show_if, questions, for_trigger=False, own_question=q.id
            )

    tier_ids = [t.id for t in policy.tiers]
    for i, trig in enumerate(policy.risk_triggers):
        if trig.tier not in tier_ids:
            problems.append(
                (("risk_triggers", i, "tier"), f"unknown tier {trig.tier!r}; tiers: {', '.join(tier_ids)}")
            )
        problems += _condition_problems(("risk_triggers", i, "when"), trig.when, questions, for_trigger=True)

    for tier_id, days in policy.notice_periods.items():
        if tier_id not in tier_ids:
            problems.append(
                (("notice_periods", tier_id), f"unknown tier {tier_id!r}; tiers: {', '.join(tier_ids)}")
            )
        elif not isinstance(days, int) or days < 0:
            problems.append(
                (("notice_periods", tier_id), "must be a whole number of working days, 0 or more")
            )
    for tier_id in tier_ids:
        if tier_id not in policy.notice_periods:
            problems.append((("notice_periods",), f"no notice period for tier {tier_id!r}"))

    ground_codes = {g.code for g in policy.refusal_grounds}
    check_types = policy.check_types()
    for i, check in enumerate(policy.checks):
        ground: str | None = getattr(check, "ground", None)
        if ground is not None and ground not in ground_codes:
            problems.append(
                (("checks", i, "ground"), f"{ground!r} is not one of this policy's refusal grounds")
            )
        if isinstance(check, SafeguardingCheck):
            for name in ("dbs_question", "own_carers_question"):
                qid = getattr(check, name)
                if qid is None:
                    continue
                asked = questions.get(qid)
                if asked is None:
                    problems.append((("checks", i, name), f"refers to no question of this policy: {qid!r}"))
                elif asked.type != "yes_no":
                    problems.append((("checks", i, name), f"question {qid!r} must be a yes_no question"))
        if isinstance(check, ClearanceReuseCheck):
            problems += _duplicates_in(("checks", i, "skips"), check.skips)
            for j, skipped in enumerate(check.skips):
                if skipped not in ORGANISATION_CHECKS:  # pragma: no cover - the Literal already forbids it
                    problems.append((("checks", i, "skips", j), f"{skipped!r} cannot be skipped"))
                elif skipped not in check_types:
                    problems.append(
                        (("checks", i, "skips", j), f"{skipped!r} is not a check this policy runs")
                    )
    return problems + welsh_problems(policy)


def _duplicates_in(loc: Loc, values: Iterable[str]) -> list[tuple[Loc, str]]:
    counts = Counter(values)
    return [(loc, f"{v!r} listed more than once") for v, n in counts.items() if n > 1]
