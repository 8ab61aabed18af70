"""Compares two names part by part: pair the parts, score each pair, combine with part weights."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from rapidfuzz.distance import OSA, Indel

from vetting.names.data import NameData
from vetting.names.keys import edit_budget, skeletons, spelling_key
from vetting.names.normalise import ARABIC, NamePart, joined_forms
from vetting.names.weights import ScreeningWeights

EXACT = "exact"
TRANSLITERATION = "transliteration"
KNOWN_VARIANT = "known variant"
SPELLING_VARIANT = "spelling variant"
INITIAL = "initial"

# Two Latin spellings with the same skeleton must also look alike (Hassan and Hussein do not).
_MIN_SKELETON_SIMILARITY = 0.7


@dataclass(frozen=True, slots=True)
class PartMatch:
    how: str
    score: float


def compare_parts(
    query: NamePart, candidate: NamePart, data: NameData, weights: ScreeningWeights
) -> PartMatch | None:
    """How ``query`` agrees with ``candidate`` (None when they are different names)."""
    q, c = query.text, candidate.text
    crossed = query.script != candidate.script
    if q == c:
        return PartMatch(TRANSLITERATION if crossed else EXACT, 1.0)
    if len(q) == 1 or len(c) == 1:
        if q[0] == c[0]:
            return PartMatch(INITIAL, weights.initial_score)
        return None
    classes = data.classes_of(q)
    if classes and classes & data.classes_of(c):  # most parts are in no class: one look-up
        return PartMatch(KNOWN_VARIANT, weights.known_variant_score)
    key_q, key_c = spelling_key(q), spelling_key(c)
    if key_q == key_c:
        return PartMatch(TRANSLITERATION if crossed else SPELLING_VARIANT, weights.spelling_variant_score)
    arabic = query.script == ARABIC or candidate.script == ARABIC
    shorter = min(len(q), len(c))
    budget = edit_budget(shorter)
    if (
        not (arabic and crossed)
        and 2 * shorter < _MIN_SKELETON_SIMILARITY * (len(q) + len(c))
        and abs(len(q) - len(c)) > budget
        and abs(len(key_q) - len(key_c)) > budget
    ):
        # Too different in length for the skeleton test (its similarity needs about this much
        # overlap) or the edit budget, on the text or the spelling key: cheaply no match.
        return None
    if arabic and crossed:
        # Short skeletons are allowed here: Arabic script writes Ziad, Nour, Saleh in 2-3 consonants.
        if skeletons(q, query.script == ARABIC) & skeletons(c, candidate.script == ARABIC):
            return PartMatch(TRANSLITERATION, weights.transliteration_score)
    elif (
        any(len(shared) >= 3 for shared in skeletons(q, False) & skeletons(c, False))
        and Indel.normalized_similarity(q, c) >= _MIN_SKELETON_SIMILARITY
    ):
        return PartMatch(TRANSLITERATION if crossed else SPELLING_VARIANT, weights.transliteration_score)
    if budget:
        distance = min(
            OSA.distance(q, c, score_cutoff=budget), OSA.distance(key_q, key_c, score_cutoff=budget)
        )
        if distance <= budget:
            score = max(0.0, 1.0 - weights.edit_cost * distance / shorter)
            return PartMatch(TRANSLITERATION if crossed else SPELLING_VARIANT, score)
    return None


# One screening's comparisons, by (query text, script, listed text, script): all that
# ``compare_parts`` reads (a tuple of strings hashes faster than one of two dataclasses).
PartCache = dict[tuple[str, str, str, str], PartMatch | None]
_MISSING: Final = PartMatch("", 0.0)


def compare_cached(
    query: NamePart, candidate: NamePart, data: NameData, weights: ScreeningWeights, cache: PartCache
) -> PartMatch | None:
    """``compare_parts`` through a cache shared by one screening's comparisons."""
    key = (query.text, query.script, candidate.text, candidate.script)
    found = cache.get(key, _MISSING)
    if found is _MISSING:
        found = cache[key] = compare_parts(query, candidate, data, weights)
    return found


def part_weight(text: str, organisation: bool, data: NameData, weights: ScreeningWeights) -> float:
    """How much agreement on this part says: common parts and filler words say little."""
    if text in (data.org_filler_words if organisation else data.name_particles):
        return weights.filler_word_weight
    if len(text) == 1:
        return weights.initial_weight
    if not organisation and data.is_patronymic(text):
        return weights.patronymic_weight
    base = data.part_weights.get(text)
    if organisation and text in data.org_word_weights:
        base = min(base or 1.0, data.org_word_weights[text])
    if base is None:
        base = data.part_weights.get(spelling_key(text), 1.0)
    return 1.0 - weights.term_frequency_strength * (1.0 - base)


