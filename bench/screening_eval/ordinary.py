"""Ordinary names: drawn from the pools, redrawn when too close to a flagged name."""

from __future__ import annotations

import random
import re

from bench.screening_eval.pools import ORG_PLACES, ORG_PREFIXES, ORG_SUFFIXES, ORG_TYPES, ORG_WORDS, POOLS


def tokens(name: str) -> set[str]:
    return {t for t in re.split(r"[^a-zà-ÿœłśńźżćęąőűčřžšďťň'’-]+", name.lower().replace("-", " ")) if t}


def ordinary_person(rng: random.Random, culture: str) -> str:
    givens, surnames = POOLS[culture]
    given = rng.choice(givens)
    if culture == "hispanic":
        return (
            f"{given} {rng.choice(surnames)} {rng.choice(surnames)}"
            if rng.random() < 0.6
            else f"{given} {rng.choice(surnames)}"
        )
    if rng.random() < 0.3:
        middle = rng.choice(givens)
        if middle != given:
            return f"{given} {middle} {rng.choice(surnames)}"
    if culture == "east_asian" and rng.random() < 0.5:
        return f"{rng.choice(surnames)} {given}"
    return f"{given} {rng.choice(surnames)}"


def ordinary_org(rng: random.Random) -> str:
    middle = rng.choice(ORG_PLACES) if rng.random() < 0.5 else rng.choice(ORG_WORDS)
    return f"{rng.choice(ORG_PREFIXES)}{middle} {rng.choice(ORG_TYPES)}{rng.choice(ORG_SUFFIXES)}"


def too_close(name: str, flagged_tokens: list[set[str]]) -> bool:
    parts = tokens(name)
    return any(len(parts & other) >= 2 or parts <= other for other in flagged_tokens)
