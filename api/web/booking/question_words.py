"""Error messages for the policy's own questions and declarations, in the Design System's style.

The Design System asks for messages that say what to do ("Select yes if your group has a written
constitution", "Enter how many minutes you need to set up"), not the question repeated after a
colon. Policy files hold questions, not messages, so the message is made from the question: a
direct question ("Will alcohol be sold?") is turned into the clause a message needs ("alcohol
will be sold"). Questions this cannot turn fall back to a message that still says what to do.

That turning is English grammar. A Welsh reader gets a whole Welsh sentence that says what to do
by the kind of answer ("Dewiswch ‘Ie’ neu ‘Na’"): the message sits under the question it is about
and the error summary links to it, so it need not repeat the question.
"""

from __future__ import annotations

import re

from api.web.i18n import DEFAULT, current_language
from api.web.i18n import gettext as _
from policies import Declaration, Question

# Auxiliary verb -> the verb the clause needs once the subject comes first, and the word after
# the subject at which the clause's verb starts ("Does your group have" -> "your group has").
_YES_NO = re.compile(r"^(Will|Would|Can|Is|Are|Have|Has|Does|Do|Did) (.+?)\??$")
_CLAUSE_VERBS = {"be", "have", "had", "need", "hold", "use", "want", "bring", "serve", "sell", "include"}
_THIRD_PERSON = {"have": "has", "need": "needs", "hold": "holds", "use": "uses", "want": "wants"}
_WH = re.compile(
    r"^(How many \w+|How much \w+|How|What|When|Where|Who|Which \w+) (will|do|does|is|are) (.+?)\??$"
)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def clause(label: str) -> str | None:
    """ "Will alcohol be sold at the event?" -> "alcohol will be sold at the event"; None if the
    question is not of a shape this knows."""
    found = _YES_NO.match(label.strip())
    if found is None:
        return None
    aux, rest = found[1].lower(), found[2]
    words = rest.split(" ")
    for i, word in enumerate(words[1:], start=1):
        if word in _CLAUSE_VERBS:
            subject, tail = " ".join(words[:i]), words[i:]
            if aux == "does":
                tail = [_THIRD_PERSON.get(tail[0], tail[0]), *tail[1:]]
                return f"{_lower_first(subject)} {' '.join(tail)}"
            if aux == "do":
                return f"{_lower_first(subject)} {' '.join(tail)}"
            return f"{_lower_first(subject)} {aux} {' '.join(tail)}"
    return None


def indirect(label: str) -> str | None:
    """ "How will people be admitted?" -> "how people will be admitted"; None otherwise."""
    found = _WH.match(label.strip())
    if found is None:
        return None
    head, aux, rest = found[1], found[2], found[3]
    words = rest.split(" ")
    for i, word in enumerate(words[1:], start=1):
        if word in _CLAUSE_VERBS or aux in ("do", "does"):
            subject, tail = " ".join(words[:i]), " ".join(words[i:])
            verb = "" if aux in ("do", "does") else f" {aux}"
            return f"{_lower_first(head)} {_lower_first(subject)}{verb} {tail}"
    return None


def _english() -> bool:
    return current_language() == DEFAULT


def _missing_by_kind(kind: str) -> str:
    """The message in the reader's language when the question's words cannot be used."""
    if kind == "yes_no":
        return _("Select yes or no")
    if kind == "choice":
        return _("Select an answer")
    if kind == "date":
        return _("Enter a date")
    if kind == "number":
        return _("Enter a number")
    return _("Enter your answer")


def missing_message(question: Question) -> str:
    """What to tell a hirer who left a required question unanswered."""
    if not _english():
        return _missing_by_kind(question.type)
    if question.type == "yes_no":
        said = clause(question.label)
        return f"Select yes if {said}" if said else f"Select yes or no to say: {question.label}"
    said = indirect(question.label)
    if question.type == "choice":
        return f"Select {said}" if said else f"Select an answer to: {question.label}"
    if question.type == "date":
        return f"Enter {said or 'a date'}"
    if question.type == "number":
        return f"Enter {said}" if said else f"Enter a number to answer: {question.label}"
    return f"Enter {said}" if said else f"Enter your answer to: {question.label}"


def wrong_message(question: Question) -> str:
    """What to tell a hirer whose answer is of the wrong kind."""
    if not _english():
        if question.type == "number":
            return _("Enter a number, like 30")
        if question.type == "date":
            return _("Enter a real date")
        return _missing_by_kind(question.type)
    if question.type == "number":
        said = indirect(question.label)
        return f"Enter {said} as a number, like 30" if said else "Enter a number, like 30"
    if question.type == "date":
        return "Date must be a real date"
    return missing_message(question)


def declaration_message(declaration: Declaration) -> str:
    """ "Tick the box to confirm that the room will be used only for the lawful purpose ..." """
    if not _english():
        return _("Tick the box to confirm this declaration")
    return f"Tick the box to confirm that {_lower_first(declaration.text.strip().rstrip('.'))}"


__all__ = ["clause", "declaration_message", "indirect", "missing_message", "wrong_message"]
