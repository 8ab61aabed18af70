"""The kinds of variant issue 21 adds, made from the set's own tables (families.py), never from the
matcher's data: given-name families and short forms, surname spelling families, a left-out
patronymic with a transliteration difference, Arabic articles and hyphens, parts joined or split,
generic respellings; for organisations abbreviations, UK/GB/Britain, acronyms, translated words."""

from __future__ import annotations

import random
import re

from bench.screening_eval.families import (
    CYRILLIC,
    GIVEN_FORMS,
    ORG_ABBREVIATIONS,
    ORG_TRANSLATIONS,
    PLACE_SWAPS,
    RESPELL_RULES,
    SURNAME_FORMS,
)
from bench.screening_eval.variants import typo

_ORG_TYPES = {
    "brigade", "regiment", "battalion", "division", "front", "movement", "network", "association",
    "committee", "fellowship", "legion", "company", "council", "collective", "army", "foundation",
    "trust", "guard", "brotherhood",
}  # fmt: skip
_PATRONYMIC = re.compile(r"(ovich|evich|ovych|ovna|evna|ivna)$")


def generic_respell(rng: random.Random, part: str) -> str:
    """One transliteration habit applied at one place in the part (the part itself when none fits)."""
    lower = part.lower()
    rules = [(old, new) for old, new in RESPELL_RULES if old in lower[1:]]
    if not rules:
        return part
    old, new = rng.choice(rules)
    places = [m.start() for m in re.finditer(re.escape(old), lower) if m.start() > 0]
    at = rng.choice(places)
    out = lower[:at] + new + lower[at + len(old) :]
    return out.capitalize() if part[:1].isupper() else out


def to_cyrillic(text: str) -> str:
    out, lower, i = [], text.lower(), 0
    while i < len(lower):
        for latin, cyrillic in CYRILLIC:
            if lower.startswith(latin, i):
                out.append(cyrillic)
                i += len(latin)
                break
        else:
            out.append(lower[i])
            i += 1
    return "".join(out).title()


def _article_forms(part: str) -> list[str]:
    lower = part.lower()
    if lower.startswith("al-"):
        rest = part[3:]
        return [f"Al{rest.lower()}", f"El {rest}", f"al {rest}", f"El-{rest}", rest]
    if lower.startswith("abd al-"):
        rest = part[7:]
        return [f"Abdul{rest.lower()}", f"Abdel {rest}", f"Abd-al-{rest}", f"Abdul {rest}"]
    if lower.startswith("abdul") and len(part) > 6:
        rest = part[5:]
        return [f"Abd al-{rest.capitalize()}", f"Abdel {rest.capitalize()}", f"Abdul {rest.capitalize()}"]
    return []


def more_person_variants(rng: random.Random, entry: tuple[str, str, str, str, str]) -> list[tuple[str, str]]:
    culture, given, middle, surname, _script = entry
    out: list[tuple[str, str]] = []
    full = " ".join(p for p in (given, middle, surname) if p)
    for form in GIVEN_FORMS.get(given.lower(), [])[:3]:
        out.append(("given_name_family", f"{form} {surname}"))
    for form in SURNAME_FORMS.get(surname.lower(), [])[:3]:
        out.append(("surname_family", f"{given} {form}"))
    if culture == "slavic" and middle and _PATRONYMIC.search(middle.lower()):
        out.append(("patronymic_left_out", f"{generic_respell(rng, given)} {surname}"))
        out.append(("patronymic_left_out", f"{given} {generic_respell(rng, surname)}"))
    if culture == "slavic" and not _script:
        out.append(("other_script", to_cyrillic(full)))
    for part in (given, surname):
        for form in _article_forms(part)[:3]:
            out.append(("article_hyphen", full.replace(part, form, 1)))
    for part in (given, surname):
        if " " in part or "-" in part:
            joined = re.sub(r"[\s-]+", "", part.lower()).capitalize()
            out.append(("joined_parts", full.replace(part, joined, 1)))
    parts = [p for p in (given, middle, surname) if p]
    for _ in range(5):
        target = rng.choice(parts)
        out.append(("transliteration", full.replace(target, generic_respell(rng, target), 1)))
    for _ in range(2):
        respelt = [generic_respell(rng, p) for p in (given, surname)]
        out.append(("transliteration", " ".join(respelt)))
    for _ in range(3):
        target = rng.choice([p for p in parts if len(p) >= 5] or [surname])
        out.append(("typo", full.replace(target, typo(rng, target), 1)))
    out.append(("case_punctuation", f"{surname.upper()} {given}"))
    out.append(("case_punctuation", full.lower().replace(" ", "-", 1)))
    return out


def _replace_word(name: str, word: str, new: str) -> str:
    return re.sub(rf"\b{re.escape(word)}\b", new, name, count=1, flags=re.IGNORECASE)


def _acronym(name: str) -> str:
    words = [w for w in re.split(r"[\s-]+", name) if w.lower() not in {"of", "the", "al", "and"}]
    return "".join(w[0].upper() for w in words)


def more_org_variants(
    rng: random.Random, name: str, aliases: list[str], script: str
) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    bare = re.sub(r"\s*\([^)]*\)\s*$", "", name)
    words = bare.split()
    for word in words:
        for abbreviation in ORG_ABBREVIATIONS.get(word.lower(), [])[:1]:
            out.append(("abbreviation", _replace_word(bare, word, abbreviation)))
        for other in PLACE_SWAPS.get(word.lower(), []):
            swapped = _replace_word(bare, word, "").strip()
            out.append(
                ("uk_gb_britain", f"{swapped} {other}" if other.startswith("of ") else f"{other} {swapped}")
            )
        for other in ORG_TRANSLATIONS.get(word.lower().removeprefix("al-"), [])[:1]:
            out.append(("translation", _replace_word(bare, word, other)))
    acronym = re.search(r"\(([^)]*)\)\s*$", name)
    out.append(("acronym_bracket", f"{bare} ({acronym.group(1) if acronym else _acronym(bare)})"))
    if acronym:
        out.append(("acronym_alone", acronym.group(1)))
    for alias in aliases:
        if alias.isupper():
            out.append(("acronym_alone", alias))
    if script:
        out.append(("other_script", script))
    if len(words) >= 3 and words[-1].lower() in _ORG_TYPES:
        out.append(("reordered", f"{words[-1]} of the {' '.join(words[:-1])}"))
    for _ in range(3):
        target = rng.choice([w for w in words if len(w) >= 5] or words)
        out.append(("typo", bare.replace(target, typo(rng, target), 1)))
    for suffix in (" Ltd", " (UK)", " CIC", " Trust"):
        out.append(("legal_form", bare + suffix))
    out.append(("case_punctuation", bare.upper().replace(" ", "-", 1)))
    return out
