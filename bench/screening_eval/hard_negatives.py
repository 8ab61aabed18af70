"""Hard negatives: ordinary community groups whose names share words with listed organisations
(issue 21 asks for at most 5% of them referred). A group shares one or two words of a listed name,
never all its distinctive words; a listed name made only of everyday words ("Rising Tide") may
appear whole inside a longer group name ("Rising Tide Allotment Society"), the hard case."""

from __future__ import annotations

import random
import re

ACTIVITIES = [
    "Allotment", "Anglers", "Bowls", "Gardening", "Choir", "Drama", "Chess", "Walking", "Knitting",
    "Cycling", "Rambling", "Quilting", "Photography", "Badminton", "Pensioners", "Tenants", "Toddlers",
    "Parents", "Book", "History", "Wildlife", "Cricket", "Netball", "Darts", "Film", "Dance",
]  # fmt: skip
GROUP_TYPES = [
    "Society", "Club", "Group", "Association", "Circle", "Friends", "Network", "Trust", "Collective",
]  # fmt: skip
PLACES = ["Leeds", "Hillcrest", "Oakwood", "Riverside", "Bradford", "Eastside", "Northfield", "Harbour"]
# Everyday words: a listed name made only of these is the hard case.
EVERYDAY = {
    "rising", "tide", "silent", "river", "new", "dawn", "hollow", "oak", "silver", "golden", "white",
    "red", "black", "grey", "northern", "eastern", "valley", "hills", "light", "hope", "unity",
}  # fmt: skip
_FILLER = {"of", "the", "al", "and", "uk"}


def hard_negatives(rng: random.Random, name: str) -> list[str]:
    words = [w for w in re.split(r"[\s-]+", re.sub(r"\([^)]*\)", "", name)) if w]
    distinctive = [w for w in words if w.lower() not in _FILLER]
    out: list[str] = []
    for word in rng.sample(distinctive, min(3, len(distinctive))):
        out.append(f"{word} {rng.choice(ACTIVITIES)} {rng.choice(GROUP_TYPES)}")
        out.append(f"{rng.choice(PLACES)} {word} {rng.choice(ACTIVITIES)} {rng.choice(GROUP_TYPES)}")
    if len(distinctive) >= 3:
        pair = rng.sample(distinctive, 2)
        out.append(f"{pair[0]} {pair[1]} {rng.choice(ACTIVITIES)} {rng.choice(GROUP_TYPES)}")
    if all(w.lower() in EVERYDAY for w in distinctive):
        out.append(f"{' '.join(distinctive)} {rng.choice(ACTIVITIES)} {rng.choice(GROUP_TYPES)}")
        out.append(f"{rng.choice(PLACES)} {' '.join(distinctive)} {rng.choice(ACTIVITIES)} Club")
    return out
