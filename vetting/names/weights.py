"""The tunable weights of the matcher; a policy's ``[screening.weights]`` table maps onto the fields."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True, slots=True)
class ScreeningWeights:
    """How much each kind of part agreement counts. Scores are fractions of 1; the result is 0-100."""

    known_variant_score: float = 0.95  # same name in another spelling or language (data file)
    spelling_variant_score: float = 0.92  # same spelling key (ou/u, y/i, doubled letters...)
    transliteration_score: float = 0.92  # same consonant skeleton (Arabic without short vowels)
    initial_score: float = 0.8  # an initial against a name starting with it
    edit_cost: float = 1.0  # each edit costs this fraction of the shorter part's length
    missing_part_cost: float = 0.25  # a part only one name has, relative to its weight
    middle_name_factor: float = 0.5  # a person's middle part (neither first nor last) counts this much
    disagreeing_part_cost: float = 1.0  # parts both names have but that do not agree
    min_evidence: float = 0.8  # matched weight below which a partial match is doubtful (common parts only)
    evidence_shortfall_cost: float = (
        0.5  # cost per unit of weight short of min_evidence, when parts are unmatched
    )
    patronymic_weight: float = 0.5  # an East Slavic patronymic (Petrovich), often left out or respelt
    initial_weight: float = 0.3  # weight of a one-letter part
    filler_word_weight: float = 0.08  # weight of legal forms and filler words in organisation names
    # A listed organisation name found within a longer name is referred when its distinctive parts
    # (above filler weight) weigh at least this much together: "Crimson Crescent Front Leeds Youth
    # Branch" is referred, while "Rising Tide" (two everyday words) within "Rising Tide Allotment
    # Society" is not, unless the whole names match.
    org_containment_weight: float = 1.5
    # A listed name within this many other substantive words is referred whatever its weight
    # (the padding evasion); fewer extra words are left to the whole-name score.
    padding_words: float = 4.0
    term_frequency_strength: float = 1.0  # 0 ignores how common a part is, 1 uses the data file fully
    # A match on an alias the list marks as low quality scores this fraction; 0 does not screen them.
    weak_alias_factor: float = 0.9

    @classmethod
    def from_mapping(cls, values: dict[str, Any]) -> ScreeningWeights:
        """Build from a policy table; unknown keys are an error so that typos do not pass silently."""
        known = {field.name for field in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"unknown screening weights: {', '.join(unknown)}")
        built = cls(**{name: float(value) for name, value in values.items()})
        if not 0.0 <= built.weak_alias_factor <= 1.0:
            raise ValueError("weak_alias_factor must be between 0 and 1")
        return built
