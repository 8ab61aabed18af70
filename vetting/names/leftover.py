"""A last test before aligning a listed name (issue 21, p99): which of its parts the query surely
leaves unpaired, charged as ``align`` charges them (a part of the screener, kept apart for size).

The other bounds (bounds.py, pruning.py) know which query parts found a listed name but, of the
name's own parts, only how many are left over, so they charge its lightest ones. Common parts
weigh little: a name found through a common part and a filler word (Recu ... Movement) then looks
in reach while its distinctive part, which nothing in the query matches, is what keeps it out.
This names those parts: one that no query part or run of query parts written together matched in
the index (``matched``), that no query initial starts, and that is in no run of its parts written
together that a query part matches. Like the other bounds it relies on the index finding every
listed part that a query part, or query parts written together, match; the runs of its own parts
are compared here, through the cache ``align`` shares, so no gap of the index there matters.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import numpy as np
import numpy.typing as npt

from vetting.names.candidates import NameArrays, initial_bit, spread
from vetting.names.compare import PartCache
from vetting.names.data import NameData
from vetting.names.index import IndexedName, NameIndex
from vetting.names.kept import Kept
from vetting.names.normalise import NamePart
from vetting.names.pruning import joined_form_pairs
from vetting.names.reach import MANY, JoinedMemo, RunIds, joined_matches
from vetting.names.weights import ScreeningWeights


def surely_below(
    query: tuple[NamePart, ...],
    index: NameIndex,
    name_id: int,
    listed: IndexedName,
    mask: int,
    matched: set[str],
    absorbing: Callable[[], list[tuple[int, frozenset[tuple[str, str]]]]],
    ceiling: Callable[..., float],
    entry_kind: str,
    bar: float,
    data: NameData,
    weights: ScreeningWeights,
    cache: PartCache,
    joined: Callable[[int], bool] | None = None,
) -> bool:
    """True when ``align`` surely scores the listed name below ``bar`` (the threshold less rounding)."""
    unpaired, covered = unpaired_parts(query, listed, mask, matched, absorbing)
    if not unpaired:
        return False
    person = entry_kind == "person"
    last = len(listed.parts) - 1
    left = sum(
        listed.weights[i] * (weights.middle_name_factor if person and 0 < i < last else 1.0) for i in unpaired
    )
    # The parts that may pair weigh the rest: a pair weighs no more than its listed parts.
    pairable = sum(listed.weights) - sum(listed.weights[i] for i in unpaired)
    if ceiling(entry_kind, covered, (), 0, 0, left, pairable) >= bar:
        return False
    # Out of reach unless one of its runs written together pairs with a query part (which would
    # pair the run's parts and perhaps a query part that found nothing): compare them, as align does.
    # Its runs are in the index already (``NameIndex.joined``: every run ``joined_forms`` makes of
    # its parts); align pairs them with single query parts other than initials.
    if joined is not None:
        return not joined(name_id)
    singles = [part for part in query if len(part.text) > 1]
    return not joined_form_pairs(index, name_id, singles, data, weights, cache)


def unpaired_parts(
    query: tuple[NamePart, ...],
    listed: IndexedName,
    mask: int,
    matched: set[str],
    absorbing: Callable[[], list[tuple[int, frozenset[tuple[str, str]]]]],
) -> tuple[list[int], int]:
    """The listed name's parts that no query part, query initial or run of query parts written
    together pairs with (as the index found them), and the bits of the query parts that may pair
    with its other parts. A part here may still pair as one of the name's own runs written
    together (``JoinedForms`` tells)."""
    letters = {part.text for part in query if len(part.text) == 1}
    unpaired = [
        i
        for i, part in enumerate(listed.parts)
        if len(part.text) > 1 and part.text not in matched and part.text[0] not in letters
    ]
    if not unpaired:
        return [], mask
    # Query parts that may pair: those that found the name, initials of one of its letters, and
    # runs written together that match one of its parts (these may take the run's parts).
    initials = {part.text[0] for part in listed.parts}
    covered = mask | sum(
        1 << i for i, part in enumerate(query) if len(part.text) == 1 and part.text in initials
    )
    listed_parts = {(part.text, part.script) for part in listed.parts}
    for bits, parts in absorbing():
        if not parts.isdisjoint(listed_parts):
            covered |= bits
            # The run's matches are listed parts too, and may not be in ``matched``.
            unpaired = [i for i in unpaired if (listed.parts[i].text, listed.parts[i].script) not in parts]
    return unpaired, covered


class _Unknown:
    """A shape not worked out yet (``Shape``)."""


UNKNOWN: Final = _Unknown()
# What ``shape_of`` answers, or UNKNOWN before it is asked.
Shape = tuple[object, ...] | None | _Unknown


def absorbed_parts(
    absorbing: Callable[[], list[tuple[int, frozenset[tuple[str, str]]]]],
) -> Callable[[], frozenset[tuple[str, str]]]:
    """All the listed parts that runs of query parts written together match (``absorbing``),
    worked out when first asked (most screenings never ask)."""
    union: list[frozenset[tuple[str, str]]] = []

    def absorbed() -> frozenset[tuple[str, str]]:
        if not union:
            union.append(frozenset().union(*(parts for _, parts in absorbing())))
        return union[0]

    return absorbed


def shape_of(
    letters: frozenset[str],
    absorbed: Callable[[], frozenset[tuple[str, str]]],
    name_id: int,
    listed: IndexedName,
    matched: set[str],
    joined: Callable[[int], bool],
) -> tuple[object, ...] | None:
    """What ``align`` reads of the listed name, when some of its parts pair with nothing: its parts
    with those left out (None), or kept as their first letter when only a query initial (one of
    ``letters``) can pair with them, and its part weights. Names of one shape align alike; None
    when the name has no such part, or when one of its parts written together pairs with a query
    part. A part pairs with nothing when it is longer than a letter, no query part matched it
    (``matched``) and no run of query parts written together does (``absorbed``: all the listed
    parts ``absorbing`` gives, asked for when needed; as ``unpaired_parts`` with its initials)."""
    parts = listed.parts
    unpaired = [i for i, part in enumerate(parts) if len(part.text) > 1 and part.text not in matched]
    if unpaired:  # asked only then: the runs of the query are looked up in the index
        taken = absorbed()
        unpaired = [i for i in unpaired if (parts[i].text, parts[i].script) not in taken]
    if not unpaired or joined(name_id):
        return None
    shape: list[object] = list(parts)
    for i in unpaired:
        first = parts[i].text[0]
        shape[i] = first if first in letters else None
    return tuple(shape), listed.weights


class JoinedForms:
    """Per listed name of one screening: whether one of its parts written together matches a query
    part of two letters or more (``surely_below``'s last test), for many names at once.

    A query with a common part sends hundreds of names to that test, each with several joined
    forms: compared one by one that was most of the slowest screenings' time (issue 21, p99). The
    first few names asked are compared one by one, as before; after that, the names of ``order``
    (the candidates in the order the screener judges them) from the one asked onwards are decided
    together by ``reach.joined_matches`` (length tests on the saved per-form facts, then one C
    call of Indel distances, then ``compare_parts`` on what is left), in chunks that double, so
    no more than about twice the names needed are ever worked out.
    """

    _ONE_BY_ONE = 8
    _FIRST_CHUNK = 32

    def __init__(
        self,
        order: npt.NDArray[np.int64],
        query: tuple[NamePart, ...],
        index: NameIndex,
        arrays: NameArrays,
        data: NameData,
        weights: ScreeningWeights,
        cache: PartCache,
        memo: JoinedMemo | None = None,
    ) -> None:
        self._order, self._index, self._arrays, self._memo = order, index, arrays, memo
        self._data, self._weights, self._cache = data, weights, cache
        self._singles = [part for part in query if len(part.text) > 1]
        self._known: dict[int, bool] = {}
        self._asked = 0
        self._chunk = self._FIRST_CHUNK

    def __call__(self, name_id: int) -> bool:
        known = self._known.get(name_id)
        if known is not None:
            return known
        self._asked += 1
        if self._asked <= self._ONE_BY_ONE:
            found = joined_form_pairs(
                self._index, name_id, self._singles, self._data, self._weights, self._cache
            )
            self._known[name_id] = found
            return found
        at = np.flatnonzero(self._order == name_id)
        start = int(at[0]) if len(at) else 0
        chunk = self._order[start : start + self._chunk] if len(at) else np.array([name_id], dtype=np.int64)
        chunk = chunk[[int(name) not in self._known for name in chunk.tolist()]]
        self._chunk *= 2
        hits = joined_matches(
            self._arrays, chunk, self._singles, self._index.vocabulary, self._data, self._weights, self._memo
        )
        self._known.update(zip(chunk.tolist(), hits.tolist(), strict=True))
        return self._known[name_id]


def below_in_bulk(
    arrays: NameArrays,
    kept: Kept,
    *,
    query: tuple[NamePart, ...],
    everything: int,
    matched: Callable[[], set[str]],
    runs: RunIds,
    ceiling: Callable[..., float],
    bar: float,
    index: NameIndex,
    data: NameData,
    weights: ScreeningWeights,
    memo: JoinedMemo | None = None,
) -> Kept:
    """``kept`` without names ``surely_below`` would drop, decided for all at once, among those
    the screener sends straight to it: found without ``extra`` and surely not looked for within
    the query (``_cannot_contain``). A common part beside initials that start many names' parts
    ("Steefai m r s") sent 1,800 names to it one by one, and the same part written in pieces
    ("Go us ha m r": the run "gousha" found 11,890 names) sent all of them (issue 21, worst
    case): here their parts' vocabulary ids, weights and first letters are arrays, and the runs
    of query parts that match some of them (``runs``) are counted as ``unpaired_parts``
    counts them. What is unsure is kept, for the screener's own tests. (A name that the
    screener's fallback, ``bounds.pairing_elsewhere``, would find through a left-over query part
    written as its parts together is kept by the last test here, which compares every joined
    form of its parts with every query part.)"""
    if len(kept) < MANY or everything.bit_length() > 63 or not len(arrays.part_vocabulary):
        return kept
    picked = np.flatnonzero(kept.plain())
    if len(picked) < MANY:
        return kept
    names, masks = kept.names[picked], kept.masks[picked].astype(np.uint64)
    owner, place, parts = _parts(arrays, names)
    matched_ids = [v for text in matched() for v in index.text_ids(text)]
    unmatched = (arrays.lengths[parts] > 1) & ~np.isin(parts, matched_ids)
    # A name with fewer parts than the query, found by two query parts or more, may be looked for
    # within it (``could_contain``): not when one of its distinctive parts is surely not there.
    within = (arrays.sizes[names] < len(query)) & (np.bitwise_count(masks) >= 2)
    if within.any():
        within &= ~_cannot_contain(arrays, names, owner, place, parts, unmatched, matched_ids, weights)
    below = _left_below(
        arrays, names, masks, owner, place, parts, unmatched, query, runs, ceiling, bar, weights
    )
    below &= ~within
    if below.any():
        # ... unless one of its runs of parts written together pairs with a query part.
        singles = [part for part in query if len(part.text) > 1]
        at = np.flatnonzero(below)
        below[at] = ~joined_matches(arrays, names[at], singles, index.vocabulary, data, weights, memo)
    if not below.any():
        return kept
    dropped = np.zeros(len(kept), dtype=np.bool_)
    dropped[picked[below]] = True
    return kept.only(~dropped)


def _parts(
    arrays: NameArrays, names: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The names' parts, one name after another: whose (position in ``names``), place in the
    name, and vocabulary id."""
    owner, place, at = spread(arrays.part_starts[names], arrays.sizes[names])
    return owner, place, arrays.part_vocabulary[at].astype(np.int64)


