"""Variants of a flagged name, made by transformations independent of the matcher.

Spelling variants, transliterations, dropped middle names, initials, reordering, typos, legal
forms and abbreviations: what a hirer or another list might write for the same name. The
matcher's own data files are not read here.
"""

from __future__ import annotations

import random

from bench.screening_eval.flagged import RESPELLINGS


def typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    operation = rng.choice(["swap", "drop", "double", "replace"])
    if operation == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if operation == "drop":
        return word[:i] + word[i + 1 :]
    if operation == "double":
        return word[:i] + word[i] + word[i:]
    letter = rng.choice("aeioulnrst")
    return word[:i] + letter + word[i + 1 :]


def respell(rng: random.Random, part: str) -> str:
    options = RESPELLINGS.get(part.lower())
    return rng.choice(options) if options else part


def person_variants(rng: random.Random, entry: tuple[str, str, str, str, str]) -> list[tuple[str, str]]:
    _culture, given, middle, surname, script = entry
    out: list[tuple[str, str]] = []
    if script:
        words = script.split()
        if len(words) == 3 and rng.random() < 0.5:
            words = [words[0], words[2]]  # other script with the middle name dropped
        out.append(("other_script", " ".join(words)))
    full_respelt = " ".join(
        p for p in (respell(rng, given), respell(rng, middle), respell(rng, surname)) if p
    )
    out.append(("transliteration", full_respelt))
    if middle:
        out.append(("dropped_middle", f"{respell(rng, given) if rng.random() < 0.5 else given} {surname}"))
        out.append(("initials", f"{given[0]}. {middle[0]}. {surname}"))
    else:
        out.append(("initials", f"{given[0]}. {surname}"))
    out.append(("reordered", f"{surname.upper()}, {given}{' ' + middle if middle else ''}"))
    longest = max((given, surname), key=len)
    out.append(
        ("typo", " ".join(p for p in (given, middle, surname) if p).replace(longest, typo(rng, longest), 1))
    )
    if rng.random() < 0.5:
        out.append(("reordered", f"{respell(rng, surname)} {respell(rng, given)}"))
    return out


_ABBREVIATE = {
    "Association": "Assoc.",
    "Foundation": "Fdn",
    "Committee": "Cttee",
    "Movement": "Mvmt",
    "and": "&",
}


def org_variants(rng: random.Random, name: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    out.append(
        (
            "legal_form",
            rng.choice(["The ", ""]) + name + rng.choice([" Ltd", " Limited", " CIC", " UK", " (UK) Ltd"]),
        )
    )
    out.append(("legal_form", "The " + name.upper() + rng.choice(["", " Group", " Trust"])))
    abbreviated = " ".join(_ABBREVIATE.get(w, w) for w in name.split())
    if abbreviated != name:
        out.append(("abbreviation", abbreviated))
    words = name.split()
    longest = max(words, key=len)
    out.append(("typo", name.replace(longest, typo(rng, longest), 1)))
    respelt = name.replace("Al-Fajr", "El Fajr").replace("Ummah", "Umma").replace("Brigade", "Brigades")
    respelt = (
        respelt.replace("Council", "Councils")
        .replace("Patriots", "Patriot")
        .replace("Brotherhood", "Brother-hood")
    )
    respelt = (
        respelt.replace("Collective", "Kollective").replace("Network", "Net-work").replace("Grey", "Gray")
    )
    if respelt != name:
        out.append(("spelling", respelt))
    out.append(("punctuation", name.lower().replace(" ", "-", 1) + rng.choice([".", "", " limited"])))
    return out
