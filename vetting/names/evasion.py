"""Other readings of a name written to slip past screening: letters spaced or dotted out, digits and
symbols for letters, look-alike letters of other scripts, invisible characters.

Each reading is screened alongside the name as typed (which is kept, shown and stored unchanged),
so a name that needs no reading is screened exactly as before. Look-alike letters need a reading of
their own: transliteration reads a Cyrillic "с" as "s", while the eye reads it as "c".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Digits and symbols written for the letters they look like. "1" and "|" stand for "i" or "l"; "i" is
# taken and an edit covers the other.
_FOR_LETTERS = {
    "0": "o",
    "1": "i",
    "3": "e",
    "4": "a",
    "5": "s",
    "7": "t",
    "8": "b",
    "9": "g",
    "@": "a",
    "$": "s",
    "€": "e",
    "£": "l",
    "!": "i",
    "|": "l",
}
_SUBSTITUTED = re.compile("[" + re.escape("".join(_FOR_LETTERS)) + "]")
# A word holding both letters and look-alike digits or symbols, such as "V3lk0v" or "D@rius".
_MIXED_WORD = re.compile(r"\S*[^\W\d_]\S*")
# Three or more single characters in a row, separated by spaces, dots or dashes: "V e l k o v".
_SPACED_OUT = re.compile(r"(?<![^\W_])(?:[^\W_][\s.\-·•_*]+){2,}[^\W_](?![^\W_])")
_SEPARATORS = re.compile(r"[\s.\-·•_*]+")

# Cyrillic and Greek letters drawn like Latin ones (after the Unicode confusables list, letters only).
_LOOK_ALIKE = str.maketrans(
    "аеорсухіјѕкмтнвАВЕКМНОРСТХУІЈЅαονκιρτυχΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijskmthbABEKMHOPCTXYIJSaovkiptuxABEZHIKMNOPTYX",
)
_LATIN_LETTER = re.compile(r"[A-Za-z]")

SPACED = "letters spaced or dotted out"
LOOK_ALIKE = "look-alike letters of another script"
DIGITS = "digits or symbols for letters"


@dataclass(frozen=True, slots=True)
class Reading:
    text: str
    how: tuple[str, ...]  # what was undone, for the explanation


def without_invisible(text: str) -> str:
    """The text without format characters (zero-width spaces and joiners, soft hyphens, direction marks).

    They change nothing a reader sees, so a name is screened as it reads.
    """
    if text.isascii():
        return text  # format characters are all outside ASCII
    return "".join(char for char in text if unicodedata.category(char) != "Cf")


def _letters_for_symbols(text: str) -> str:
    def fix(word: re.Match[str]) -> str:
        return _SUBSTITUTED.sub(lambda m: _FOR_LETTERS[m.group()], word.group())

    return _MIXED_WORD.sub(fix, text)


def _join_spaced(text: str) -> str:
    return _SPACED_OUT.sub(lambda m: _SEPARATORS.sub("", m.group()), text)


def readings(name: str) -> list[Reading]:
    """Other readings of ``name`` worth screening too (none for an ordinary name)."""
    # ASCII is its own NFKC form and holds no invisible or look-alike letters.
    text = name if name.isascii() else without_invisible(unicodedata.normalize("NFKC", name))
    found: list[Reading] = []
    plain: tuple[str, ...] = ()
    latin = text.translate(_LOOK_ALIKE)
    if latin != text and _LATIN_LETTER.search(text):
        # Only in a name that also has Latin letters: a name wholly in Cyrillic is transliterated.
        found.append(Reading(latin, (LOOK_ALIKE,)))
        text, plain = latin, (LOOK_ALIKE,)
    bases = [(text, plain)]
    lettered = _letters_for_symbols(text)
    if lettered != text:
        found.append(Reading(lettered, (*plain, DIGITS)))
        bases.append((lettered, (*plain, DIGITS)))
    for base, how in bases:
        joined = _join_spaced(base)
        if joined != base:
            found.append(Reading(joined, (*how, SPACED)))
    unique: dict[str, Reading] = {}
    for reading in found:
        unique.setdefault(reading.text, reading)
    return list(unique.values())
