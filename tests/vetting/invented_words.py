"""Invented words for the screening tests' listed names (never real people's names)."""

from __future__ import annotations

import random
from collections.abc import Sequence


def invented_word(rng: random.Random, syllables: Sequence[str], counts: Sequence[int] = (2, 2, 3)) -> str:
    """A capitalised word of ``rng.choice(counts)`` syllables drawn from ``syllables``."""
    return "".join(rng.choice(syllables) for _ in range(rng.choice(counts))).capitalize()
