"""Upper bounds of a screening score, so that listed names that cannot reach the threshold are skipped
without aligning them."""

from __future__ import annotations

import math
from collections.abc import Callable

from vetting.names.compare import PartCache, compare_cached
from vetting.names.data import NameData
from vetting.names.index import IndexedName
from vetting.names.normalise import NamePart, joined_forms
from vetting.names.weights import ScreeningWeights


def score_ceiling(
    query_weights: dict[str, tuple[float, ...]], initials: int, weights: ScreeningWeights
) -> Callable[..., float]:
    """Upper bound of ``align``'s score for a listed name, from which query parts found it.

    A query part that did not find the name pairs with none of its parts, so at best the
    query parts that found it pair up (a pair never weighs more than its query part) and the
    rest cost at least the cheaper of the missing and disagreeing costs, plus the evidence
    shortfall, as in ``align``. Given the listed name's part weights and how many of its parts
    one pair may take (``per_pair``), its parts that no pair can take are left over too, at
    least its lightest ones, and the two sides' leftovers are charged together as ``align``
    charges them.
    """
    missing, disagreeing = weights.missing_part_cost, weights.disagreeing_part_cost
    memo: dict[tuple[str, int, tuple[float, ...], int, int, float, float], float] = {}

    def left_over(part_weights: tuple[float, ...], person: bool) -> list[float]:
        last = len(part_weights) - 1
        return [
            weight * (weights.middle_name_factor if person and 0 < i < last else 1.0)
            for i, weight in enumerate(part_weights)
        ]

    def ceiling(
        entry_kind: str,
        mask: int,
        listed: tuple[float, ...] = (),
        per_pair: int = 0,
        pairing: int = -1,
        listed_left: float = 0.0,
        listed_pairable: float = math.inf,
    ) -> float:
        # ``listed_left``: the left-over weight of listed parts known to pair with nothing (as
        # ``align`` charges them; 0 when none is known), another lower bound of that side's.
        # ``listed_pairable``: the weight of the listed parts that may pair (a pair weighs no more
        # than its listed parts either): three query parts written together ("Go us ha") may
        # pair with one common listed part.
        key = (entry_kind, mask, listed, per_pair, pairing, listed_left, listed_pairable)
        found = memo.get(key)
        if found is not None:
            return found
        person = entry_kind == "person"
        # An initial pairs only with a listed part of its letter: given the listed name, ``pairing``
        # holds the query's initials that can (the others are left over); by default all can.
        usable = initials & pairing
        covered = mask | usable
        hit = left_q = 0.0
        query_only = False
        spare = left_over(query_weights[entry_kind], person)
        for i, weight in enumerate(spare):
            if covered >> i & 1:
                hit += query_weights[entry_kind][i]
            else:
                left_q += weight
                query_only = True
        if listed:
            # Every pair takes a listed part, so at most len(listed) of the query's initials pair:
            # the others are left over (those costing least when left over, to stay a bound).
            paired_initials = sorted((spare[i], i) for i in range(len(spare)) if usable >> i & 1)
            for weight, i in paired_initials[: max(0, len(paired_initials) - len(listed))]:
                hit -= query_weights[entry_kind][i]
                left_q += weight
                query_only = True
        hit = min(hit, listed_pairable)
        unpaired = max(0, len(listed) - covered.bit_count() * per_pair) if per_pair else 0
        left_c = max(sum(sorted(left_over(listed, person))[:unpaired]), listed_left)
        low, high = min(left_q, left_c), max(left_q, left_c)
        if disagreeing >= missing:
            rest = missing * high + (disagreeing - missing) * low
        else:
            rest = disagreeing * high
        if query_only or unpaired or listed_left:
            rest += weights.evidence_shortfall_cost * max(0.0, weights.min_evidence - hit)
        memo[key] = found = 100.0 * hit / (hit + rest) if hit else 0.0
        return found

    return ceiling


def pairing_elsewhere(
    long_parts: dict[str, list[tuple[int, NamePart, int]]],
    unfound: int,
    listed: IndexedName,
    data: NameData,
    weights: ScreeningWeights,
    cache: PartCache,
) -> int:
    """Bits of the ``unfound`` query parts that match two or three of the listed name's parts
    written as one word, as ``align`` would pair them. The index files such joined forms under
    their exact and spelling keys only, so it misses them written one edit apart (Marialuiza
    for Maria Luisa); single parts it finds within their edit budget.

    ``long_parts`` holds the query parts long enough to be such a word, by first letter, with
    their index and edit budget: only joined forms starting with the part's letter and of a length
    within its budget are compared (cheap cuts; edits rarely change the start). The screener's
    array filter (vetting/names/candidates.py) relies on exactly these two conditions.
    """
    paired = 0
    forms = None
    for start in {part.text[0] for part in listed.parts[:-1]}:
        for i, part, budget in long_parts.get(start, ()):
            size = len(part.text)
            if not unfound >> i & 1:
                continue
            if not listed.joined_lengths >> (size - budget) & ((1 << (2 * budget + 1)) - 1):
                continue
            if forms is None:
                forms = [form for indices, form in joined_forms(listed.parts) if len(indices) > 1]
            if any(
                form.text[0] == start
                and abs(len(form.text) - size) <= budget
                and compare_cached(part, form, data, weights, cache) is not None
                for form in forms
            ):
                paired |= 1 << i
    return paired
