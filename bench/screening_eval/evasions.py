"""The evasion suite: a listed name dotted or spaced out, digits or symbols for letters, invisible
characters, look-alike letters of other scripts, padding with ordinary words, words reordered.
Every row must be found (issue 21)."""

from __future__ import annotations

import random

from bench.screening_eval.families import HOMOGLYPHS, INVISIBLE, LEET, SYMBOLS

KINDS = ("dots", "spaces", "digits", "symbols", "zero_width", "homoglyph", "padding", "reordering")


def _longest(words: list[str]) -> int:
    return max(range(len(words)), key=lambda i: len(words[i]))


def _swap_letters(rng: random.Random, word: str, table: dict[str, str], most: int) -> str:
    places = [i for i, c in enumerate(word) if c.lower() in table]
    chosen = set(rng.sample(places, min(most, len(places))))
    return "".join(table[c.lower()] if i in chosen else c for i, c in enumerate(word))


def evasions(rng: random.Random, name: str, padding_words: list[str]) -> list[tuple[str, str]]:
    words = name.split()
    at = _longest(words)
    out: list[tuple[str, str]] = []

    def with_word(new: str) -> str:
        return " ".join(new if i == at else w for i, w in enumerate(words))

    out.append(("dots", with_word(".".join(words[at]) + rng.choice(["", "."]))))
    out.append(("spaces", with_word(" ".join(words[at]))))
    out.append(("digits", with_word(_swap_letters(rng, words[at], LEET, 2))))
    out.append(("symbols", with_word(_swap_letters(rng, words[at], SYMBOLS, 1) if any(
        c in "asAS" for c in words[at]) else _swap_letters(rng, words[at], LEET, 1))))  # fmt: skip
    word = words[at]
    cut = rng.randrange(1, len(word)) if len(word) > 1 else 1
    out.append(("zero_width", with_word(word[:cut] + rng.choice(INVISIBLE) + word[cut:])))
    out.append(("homoglyph", " ".join(_swap_letters(rng, w, HOMOGLYPHS, 2) for w in words)))
    pad = rng.sample(padding_words, rng.randint(4, 7))
    split = rng.randint(0, len(pad))
    out.append(("padding", " ".join(pad[:split] + words + pad[split:])))
    shuffled = words[:]
    while len(shuffled) > 1 and shuffled == words:
        rng.shuffle(shuffled)
    out.append(("reordering", " ".join(shuffled)))
    return out