def _part_weights(
    arrays: NameArrays,
    names: npt.NDArray[np.int64],
    owner: npt.NDArray[np.int64],
    place: npt.NDArray[np.int64],
) -> npt.NDArray[np.float64]:
    weight_at = arrays.weight_starts[arrays.weight_ids[names]].astype(np.int64)
    found: npt.NDArray[np.float64] = arrays.weight_values[weight_at[owner] + place]
    return found


def _cannot_contain(
    arrays: NameArrays,
    names: npt.NDArray[np.int64],
    owner: npt.NDArray[np.int64],
    place: npt.NDArray[np.int64],
    parts: npt.NDArray[np.int64],
    unmatched: npt.NDArray[np.bool_],
    matched_ids: list[int],
    weights: ScreeningWeights,
) -> npt.NDArray[np.bool_]:
    """Per name: surely not found within the query (``could_contain`` False), for a distinctive
    part (weighing more than a filler word) that no query part matched, alone or written together
    with a neighbour: the latter told conservatively, by none of its joined forms being matched."""
    distinctive = _part_weights(arrays, names, owner, place) > weights.filler_word_weight
    missing = np.zeros(len(names), dtype=np.bool_)
    missing[owner[distinctive & unmatched]] = True
    if matched_ids:
        whose, forms = arrays.joined_of(names)
        missing[whose[np.isin(forms, matched_ids)]] = False
    return missing


