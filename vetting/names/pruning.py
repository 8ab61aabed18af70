"""The screener's tests that a listed name cannot reach the threshold, before aligning it (a part of
``vetting.screening.Screener``, kept apart for size); the bounds themselves are in bounds.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from vetting.names.bounds import score_ceiling
from vetting.names.compare import PartCache, compare_cached
from vetting.names.data import NameData
from vetting.names.index import IndexedName, NameIndex
from vetting.names.normalise import NamePart
from vetting.names.weights import ScreeningWeights

# Scores are rounded to one decimal: a bound below the threshold by less may still round up to it.
ROUNDING: Final = 0.05


def joined_form_pairs(
    index: NameIndex,
    name_id: int,
    parts: list[NamePart],
    data: NameData,
    weights: ScreeningWeights,
    cache: PartCache,
) -> bool:
    """Whether one of the listed name's parts written together matches one of ``parts``, compared
    through the cache ``align`` shares. Its runs are in the index already (the vocabulary ids of
    its joined forms, in the order of joined_forms): no need to make them again."""
    vocabulary = index.vocabulary
    for vocabulary_id in index.joined[name_id]:
        form = vocabulary[vocabulary_id]
        if any(compare_cached(part, form, data, weights, cache) for part in parts):
            return True
    return False


class ScreeningBounds:
    """Bounds of a screener; the screener sets these attributes."""

    _bar: float  # the threshold less ROUNDING
    weights: ScreeningWeights
    _data: NameData
    _index: NameIndex

    def _skipped(
        self,
        query: tuple[NamePart, ...],
        absorbing: Callable[[], list[tuple[int, frozenset[tuple[str, str]]]]],
        name_id: int,
        listed: IndexedName,
        mask: int,
        initials: int,
        cache: PartCache,
        ceiling: Callable[..., float],
        entry_kind: str,
        joined: Callable[[int], bool] | None = None,
    ) -> bool:
        """True when the bounds show the listed name, found by the query parts in ``mask``, cannot
        reach the threshold: first the query side, then counting its own parts left over.
        ``joined`` (``leftover.JoinedForms``) tells, for many names at once, whether one of a name's
        parts written together matches any query part of two letters or more."""
        letters = {part.text[0] for part in listed.parts}
        pairing = sum(1 << i for i, part in enumerate(query) if initials >> i & 1 and part.text in letters)
        if ceiling(entry_kind, mask, (), 0, pairing) < self._bar:
            return True
        return self._cannot_reach(
            query, absorbing, name_id, listed, mask | pairing, cache, ceiling, entry_kind, pairing, joined
        )

    def _cannot_reach(
        self,
        query: tuple[NamePart, ...],
        absorbing: Callable[[], list[tuple[int, frozenset[tuple[str, str]]]]],
        name_id: int,
        listed: IndexedName,
        covered: int,
        cache: PartCache,
        ceiling: Callable[..., float],
        entry_kind: str,
        pairing: int,
        joined: Callable[[int], bool] | None = None,
    ) -> bool:
        """True when the listed name cannot reach the threshold, counting its own unpaired parts.

        The query parts that found it (``covered``) pair with one of its parts each, so its
        other parts are left over and cost as ``align`` charges them. Two ways round that are
        looked for: query parts written together that match one of its parts (``absorbing``;
        then no claim is made) and a query part matching two or three of its parts written
        together (compared here, through the cache ``align`` shares; then a pair may take three).
        Like the query-side bound, this relies on the index finding every listed part that a
        query part, or query parts written together, match.
        """
        if ceiling(entry_kind, covered, listed.weights, 1, pairing) >= self._bar:
            return False
        for bits, parts in absorbing():
            if bits & ~covered and any((part.text, part.script) in parts for part in listed.parts):
                return False
        if ceiling(entry_kind, covered, listed.weights, 3, pairing) < self._bar:
            return True  # out of reach even if pairs take three of its parts: no need to compare
        if joined is not None and not joined(name_id):
            return True  # none of its joined forms matches any query part, let alone a covered one
        single = [part for i, part in enumerate(query) if covered >> i & 1 and len(part.text) > 1]
        return not joined_form_pairs(self._index, name_id, single, self._data, self.weights, cache)

    def _ceiling(self, query_weights: dict[str, tuple[float, ...]], initials: int) -> Callable[..., float]:
        return score_ceiling(query_weights, initials, self.weights)
