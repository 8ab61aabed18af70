"""A listed name within a longer name: the padding evasion ("Darius Velkov" with ordinary words added).

Aligning charges every extra word of the screened name, so enough padding pushes any score below
the threshold. A listed name found whole within a longer one is scored on its own parts instead:

* for a person, when every part of the listed name (two at least, together weighing the minimum
  evidence) is there, written the same or in a known or spelling variant, in any order;
* for an organisation, when all its distinctive parts are there, in its order and side by side
  (fillers aside), and weigh ``org_containment_weight`` together. A listed name of everyday words
  inside an ordinary group's name ("Rising Tide" in "Rising Tide Allotment Society") is left to the
  whole-name score, where the extra words count against it;
* for either, whatever the weight, when ``padding_words`` or more substantive words surround it:
  names of real groups and people rarely wrap another's whole name in so many words, and that is
  what the padding evasion does.
"""

from __future__ import annotations

import functools

from vetting.names.compare import INITIAL, Alignment, PartCache, align
from vetting.names.data import NameData
from vetting.names.index import IndexedName
from vetting.names.normalise import NamePart
from vetting.names.weights import ScreeningWeights


# Listed names repeat a few weight patterns: both tests below are worked out once per pattern
# (a screening may ask them of a thousand names).
@functools.lru_cache(maxsize=8192)
def _substantive_at(part_weights: tuple[float, ...], filler: float) -> tuple[int, ...]:
    return tuple(i for i, w in enumerate(part_weights) if w > filler)


def _substantive(part_weights: tuple[float, ...], weights: ScreeningWeights) -> tuple[int, ...]:
    return _substantive_at(part_weights, weights.filler_word_weight)


@functools.lru_cache(maxsize=8192)
def _enough_at(
    listed_weights: tuple[float, ...], person: bool, filler: float, min_evidence: float, org_weight: float
) -> bool:
    substantive = [listed_weights[i] for i in _substantive_at(listed_weights, filler)]
    if person:
        return len(substantive) >= 2 and sum(substantive) >= min_evidence
    return sum(substantive) >= org_weight


def _enough(listed_weights: tuple[float, ...], person: bool, weights: ScreeningWeights) -> bool:
    filler, evidence = weights.filler_word_weight, weights.min_evidence
    return _enough_at(listed_weights, person, filler, evidence, weights.org_containment_weight)


@functools.lru_cache(maxsize=8192)
def _findable_parts(
    listed_weights: tuple[float, ...],
    person: bool,
    query_length: int,
    filler: float,
    min_evidence: float,
    org_weight: float,
    padding_words: int,
) -> tuple[int, ...] | None:
    """The distinctive parts of a listed name with these weights when its weights allow finding it
    within a query of ``query_length`` parts (None when they do not)."""
    if query_length <= len(listed_weights):
        return None
    substantive = _substantive_at(listed_weights, filler)
    if len(substantive) < 2:
        return None
    padded = query_length - len(substantive) >= padding_words
    if not padded and not _enough_at(listed_weights, person, filler, min_evidence, org_weight):
        return None
    return substantive


def could_contain(
    listed: IndexedName, mask: int, kind: str, query_length: int, matched: set[str], weights: ScreeningWeights
) -> bool:
    """Cheap test before aligning: every distinctive part of the listed name (alone or written
    together with a neighbour) is among the listed parts the query matched (``matched``), and the
    query parts that found the name (``mask``) are as many."""
    substantive = _findable_parts(
        listed.weights, kind == "person", query_length, weights.filler_word_weight, weights.min_evidence,
        weights.org_containment_weight, weights.padding_words,
    )  # fmt: skip
    if substantive is None or mask.bit_count() < len(substantive):
        return False
    parts = listed.parts
    for i in substantive:
        if parts[i].text in matched:
            continue
        texts = [part.text for part in parts[max(0, i - 1) : i + 2]]
        at = min(i, 1)  # the part's place among ``texts``
        if "".join(texts[: at + 1]) not in matched and "".join(texts[at:]) not in matched:
            return False
    return True


def _side_by_side(alignment: Alignment, query_weights: tuple[float, ...], weights: ScreeningWeights) -> bool:
    """The paired query parts follow the listed name's order with nothing but fillers between them."""
    ordered = sorted(alignment.pairs, key=lambda pair: pair.candidate[0])
    spans = [index for pair in ordered for index in pair.query]
    if spans != sorted(spans):
        return False
    between = range(spans[0], spans[-1] + 1)
    return all(i in spans or query_weights[i] <= weights.filler_word_weight for i in between)


def contained_score(
    alignment: Alignment,
    query_weights: tuple[float, ...],
    listed_weights: tuple[float, ...],
    person: bool,
    weights: ScreeningWeights,
) -> float | None:
    """The score of the listed name's own parts when it lies whole within a longer screened name
    (None when it does not)."""
    if not alignment.query_only or not alignment.pairs:
        return None
    around = sum(1 for i in alignment.query_only if query_weights[i] > weights.filler_word_weight)
    if around < weights.padding_words and not _enough(listed_weights, person, weights):
        return None
    if len(_substantive(listed_weights, weights)) < 2:
        return None
    if any(
        pair.match.how == INITIAL or pair.match.score < weights.spelling_variant_score
        for pair in alignment.pairs
    ):
        return None  # within a longer name, only parts written the same or in a known variant count
    if any(person or listed_weights[i] > weights.filler_word_weight for i in alignment.candidate_only):
        return None
    if not person and not _side_by_side(alignment, query_weights, weights):
        return None
    matched = sum(pair.weight for pair in alignment.pairs)
    agreement = sum(pair.weight * pair.match.score for pair in alignment.pairs)
    return round(100.0 * agreement / matched, 1) if matched > 0 else None


def within_window(
    query: tuple[NamePart, ...],
    query_weights: tuple[float, ...],
    listed: IndexedName,
    mask: int,
    data: NameData,
    weights: ScreeningWeights,
    cache: PartCache,
    person: bool,
    threshold: float,
) -> tuple[float, Alignment, int, int] | None:
    """The listed name side by side within the query when pairing the whole query took a word of the
    padding instead ("... Crescent Tenants Crimson Crescent Front ..."): the best run of the query
    as long as the listed name (or one longer) that matches it, with its start and end. Only runs
    whose substantive parts all found the listed name (``mask``) are aligned."""
    size = len(listed.parts)
    best: tuple[float, Alignment, int, int] | None = None
    for length in (size, size + 1):
        for start in range(len(query) - length + 1):
            end = start + length
            if any(
                not mask >> i & 1 and query_weights[i] > weights.filler_word_weight for i in range(start, end)
            ):
                continue
            around = sum(
                1
                for i, w in enumerate(query_weights)
                if not start <= i < end and w > weights.filler_word_weight
            )
            if around == 0 or (
                around < weights.padding_words and not _enough(listed.weights, person, weights)
            ):
                continue
            found = align(
                query[start:end], query_weights[start:end], listed.parts, listed.weights,
                data, weights, cache, person=person,
            )  # fmt: skip
            close = all(
                pair.match.how != INITIAL and pair.match.score >= weights.spelling_variant_score
                for pair in found.pairs
            )
            if close and found.score >= threshold and (best is None or found.score > best[0]):
                best = (found.score, found, start, end)
    return best