def _left_below(
    arrays: NameArrays,
    names: npt.NDArray[np.int64],
    masks: npt.NDArray[np.uint64],
    owner: npt.NDArray[np.int64],
    place: npt.NDArray[np.int64],
    parts: npt.NDArray[np.int64],
    unmatched: npt.NDArray[np.bool_],
    query: tuple[NamePart, ...],
    runs: RunIds,
    ceiling: Callable[..., float],
    bar: float,
    weights: ScreeningWeights,
) -> npt.NDArray[np.bool_]:
    """Per name: whether its parts that surely pair with nothing (``unpaired_parts``: of two
    letters or more, not matched, starting as no query initial, matched by no run of query parts
    written together) keep it under ``bar``, as ``surely_below`` charges them (middle names of a
    person at their factor)."""
    # A first character kept as its low byte: another character sharing it counts as an initial's
    # letter too (so fewer parts are unpaired, never more).
    initials = [part.text for part in query if len(part.text) == 1]
    lettered = np.isin(arrays.first_letters[parts], [ord(text) & 0xFF for text in initials])
    unpaired = unmatched & ~lettered
    # Parts only a query initial can pair with: as a pair they weigh no more than a one-letter part
    # (``part_weight``), however much the part itself weighs.
    only_initial = unmatched & lettered
    # The query's initials that may pair with one of its parts (by first letter) cover their bits.
    covered = masks.copy()
    for i, part in enumerate(query):
        if len(part.text) == 1:
            starts = (arrays.part_letters[names] & np.uint64(initial_bit(part.text))) != 0
            covered |= starts.astype(np.uint64) << np.uint64(i)
    # So do runs of query parts matching one of its parts, which then pairs: the parts any run
    # matches found in one pass, each run's among those few.
    taken = np.flatnonzero(np.isin(parts, [v for _, ids in runs() for v in ids]))
    if len(taken):
        unpaired[taken] = False
        only_initial[taken] = False
        for bits, ids in runs():
            holding = np.zeros(len(names), dtype=np.bool_)
            holding[owner[taken[np.isin(parts[taken], ids)]]] = True
            covered[holding] |= np.uint64(bits)
    sizes = arrays.sizes[names].astype(np.int64)
    raw = _part_weights(arrays, names, owner, place)
    # As surely_below: the weight of the parts that may pair, a hair more than summed here.
    letter_weight = max(weights.initial_weight, weights.filler_word_weight)
    may_pair = np.where(unpaired, 0.0, np.where(only_initial, np.minimum(raw, letter_weight), raw))
    pairable = np.bincount(owner, weights=may_pair, minlength=len(names)) * (1 + 1e-12)
    person = ~arrays.organisation[names]
    middle = person[owner] & (place > 0) & (place < sizes[owner] - 1)
    weight = np.where(middle, raw * weights.middle_name_factor, raw)
    left = np.bincount(owner, weights=np.where(unpaired, weight, 0.0), minlength=len(names))
    below = np.zeros(len(names), dtype=np.bool_)
    groups = covered * np.uint64(2) + person  # masks have at most 63 bits (below_in_bulk)
    # Every name, those with no part left over too: the query's own left-over parts (initials
    # beside a common part, "Go us ha t k v m b d f h") and the listed parts' weight, which caps
    # what pairs, may keep it under the bar.
    for group in np.unique(groups).tolist():
        at = np.flatnonzero(groups == np.uint64(group))
        kind = "person" if group & 1 else "organisation"
        # A hair less weight than summed here: never below where the one-by-one sum is not.
        # Each (weight left, weight that may pair) as one complex number: np.unique over rows sorts
        # far more slowly.
        distinct, inverse = np.unique(left[at] * (1 - 1e-12) + 1j * pairable[at], return_inverse=True)
        verdicts = [
            ceiling(kind, group >> 1, (), 0, 0, pair.real, pair.imag) < bar for pair in distinct.tolist()
        ]
        below[at] = np.array(verdicts, dtype=np.bool_)[inverse.reshape(-1)]
    return below
