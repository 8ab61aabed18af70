"""A name followed by its own acronym in brackets ("Black Meridian Network (BMN)").

A listed name written so is filed both without the brackets and as the acronym alone, so that either
finds it; a screened name written so is screened without its brackets too (the acronym only repeats
the name, and as an extra word it would cost the match).
"""

from __future__ import annotations

import re

from vetting.names.evasion import Reading, readings

_BRACKETED = re.compile(r"^(?P<name>.*?\S)\s*[(\[]\s*(?P<acronym>[^\W\d_][\w.&]{1,11})\s*[)\]]\s*$")
_WORDS = re.compile(r"[\s\-/]+")
# Words an acronym usually leaves out.
_SKIPPED = frozenset({"of", "the", "and", "for", "in", "al", "el", "de", "la", "&"})

LEFT_OUT = "its acronym in brackets left out"


def split_acronym(raw: str) -> tuple[str, str] | None:
    """(name, acronym) when ``raw`` ends with a bracketed acronym of its own words, else None."""
    found = _BRACKETED.match(raw.strip())
    if found is None:
        return None
    name, acronym = found.group("name"), found.group("acronym")
    letters = "".join(char for char in acronym.lower() if char.isalnum())
    words = [word for word in _WORDS.split(name.lower()) if word]
    every = "".join(word[0] for word in words)
    significant = "".join(word[0] for word in words if word not in _SKIPPED)
    if len(letters) >= 2 and letters in (every, significant):
        return name, acronym
    return None


def listed_forms(raw: str) -> list[str]:
    """The forms a listed organisation name is filed under."""
    split = split_acronym(raw)
    return [raw] if split is None else list(split)


def screened_readings(name: str, kind: str | None) -> list[Reading]:
    """The readings of a screened name besides the name as typed: those of evasion.readings and,
    unless it is a person's, the name without its own bracketed acronym."""
    found = readings(name)
    split = split_acronym(name) if kind != "person" else None
    if split is not None:
        found.append(Reading(split[0], (LEFT_OUT,)))
    return found
