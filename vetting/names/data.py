"""Loads the name data files shipped in ``vetting/data`` (equivalences, term weights, org words)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from vetting.names.keys import spelling_key

# Files of equivalence classes, one class per line; together they make one set of classes.
_CLASS_FILES = (
    "given_name_equivalents.txt",
    "surname_families.txt",
    "org_translations.txt",
    "place_equivalents.txt",
)
_TA_MARBUTA = "\u0629"


@dataclass(frozen=True, slots=True)
class NameData:
    """Reference data the matcher consults; loaded once, never mutated (safe to share across threads)."""

    equivalence_classes: dict[str, frozenset[int]]
    part_weights: dict[str, float]
    org_filler_words: frozenset[str]
    name_particles: frozenset[str]
    abbreviations: dict[str, str]
    org_word_weights: dict[str, float]  # everyday words of organisation names (org_common_words.csv)
    # Classes by spelling key too, so that a spelling the file does not list (Yevgeni) still joins
    # the class of the spellings it does (Yevgeny).
    key_classes: dict[str, frozenset[int]]
    patronymic_suffixes: tuple[str, ...]

    def classes_of(self, part: str) -> frozenset[int]:
        direct = self.equivalence_classes.get(part, frozenset())
        by_key = self.key_classes.get(spelling_key(part))
        return direct | by_key if by_key else direct

    def is_patronymic(self, part: str) -> bool:
        return len(part) >= 7 and part.endswith(self.patronymic_suffixes)


def _lines(name: str) -> list[str]:
    text = resources.files("vetting.data").joinpath(name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def _csv_rows(name: str) -> list[list[str]]:
    rows = list(csv.reader(_lines(name)))
    return [[cell.strip() for cell in row] for row in rows[1:]]  # first line is the header


def _ascii_part(text: str) -> str:
    # Imported lazily: normalise imports this module for its abbreviations.
    from vetting.names.normalise import fold_part

    return fold_part(text)


@cache
def load_name_data() -> NameData:
    """The bundled reference data (cached; the result is immutable)."""
    classes: dict[str, set[int]] = {}
    lines = [line for name in _CLASS_FILES for line in _lines(name)]
    for number, line in enumerate(lines):
        for raw in line.split(","):
            raw = raw.strip()
            # Ta marbuta is read t before another word (Jabhat al-...), as normalisation reads it.
            spellings = [raw, raw[:-1] + "\u062a"] if raw.endswith(_TA_MARBUTA) else [raw]
            for spelling in spellings:
                for part in _ascii_part(spelling).split():
                    classes.setdefault(part, set()).add(number)
    key_classes: dict[str, set[int]] = {}
    for part, ids in classes.items():
        if len(part) >= 4:  # short keys would join unrelated names (Ed, Al)
            key_classes.setdefault(spelling_key(part), set()).update(ids)
    weights: dict[str, float] = {}
    for part, weight in _csv_rows("common_name_parts.csv"):
        key = _ascii_part(part)
        weights[key] = min(float(weight), weights.get(key, 1.0))
    # A spelling variant of a common name is as common as the name itself.
    by_class: dict[int, float] = {}
    for part, ids in classes.items():
        if part in weights:
            for class_id in ids:
                by_class[class_id] = min(by_class.get(class_id, 1.0), weights[part])
    for part, ids in classes.items():
        inherited = min((by_class.get(class_id, 1.0) for class_id in ids), default=1.0)
        weights[part] = min(weights.get(part, 1.0), inherited)
    fillers = frozenset(_ascii_part(row[0]) for row in _csv_rows("org_terms.csv"))
    particles = frozenset(_ascii_part(line) for line in _lines("name_particles.txt"))
    abbreviations = {row[0].lower(): row[1].lower() for row in _csv_rows("org_abbreviations.csv")}
    return NameData(
        equivalence_classes={part: frozenset(ids) for part, ids in classes.items()},
        part_weights=weights,
        org_filler_words=fillers,
        name_particles=particles,
        abbreviations=abbreviations,
        key_classes={key: frozenset(ids) for key, ids in key_classes.items()},
        patronymic_suffixes=tuple(_ascii_part(line) for line in _lines("patronymic_suffixes.txt")),
        org_word_weights={_ascii_part(row[0]): float(row[1]) for row in _csv_rows("org_common_words.csv")},
    )
