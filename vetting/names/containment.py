"""A listed name within a longer name: the padding evasion ("Darius Velkov" with ordinary words added).

Aligning charges every extra word of the screened name, so enough padding pushes any score below
the threshold. A listed name found whole within a longer one is scored on its own parts instead:
for a person when every part of the listed name (two at least, together weighing the minimum
evidence) is there, written the same or in a known or spelling variant; for an organisation
when all its distinctive parts are there and weigh ``org_containment_weight`` together, so that a
listed name of everyday words inside an ordinary group's name ("Rising Tide" in "Rising Tide
Allotment Society") is left to the whole-name score.
"""

from __future__ import annotations

from vetting.names.compare import INITIAL, Alignment
from vetting.names.index import IndexedName
from vetting.names.weights import ScreeningWeights


def _enough(listed_weights: tuple[float, ...], person: bool, weights: ScreeningWeights) -> bool:
    substantive = [w for w in listed_weights if w > weights.filler_word_weight]
    if person:
        return len(substantive) >= 2 and sum(substantive) >= weights.min_evidence
    return sum(substantive) >= weights.org_containment_weight


def could_contain(listed: IndexedName, mask: int, kind: str, weights: ScreeningWeights) -> bool:
    """Cheap test before aligning: the query parts that found the listed name (``mask``) are
    enough to hold all its distinctive parts (one of them may hold two written as one word)."""
    person = kind == "person"
    if not _enough(listed.weights, person, weights):
        return False
    distinctive = sum(1 for w in listed.weights if w > weights.filler_word_weight)
    found = mask.bit_count()
    return found >= 2 and found >= distinctive - 1


def contained_score(
    alignment: Alignment, listed_weights: tuple[float, ...], person: bool, weights: ScreeningWeights
) -> float | None:
    """The score of the listed name's own parts when it lies whole within a longer screened name
    (None when it does not)."""
    if not alignment.query_only or not alignment.pairs or not _enough(listed_weights, person, weights):
        return None
    if any(
        pair.match.how == INITIAL or pair.match.score < weights.spelling_variant_score
        for pair in alignment.pairs
    ):
        return None  # within a longer name, only parts written the same or in a known variant count
    if any(person or listed_weights[i] > weights.filler_word_weight for i in alignment.candidate_only):
        return None
    matched = sum(pair.weight for pair in alignment.pairs)
    agreement = sum(pair.weight * pair.match.score for pair in alignment.pairs)
    return round(100.0 * agreement / matched, 1) if matched > 0 else None
