"""One entry of the proscribed list, as written on gov.uk or in Schedule 2, into a name and aliases.

The published entries give aliases in several ways, often together:
"Turkestan Islamic Party (East Turkestan Islamic Party) (East Turkestan Islamic Movement)"
(several bracket groups in a row), "Harbour Lions Front (Harbour Lions (Maritime Wing), HLF)"
(a bracket inside an alias stays part of it), "Hamas Izz al-Din al-Qassem Brigades (including
...)" and "Abdallah Azzam Brigades, including the Ziyad al-Jarrah Battalions" (the groups an
entry includes are listed under it, so they are screened as its aliases), a closing full stop
(Schedule 2 ends every entry with one), curly apostrophes, and, in text copied from
legislation.gov.uk, the amendment markers "[F1" and "]".
"""

from __future__ import annotations

import re

from vetting.importers.errors import FlaggedListFormatError

# Curly quotes and the prime look alike on screen but not to a comparison or a reference slug.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'", "`": "'"})
# "[F12" opens and "]" closes an amendment in text copied from legislation.gov.uk.
_AMENDMENT_OPEN = re.compile(r"\[\s*F\d+\s*")
_INCLUDING = re.compile(r"^including\s+", re.IGNORECASE)
_TRAILING_JUNK = " ,.;:\t"
# "X, Y and Z" inside an "including" list; " and " only splits there, never a name elsewhere.
_LIST_AND = re.compile(r"\s+and\s+", re.IGNORECASE)


def tidy(text: str) -> str:
    """Straight apostrophes, no amendment markers, single spaces, no closing full stop."""
    text = _AMENDMENT_OPEN.sub("", text.translate(_APOSTROPHES)).replace("]", "").replace("[", "")
    return " ".join(text.split()).strip(_TRAILING_JUNK)


def _split_top_level(text: str, separator: str = ",") -> list[str]:
    """``text`` split at ``separator`` outside brackets."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == separator and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [part.strip(_TRAILING_JUNK + " ") for part in parts if part.strip(_TRAILING_JUNK + " ")]


def _included(text: str) -> list[str]:
    """The groups of an "including A, B and C" list."""
    names: list[str] = []
    for part in _split_top_level(_INCLUDING.sub("", text.strip())):
        names.extend(piece.strip(_TRAILING_JUNK) for piece in _LIST_AND.split(part) if piece.strip())
    return names


def _final_bracket(text: str, line: int | None) -> tuple[str, str] | None:
    """``text`` without its final bracket group, and what the group holds; None if it has none."""
    if not text.endswith(")"):
        return None
    depth = 0
    for position in range(len(text) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[position], 0)
        if depth == 0:
            return text[:position].rstrip(_TRAILING_JUNK + " "), text[position + 1 : -1]
    raise FlaggedListFormatError(line, f"unbalanced brackets in {text!r}")


def _top_level_including(text: str) -> int | None:
    """Where ", including" / " including" starts outside brackets, if it does."""
    depth = 0
    lowered = text.lower()
    for position, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and lowered.startswith(" including ", position):
            return position
    return None


def split_entry(raw: str, line: int | None = None) -> tuple[str, list[str]]:
    """The organisation's name and its aliases, in the order the entry gives them."""
    text = tidy(raw)
    if text.count("(") != text.count(")"):
        raise FlaggedListFormatError(line, f"unbalanced brackets in {text!r}")
    aliases: list[str] = []
    included: list[str] = []
    groups: list[str] = []
    while (found := _final_bracket(text, line)) is not None:
        text, inside = found
        groups.insert(0, inside)
    including = _top_level_including(text)
    if including is not None:
        included = _included(text[including:])
        text = text[:including].rstrip(_TRAILING_JUNK + " ")
        # "Name (Alias), including X": the brackets before "including" belong to the name.
        while (found := _final_bracket(text, line)) is not None:
            text, inside = found
            groups.insert(0, inside)
    for inside in groups:
        if _INCLUDING.match(inside.strip()):
            aliases.extend(_included(inside))
        else:
            aliases.extend(_split_top_level(inside))
    return text.strip(_TRAILING_JUNK + " "), [alias for alias in (*aliases, *included) if alias]
