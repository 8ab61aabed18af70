"""The policy's own words in Welsh: which texts a hirer reads, whether a policy gives Welsh for all
of them, and the policy as a Welsh reader is shown it.

A policy file may write a Welsh text beside each English one a hirer reads (``text_cy`` beside
``text``, ``label_cy``, ``help_cy``, ``title_cy``, ``description_cy``, ``choice_labels_cy``). A
policy gives Welsh for all of those texts or for none: a policy that gives some is refused by the
checker, naming each text still missing. Half a Welsh form (Welsh questions under English
declarations) would have a Welsh reader sign statements in a language the council did not choose
for them, and a silent English fallback hides the gap until a hirer finds it; refusing it in
``venue-hire policies check`` finds it before the policy is published. A policy with no Welsh at
all is valid, and reads in English on Welsh pages (nothing in it was ever Welsh).

`in_language` gives the policy with the Welsh texts in the English fields' places, so pages read
``.text`` and ``.label`` whatever the language. Only words change: ids, choices (the answers
kept), conditions and numbers are the same objects, so nothing decided from the policy can differ
by language. What a case keeps is language-free (declaration ids, answers, the policy id and
version) plus the language it was made in; the words the hirer read are those of that version in
that language.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from policies.cross_references import Loc
    from policies.model import Policy, Question

WELSH = "cy"
LANGUAGES = ("en", WELSH)


def _question_texts(i: int, q: Question) -> Iterator[tuple[Loc, str, str | None]]:
    yield ("questions", i, "label_cy"), q.label, q.label_cy
    if q.help:
        yield ("questions", i, "help_cy"), q.help, q.help_cy
    for choice in q.choices:
        where: Loc = ("questions", i, "choice_labels_cy", choice)
        yield where, q.choice_label(choice), q.choice_labels_cy.get(choice)


def hirer_texts(policy: Policy) -> Iterator[tuple[Loc, str, str | None]]:
    """Every text of the policy a hirer reads: where its Welsh goes, the English, the Welsh."""
    yield ("title_cy",), policy.title, policy.title_cy
    if policy.description:
        yield ("description_cy",), policy.description, policy.description_cy
    for i, d in enumerate(policy.declarations):
        yield ("declarations", i, "text_cy"), d.text, d.text_cy
    for i, q in enumerate(policy.questions):
        yield from _question_texts(i, q)
    for i, c in enumerate(policy.conditions):
        yield ("conditions", i, "text_cy"), c.text, c.text_cy
    for i, g in enumerate(policy.refusal_grounds):
        yield ("refusal_grounds", i, "text_cy"), g.text, g.text_cy
    for i, k in enumerate(policy.documents.kinds):
        yield ("documents", "kinds", i, "label_cy"), k.label, k.label_cy


def gives_welsh(policy: Policy) -> bool:
    """Whether the policy file wrote any Welsh. The built-in document kinds carry their own Welsh,
    so they count only when the file lists its own kinds."""
    own_kinds = "kinds" in policy.documents.model_fields_set
    return any(
        welsh for loc, _, welsh in hirer_texts(policy) if own_kinds or loc[:2] != ("documents", "kinds")
    )


def welsh_problems(policy: Policy) -> list[tuple[Loc, str]]:
    """Welsh that cannot be used: a choice label for no choice, Welsh for a text with no English,
    or Welsh given for some texts a hirer reads and not for others."""
    problems: list[tuple[Loc, str]] = []
    if policy.description_cy and not policy.description:
        problems.append((("description_cy",), "Welsh for a description the policy does not give in English"))
    for i, q in enumerate(policy.questions):
        if q.help_cy and not q.help:
            problems.append((("questions", i, "help_cy"), "Welsh for help not given in English"))
        for name in ("choice_labels", "choice_labels_cy"):
            labels: dict[str, str] = getattr(q, name)
            problems += [
                (("questions", i, name, choice), f"{choice!r} is not one of the question's choices")
                for choice in labels
                if choice not in q.choices
            ]
    if gives_welsh(policy):
        problems += [
            (loc, "no Welsh: the policy gives Welsh for other texts hirers read, so give it for this one too")
            for loc, _, welsh in hirer_texts(policy)
            if not welsh
        ]
    return problems


def in_language(policy: Policy, language: str) -> Policy:
    """The policy as a reader of `language` is shown it: in Welsh, each text that has Welsh reads
    in Welsh; otherwise (English, or a policy without Welsh) the policy itself."""
    if language != WELSH or not gives_welsh(policy):
        return policy

    def welsh(model: Any, **pairs: str) -> Any:
        update = {english: getattr(model, cy) for english, cy in pairs.items() if getattr(model, cy)}
        return model.model_copy(update=update)

    questions = [
        welsh(q, label="label_cy", help="help_cy").model_copy(
            update={"choice_labels": q.choice_labels | q.choice_labels_cy}
        )
        for q in policy.questions
    ]
    documents = policy.documents.model_copy(
        update={"kinds": [welsh(k, label="label_cy") for k in policy.documents.kinds]}
    )
    shown: Policy = welsh(policy, title="title_cy", description="description_cy").model_copy(
        update={
            "declarations": [welsh(d, text="text_cy") for d in policy.declarations],
            "questions": questions,
            "conditions": [welsh(c, text="text_cy") for c in policy.conditions],
            "refusal_grounds": [welsh(g, text="text_cy") for g in policy.refusal_grounds],
            "documents": documents,
        }
    )
    return shown


def condition_words(policy: Policy, code: str | None, text: str, language: str) -> str:
    """A condition attached to a decision, as a reader of `language` reads it. The decision keeps
    the words the officer attached (English); when they are the policy's own words for the code,
    a Welsh reader reads the policy's Welsh for them. Words the officer wrote are shown as written:
    no one translated them."""
    if language != WELSH or code is None:
        return text
    condition = policy.condition_of_hire(code)
    if condition is None or condition.text_cy is None or condition.text.strip() != text.strip():
        return text
    return condition.text_cy


__all__ = [
    "LANGUAGES",
    "WELSH",
    "condition_words",
    "gives_welsh",
    "hirer_texts",
    "in_language",
    "welsh_problems",
]
