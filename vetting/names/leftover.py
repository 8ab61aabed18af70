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

from vetting.names.compare import PartCache, compare_cached
from vetting.names.data import NameData
from vetting.names.index import IndexedName, NameIndex
from vetting.names.normalise import NamePart
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
) -> bool:
    """True when ``align`` surely scores the listed name below ``bar`` (the threshold less rounding)."""
    letters = {part.text for part in query if len(part.text) == 1}
    unpaired = [
        i
        for i, part in enumerate(listed.parts)
        if len(part.text) > 1 and part.text not in matched and part.text[0] not in letters
    ]
    if not unpaired:
        return False
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
    if not unpaired:
        return False
    person = entry_kind == "person"
    last = len(listed.parts) - 1
    left = sum(
        listed.weights[i] * (weights.middle_name_factor if person and 0 < i < last else 1.0) for i in unpaired
    )
    if ceiling(entry_kind, covered, (), 0, 0, left) >= bar:
        return False
    # Out of reach unless one of its runs written together pairs with a query part (which would
    # pair the run's parts and perhaps a query part that found nothing): compare them, as align does.
    # Its runs are in the index already (``NameIndex.joined``: every run ``joined_forms`` makes of
    # its parts); align pairs them with single query parts other than initials.
    singles = [part for part in query if len(part.text) > 1]
    vocabulary = index.vocabulary
    for vocabulary_id in index.joined[name_id]:
        form = vocabulary[vocabulary_id]
        if any(compare_cached(part, form, data, weights, cache) for part in singles):
            return False
    return True