@dataclass(frozen=True, slots=True)
class PairedParts:
    query: tuple[int, ...]  # indices of query parts (two when joined: "abdul rahman")
    candidate: tuple[int, ...]
    match: PartMatch
    weight: float


@dataclass(frozen=True, slots=True)
class Alignment:
    score: float  # 0-100
    pairs: tuple[PairedParts, ...]
    query_only: tuple[int, ...]  # parts of the query nothing matched
    candidate_only: tuple[int, ...]
    disagreeing: bool  # both names have unmatched parts


def _unmatched_weight(
    indices: tuple[int, ...], part_weights: tuple[float, ...], person: bool, weights: ScreeningWeights
) -> float:
    # Middle names (neither first nor last) are often left out, so missing them says less.
    last = len(part_weights) - 1
    return sum(
        part_weights[i] * (weights.middle_name_factor if person and 0 < i < last else 1.0) for i in indices
    )


def align(
    query: tuple[NamePart, ...],
    query_weights: tuple[float, ...],
    candidate: tuple[NamePart, ...],
    candidate_weights: tuple[float, ...],
    data: NameData,
    weights: ScreeningWeights,
    cache: PartCache,
    person: bool = True,
    query_forms: list[tuple[tuple[int, ...], NamePart]] | None = None,
) -> Alignment:
    """Pair parts greedily, best agreement first, then score; word order plays no part.

    ``query_forms`` is ``joined_forms(query)``, when the caller aligns one query many times.
    """
    options: list[tuple[float, int, float, tuple[int, ...], tuple[int, ...], PartMatch]] = []
    candidate_forms = [
        (c_idx, c_part, len(c_idx) > 1, sum(candidate_weights[i] for i in c_idx))
        for c_idx, c_part in joined_forms(candidate)
    ]
    for q_idx, q_part in joined_forms(query) if query_forms is None else query_forms:
        q_joined, q_initial = len(q_idx) > 1, len(q_part.text) == 1
        q_weight = sum(query_weights[i] for i in q_idx)
        for c_idx, c_part, c_joined, c_weight in candidate_forms:
            if q_joined and (c_joined or len(c_part.text) == 1):
                continue  # an initial stands for one part, not two written as one
            if c_joined and q_initial:
                continue
            key = (q_part.text, q_part.script, c_part.text, c_part.script)
            found = cache.get(key, _MISSING)
            if found is _MISSING:
                found = cache[key] = compare_parts(q_part, c_part, data, weights)
            if found is None:
                continue
            weight = min(q_weight, c_weight)
            options.append((found.score, len(q_idx) + len(c_idx), weight, q_idx, c_idx, found))
    options.sort(key=lambda option: (option[0], option[1], option[2]), reverse=True)
    used_q: set[int] = set()
    used_c: set[int] = set()
    pairs: list[PairedParts] = []
    for _score, _size, weight, q_idx, c_idx, found in options:
        if used_q.intersection(q_idx) or used_c.intersection(c_idx):
            continue
        used_q.update(q_idx)
        used_c.update(c_idx)
        pairs.append(PairedParts(q_idx, c_idx, found, weight))
    query_only = tuple(i for i in range(len(query)) if i not in used_q)
    candidate_only = tuple(i for i in range(len(candidate)) if i not in used_c)
    left_q = _unmatched_weight(query_only, query_weights, person, weights)
    left_c = _unmatched_weight(candidate_only, candidate_weights, person, weights)
    matched = sum(pair.weight for pair in pairs)
    agreement = sum(pair.weight * pair.match.score for pair in pairs)
    # Agreement on initials or filler words alone is no match, unless that is all either name has.
    substantive = any(
        pair.match.how != INITIAL and pair.weight > weights.filler_word_weight for pair in pairs
    ) or (
        bool(pairs) and not query_only and not candidate_only and all(p.match.how != INITIAL for p in pairs)
    )
    disagree = min(left_q, left_c)
    missing = max(left_q, left_c) - disagree
    denominator = matched + weights.disagreeing_part_cost * disagree + weights.missing_part_cost * missing
    if query_only or candidate_only:
        # Agreeing only on very common parts (Mohammed Khan) while other parts are unmatched is weak evidence.
        denominator += weights.evidence_shortfall_cost * max(0.0, weights.min_evidence - matched)
    score = 100.0 * agreement / denominator if substantive and denominator > 0 else 0.0
    return Alignment(
        score=round(score, 1),
        pairs=tuple(pairs),
        query_only=query_only,
        candidate_only=candidate_only,
        disagreeing=bool(query_only) and bool(candidate_only),
    )
