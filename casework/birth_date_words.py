"""The service's request for dates of birth, worded for the hirer in their language.

The case keeps the request in English (`VettingCase.information_request`, what officers read);
the hirer's message is worded in the request's language and the status page in its reader's,
from the names asked for and the officer's own note (shown as written: no one translated it).
"""

from __future__ import annotations

from collections.abc import Sequence

from casework.message_language import ENGLISH, WELSH, gettext, language_of


def N_(message: str) -> str:
    """Marks a msgid for extraction; worded in the reader's language by `gettext`."""
    return message


_SENTENCE = N_(
    "To finish our checks, please give the date of birth of %(people)s."
    " We use it only to tell people with similar names apart."
)
# Welsh joins with "ac" before a vowel sound and "a" otherwise.
_WELSH_VOWELS = "aeiouwyâêîôûŵŷáéíóú"


def listed(names: Sequence[str], language: str = ENGLISH) -> str:
    """ "A, B and C"; in Welsh "A, B a C" ("ac" before a vowel). Names are never mutated."""
    if len(names) == 1:
        return names[0]
    last = names[-1]
    if language_of(language) == WELSH:
        joiner = "ac" if last[:1].casefold() in _WELSH_VOWELS else "a"
    else:
        joiner = "and"
    return ", ".join(names[:-1]) + f" {joiner} " + last


def request_words(names: Sequence[str], note: str = "", language: str = ENGLISH) -> str:
    """The request with the officer's note after it."""
    text = gettext(_SENTENCE, language) % {"people": listed(names, language)}
    return f"{text} {note}" if note else text


def reworded(kept: str, names: Sequence[str], language: str) -> str:
    """A kept (English) request in `language` when it is the service's own wording for `names`;
    anything else (an officer's own request) as it was written."""
    if not names or language_of(language) == ENGLISH:
        return kept
    english = request_words(names)
    if not kept.startswith(english):
        return kept
    return request_words(names, kept[len(english) :].strip(), language)


__all__ = ["listed", "request_words", "reworded"]
