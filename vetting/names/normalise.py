"""Turns a raw name into comparable parts: Latin script, lower case, no diacritics or punctuation.

Other scripts are transliterated with ``anyascii`` (a maintained library); the script each part came
from is kept so that comparison can allow for what transliteration loses (Arabic short vowels).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

from anyascii import anyascii

from vetting.names.evasion import without_invisible

LATIN = "latin"
ARABIC = "arabic"
CYRILLIC = "cyrillic"
GREEK = "greek"
HAN = "han"
OTHER = "other"

_SCRIPT_PREFIXES = (
    ("ARABIC", ARABIC),
    ("CYRILLIC", CYRILLIC),
    ("GREEK", GREEK),
    ("CJK", HAN),
    ("HANGUL", HAN),
    ("HIRAGANA", HAN),
    ("KATAKANA", HAN),
)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_TA_MARBUTA_BEFORE_WORD = re.compile(r"\u0629(?=\s+[\u0621-\u064a])")
_APOSTROPHES = re.compile(r"['’‘`ʼʻ´]")


class NamePart(NamedTuple):
    """One comparable part of a name (a named tuple: hashed and compared in C, thousands of times
    in a screening that keeps many names, where a dataclass's generated methods ran in Python)."""

    text: str  # lower-case ASCII letters and digits
    script: str  # the script the part was written in
    shown: str  # how to show it to an officer (the original spelling)


@dataclass(frozen=True, slots=True)
class NormalisedName:
    raw: str
    parts: tuple[NamePart, ...]

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(part.text for part in self.parts)


def fold_part(text: str) -> str:
    """Lower-case ASCII form of a short string (used for data files too)."""
    return " ".join(_NON_ALNUM.split(_APOSTROPHES.sub("", anyascii(text).lower()))).strip()


def _script_of(char: str) -> str:
    if char.isascii():
        return LATIN
    name = unicodedata.name(char, "")
    for prefix, script in _SCRIPT_PREFIXES:
        if name.startswith(prefix):
            return script
    if "LATIN" in name:
        return LATIN
    return OTHER


def _word_script(word: str) -> str:
    if word.isascii():
        return LATIN  # every letter Latin (most words of most names: no look-up per letter)
    counts: dict[str, int] = {}
    for char in word:
        if char.isalpha():
            script = _script_of(char)
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return LATIN
    return max(counts, key=lambda script: counts[script])


def _reorder_comma(raw: str) -> str:
    """'SURNAME, Given' becomes 'Given SURNAME' (only for exactly one comma with text both sides)."""
    if raw.count(",") != 1:
        return raw.replace(",", " ")
    surname, given = (piece.strip() for piece in raw.split(","))
    if surname and given:
        return f"{given} {surname}"
    return raw.replace(",", " ")


def _han_parts(word: str) -> list[NamePart]:
    # A Chinese name is written without spaces: the first character is the family name and the
    # rest the given name, which romanisations write as one word (Wang Xiaoming).
    syllables = [fold_part(char) for char in word if char.isalpha()]
    syllables = [s for s in syllables if s]
    if len(syllables) <= 1:
        return [NamePart("".join(syllables), HAN, word)] if syllables else []
    return [NamePart(syllables[0], HAN, word[0]), NamePart("".join(syllables[1:]), HAN, word[1:])]


def _arabic_parts(word: str) -> list[NamePart]:
    ascii_text = anyascii(word).lower()
    # A leading hamza or ain is written as ' or `; it stands where Latin spellings put a vowel.
    ascii_text = re.sub(r"^['`]", "a", ascii_text)
    ascii_text = _APOSTROPHES.sub("", ascii_text)
    return [NamePart(piece, ARABIC, word) for piece in _NON_ALNUM.split(ascii_text) if piece]


def _word_parts(word: str, abbreviations: dict[str, str]) -> list[NamePart]:
    script = _word_script(word)
    if script == HAN:
        return _han_parts(word)
    if script == ARABIC:
        return _arabic_parts(word)
    folded = _APOSTROPHES.sub("", anyascii(word).lower())
    pieces = [piece for piece in _NON_ALNUM.split(folded) if piece]
    parts: list[NamePart] = []
    for piece in pieces:
        expanded = abbreviations.get(piece, piece)
        shown = word if len(pieces) == 1 else piece
        parts.extend(NamePart(text, script, shown) for text in expanded.split())
    return parts


_WORD_BREAKS = re.compile(r"[\s\-‐‑–—/\\.()\[\]{}:;|_\"]+")


def normalise_name(
    raw: str, abbreviations: dict[str, str] | None = None, words: dict[str, list[NamePart]] | None = None
) -> NormalisedName:
    """Split ``raw`` into normalised parts; word order is kept (comparison ignores it).

    ``words``, when given, keeps each word's parts for the next name with the same ``abbreviations``
    (building the index for a long list: its names share most of their words).
    """
    if raw.isascii():
        text = raw  # NFKC leaves ASCII as it is, and ASCII has no invisible or Arabic letters
    else:
        text = without_invisible(unicodedata.normalize("NFKC", raw))
        # Ta marbuta before another Arabic word is pronounced, and romanised, t (Jabhat al-Nasr).
        text = _TA_MARBUTA_BEFORE_WORD.sub("\u062a", text)
    text = text.replace("&", " and ").replace("+", " and ")
    text = _reorder_comma(text)
    # Hyphens, slashes and dots separate parts ("Abdul-Rahman", "J.Q."); apostrophes join ("O'Brien").
    parts: list[NamePart] = []
    for word in _WORD_BREAKS.split(text):
        if not word:
            continue
        if words is None:
            parts.extend(_word_parts(word, abbreviations or {}))
            continue
        found = words.get(word)
        if found is None:
            found = words[word] = _word_parts(word, abbreviations or {})
        parts.extend(found)
    return NormalisedName(raw=raw, parts=tuple(parts))


def joined_forms(parts: tuple[NamePart, ...]) -> list[tuple[tuple[int, ...], NamePart]]:
    """Each part, and two or three neighbouring parts written as one word (Abdul Rahman, Vanderberghe)."""
    forms: list[tuple[tuple[int, ...], NamePart]] = [((i,), part) for i, part in enumerate(parts)]
    for size in (2, 3):
        for start in range(len(parts) - size + 1):
            group = parts[start : start + size]
            # Three parts are joined only after short particles (van der Berghe, de la Cruz).
            if all(len(part.text) > 1 for part in group) and (
                size == 2 or all(len(part.text) <= 3 for part in group[:2])
            ):
                joined = NamePart(
                    "".join(part.text for part in group),
                    group[0].script,
                    " ".join(part.shown for part in group),
                )
                forms.append((tuple(range(start, start + size)), joined))
    return forms
