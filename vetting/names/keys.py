"""Comparison keys for single name parts: spelling key, consonant skeleton, deletion neighbours.

The keys group spellings that transliteration and everyday variation produce (ou/u, y/i, x/ks, ph/f,
doubled letters; Arabic written without short vowels) so that an index can find them cheaply.
"""

from __future__ import annotations

import re
from functools import lru_cache

_SPELLING_RULES: tuple[tuple[str, str], ...] = (
    ("tx", "C"),  # Basque tx is ch (Etxeberria, Echeverria)
    ("ch", "C"),
    ("sh", "S"),
    ("ph", "f"),
    ("x", "ks"),
    ("zh", "j"),
    ("ts", "c"),
    ("tz", "c"),
    ("ck", "k"),
    ("q", "k"),
    ("c", "k"),
    ("ou", "u"),
    ("oo", "u"),
    ("oy", "u"),
    ("ee", "i"),
    ("y", "i"),
    ("w", "v"),
    ("dh", "d"),
    ("th", "t"),
    ("C", "ch"),
    ("S", "sh"),
)
_DOUBLES = re.compile(r"(.)\1+")
_DIGRAPHS = (("ch", "C"), ("kh", "k"), ("th", "t"), ("dh", "d"), ("sh", "s"), ("gh", "g"), ("ph", "f"))
_VOWELS = frozenset("aeiou")


@lru_cache(maxsize=65536)
def spelling_key(part: str) -> str:
    """A key equal for common spelling variants of one name (Yousef/Yusef, Aleksey/Alexei)."""
    key = part
    for old, new in _SPELLING_RULES:
        key = key.replace(old, new)
    key = _DOUBLES.sub(r"\1", key)
    if len(key) > 3 and key.endswith("h"):
        key = key[:-1]
    if len(key) > 4 and key.endswith("of"):
        key = key[:-1] + "v"  # Slavic -off for -ov (w is already v: -ow)
    return key


def _consonants(part: str) -> str:
    text = part
    for old, new in _DIGRAPHS:
        text = text.replace(old, new)
    text = text.replace("q", "k").replace("c", "k").replace("C", "c").replace("x", "ks").replace("v", "w")
    if not text:
        return ""
    head = "A" if text[0] in _VOWELS else text[0]
    body = "".join(char for char in text[1:] if char not in _VOWELS and char not in "yw")
    skeleton = _DOUBLES.sub(r"\1", head + body)
    if len(skeleton) > 2 and skeleton.endswith("h"):
        skeleton = skeleton[:-1]
    return skeleton


@lru_cache(maxsize=65536)
def skeletons(part: str, arabic: bool) -> frozenset[str]:
    """Consonant skeletons: what survives of a name written, as Arabic is, without short vowels.

    Parts transliterated from Arabic also get the forms without the article (al-) and with an
    initial vowel, which the script leaves implicit.
    """
    base = _consonants(part)
    found = {base}
    if arabic:
        if base.startswith("l") and len(base) > 3:
            found.add(_consonants(part[1:]))
        if base[:1] != "A":
            found.add("A" + base)
    return frozenset(s for s in found if len(s) >= 2)


def deletion_neighbours(key: str) -> tuple[str, ...]:
    """The key and every string made by deleting one character: shared by keys one edit apart."""
    if len(key) < 4:
        return (key,)
    return (key, *{key[:i] + key[i + 1 :] for i in range(len(key))})


def edit_budget(length: int) -> int:
    """Edits allowed between two parts whose shorter one has ``length`` characters."""
    if length <= 3:
        return 0
    if length <= 7:
        return 1
    if length <= 11:
        return 2
    return 3
