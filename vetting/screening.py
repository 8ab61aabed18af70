"""Fuzzy screening of names against the flagged list (design.md 4.1).

Pure and thread-safe for reads: a ``Screener`` is built once and never changes. A match only refers a
case to an officer, with a sentence saying why; it never decides anything.

How a name is compared: both names are normalised (case, diacritics, punctuation, "SURNAME, Given",
other scripts transliterated, organisation abbreviations expanded), their parts are paired whatever
the word order, each pair is scored (exact, known variant, spelling key, consonant skeleton, edit
distance within a budget growing with length, initial), and the pair scores are combined weighted by
how distinctive each part is. Parts only one name has cost less than parts that disagree.
Candidates come from an index over part keys, so only a handful of listed names are scored.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

from vetting.names.compare import Alignment, PartMatch, align, compare_cached, compare_parts, part_weight
from vetting.names.data import NameData, load_name_data
from vetting.names.explain import explain
from vetting.names.index import IndexedName, NameIndex
from vetting.names.normalise import NamePart, joined_forms, normalise_name
from vetting.names.weights import ScreeningWeights

EntryKind = Literal["person", "organisation"]
KINDS: Final = ("person", "organisation")
DEFAULT_THRESHOLD: Final = 85.0
# Scores are rounded to one decimal: a bound below the threshold by less may still round up to it.
_ROUNDING: Final = 0.05

__all__ = ["DEFAULT_THRESHOLD", "FlaggedEntry", "Match", "Screener", "ScreeningWeights", "compare_names"]


@dataclass(frozen=True, slots=True)
class FlaggedEntry:
    """An entry of the flagged list as the matcher sees it (no source, reason or history).

    ``weak_aliases`` are those the list marks as low quality: a match on one scores
    ``ScreeningWeights.weak_alias_factor`` of what it would, and says so.
    """

    id: str
    kind: EntryKind
    name: str
    aliases: Sequence[str] = field(default_factory=tuple)
    weak_aliases: Sequence[str] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be 'person' or 'organisation', not {self.kind!r}")
        object.__setattr__(self, "aliases", tuple(self.aliases))
        object.__setattr__(self, "weak_aliases", tuple(self.weak_aliases))

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class Match:
    """A listed name at or above the threshold; ``score`` is 0-100."""

    entry_id: str
    score: float
    matched_name: str
    query_name: str
    explanation: str


class Screener:
    """Screens names against a fixed list of flagged entries."""

    def __init__(
        self,
        entries: Iterable[FlaggedEntry],
        *,
        threshold: float | None = None,
        weights: ScreeningWeights | None = None,
    ) -> None:
        self.threshold: Final = DEFAULT_THRESHOLD if threshold is None else float(threshold)
        if not 0.0 <= self.threshold <= 100.0:
            raise ValueError("threshold must be between 0 and 100")
        self.weights: Final = weights or ScreeningWeights()
        self._data: NameData = load_name_data()
        self._entries: tuple[FlaggedEntry, ...] = tuple(entries)
        self._index = NameIndex(self._data)
        # Listed names repeat parts a great deal: share one object per distinct part to save memory.
        shared: dict[object, object] = {}
        for position, entry in enumerate(self._entries):
            organisation = entry.kind == "organisation"
            seen: set[tuple[str, ...]] = set()
            # Good names first, so a weak alias written like one of them adds nothing.
            weak_names = entry.weak_aliases if self.weights.weak_alias_factor > 0 else ()
            for raw, weak in (
                *((name, False) for name in entry.names),
                *((name, True) for name in weak_names),
            ):
                parts = normalise_name(raw, self._data.abbreviations).parts
                texts = tuple(part.text for part in parts)
                if not parts or texts in seen:
                    continue
                seen.add(texts)
                parts = tuple(shared.setdefault(part, part) for part in parts)  # type: ignore[misc]  # same type back
                part_weights = tuple(self._weight(part.text, organisation) for part in parts)
                part_weights = shared.setdefault(part_weights, part_weights)  # type: ignore[assignment]  # same type back
                self._index.add(IndexedName(position, raw, parts, part_weights, weak))

    def __len__(self) -> int:
        return len(self._entries)

    def _weighed(self, score: float, weak: bool) -> float:
        return round(score * self.weights.weak_alias_factor, 1) if weak else score

    def _weight(self, text: str, organisation: bool) -> float:
        return part_weight(text, organisation, self._data, self.weights)

    def screen(self, name: str, kind: EntryKind | None = None) -> list[Match]:
        """Listed entries whose name or alias resembles ``name``, best first, one match per entry."""
        if kind is not None and kind not in KINDS:
            raise ValueError(f"kind must be 'person', 'organisation' or None, not {kind!r}")
        query = normalise_name(name, self._data.abbreviations).parts
        if not query:
            return []
        cache: dict[tuple[NamePart, NamePart], PartMatch | None] = {}
        hits = self._candidates(query)
        query_weights: dict[str, tuple[float, ...]] = {
            wanted: tuple(self._weight(part.text, wanted == "organisation") for part in query)
            for wanted in ((kind,) if kind else KINDS)
        }
        initials = sum(1 << i for i, part in enumerate(query) if len(part.text) == 1)
        ceiling = self._ceiling(query_weights, initials)
        # Looked up only when a listed name comes near to being skipped (most screens need none).
        absorbing = functools.cache(lambda: self._absorbing(query))
        best: dict[int, tuple[float, IndexedName, Alignment]] = {}
        for name_id, mask in hits.items():
            listed = self._index.names[name_id]
            entry_kind = self._entries[listed.entry].kind
            if entry_kind not in query_weights or ceiling(entry_kind, mask) < self.threshold - _ROUNDING:
                continue
            if self._cannot_reach(query, absorbing, listed, mask | initials, cache, ceiling, entry_kind):
                continue
            alignment = align(
                query,
                query_weights[entry_kind],
                listed.parts,
                listed.weights,
                self._data,
                self.weights,
                cache,
                person=entry_kind == "person",
            )
            score = self._weighed(alignment.score, listed.weak)
            if score >= self.threshold:
                known = best.get(listed.entry)
                if known is None or score > known[0]:
                    best[listed.entry] = (score, listed, alignment)
        matches = []
        for position, (score, listed, alignment) in best.items():
            entry = self._entries[position]
            sentence = explain(
                name,
                query,
                listed.raw,
                listed.parts,
                alignment,
                self.weights.filler_word_weight,
                listed.weights,
                query_weights[entry.kind],
                low_quality_score=score if listed.weak else None,
            )
            matches.append(Match(entry.id, score, listed.raw, name, sentence))
        matches.sort(key=lambda match: (-match.score, match.entry_id))
        return matches

    def _candidates(self, query: tuple[NamePart, ...]) -> dict[int, int]:
        """Listed names sharing a plausible part with the query -> bit mask of query parts hit."""
        hits: dict[int, int] = {}
        postings = self._index.postings
        for indices, form in joined_forms(query):
            if len(form.text) == 1 or (len(indices) > 1 and len(form.text) < 5):
                continue  # an initial alone is too weak to find candidates by
            mask = sum(1 << i for i in indices)
            for vocabulary_id in self._matching_vocabulary(form, joined=len(indices) > 1):
                for name_id in postings[vocabulary_id]:
                    hits[name_id] = hits.get(name_id, 0) | mask
        return hits

    def _matching_vocabulary(self, form: NamePart, joined: bool) -> Iterator[int]:
        """Listed parts the index offers for ``form`` that compare as a match."""
        vocabulary = self._index.vocabulary
        for vocabulary_id in self._index.similar_parts(form, joined=joined):
            if compare_parts(form, vocabulary[vocabulary_id], self._data, self.weights) is not None:
                yield vocabulary_id

    def _absorbing(self, query: tuple[NamePart, ...]) -> list[tuple[int, frozenset[tuple[str, str]]]]:
        """For each run of query parts written together: its parts (bit mask) and the listed
        parts (text, script) it matches, found through the index as a single part would be."""
        found = []
        for indices, form in joined_forms(query):
            if len(indices) < 2:
                continue
            vocabulary = self._index.vocabulary
            matching = self._matching_vocabulary(form, joined=False)
            parts = frozenset((vocabulary[v].text, vocabulary[v].script) for v in matching)
            if parts:
                found.append((sum(1 << i for i in indices), parts))
        return found

    def _cannot_reach(
        self,
        query: tuple[NamePart, ...],
        absorbing: Callable[[], list[tuple[int, frozenset[tuple[str, str]]]]],
        listed: IndexedName,
        covered: int,
        cache: dict[tuple[NamePart, NamePart], PartMatch | None],
        ceiling: Callable[..., float],
        entry_kind: str,
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
        if ceiling(entry_kind, covered, listed.weights, 1) >= self.threshold - _ROUNDING:
            return False
        for bits, parts in absorbing():
            if bits & ~covered and any((part.text, part.script) in parts for part in listed.parts):
                return False
        single = [part for i, part in enumerate(query) if covered >> i & 1 and len(part.text) > 1]
        for indices, form in joined_forms(listed.parts):
            if len(indices) < 2:
                continue
            if any(compare_cached(part, form, self._data, self.weights, cache) for part in single):
                return ceiling(entry_kind, covered, listed.weights, 3) < self.threshold - _ROUNDING
        return True

    def _ceiling(self, query_weights: dict[str, tuple[float, ...]], initials: int) -> Callable[..., float]:
        """Upper bound of ``align``'s score for a listed name, from which query parts found it.

        A query part that did not find the name pairs with none of its parts, so at best the
        query parts that found it pair up (a pair never weighs more than its query part) and the
        rest cost at least the cheaper of the missing and disagreeing costs, plus the evidence
        shortfall, as in ``align``. Given the listed name's part weights and how many of its parts
        one pair may take (``per_pair``), its parts that no pair can take are left over too, at
        least its lightest ones, and the two sides' leftovers are charged together as ``align``
        charges them.
        """
        weights = self.weights
        missing, disagreeing = weights.missing_part_cost, weights.disagreeing_part_cost
        memo: dict[tuple[str, int, tuple[float, ...], int], float] = {}

        def left_over(part_weights: tuple[float, ...], person: bool) -> list[float]:
            last = len(part_weights) - 1
            return [
                weight * (weights.middle_name_factor if person and 0 < i < last else 1.0)
                for i, weight in enumerate(part_weights)
            ]

        def ceiling(entry_kind: str, mask: int, listed: tuple[float, ...] = (), per_pair: int = 0) -> float:
            key = (entry_kind, mask, listed, per_pair)
            found = memo.get(key)
            if found is not None:
                return found
            person = entry_kind == "person"
            covered = mask | initials
            hit = left_q = 0.0
            query_only = False
            for i, weight in enumerate(left_over(query_weights[entry_kind], person)):
                if covered >> i & 1:
                    hit += query_weights[entry_kind][i]
                else:
                    left_q += weight
                    query_only = True
            unpaired = max(0, len(listed) - covered.bit_count() * per_pair) if per_pair else 0
            left_c = sum(sorted(left_over(listed, person))[:unpaired])
            low, high = min(left_q, left_c), max(left_q, left_c)
            if disagreeing >= missing:
                rest = missing * high + (disagreeing - missing) * low
            else:
                rest = disagreeing * high
            if query_only or unpaired:
                rest += weights.evidence_shortfall_cost * max(0.0, weights.min_evidence - hit)
            memo[key] = found = 100.0 * hit / (hit + rest) if hit else 0.0
            return found

        return ceiling


def compare_names(
    query: str, listed: str, kind: EntryKind = "person", weights: ScreeningWeights | None = None
) -> Match:
    """Score and explain one pair of names, whatever the threshold (for tests and officers' tools)."""
    screener = Screener([FlaggedEntry("pair", kind, listed)], threshold=0.0, weights=weights)
    found = screener.screen(query, kind)
    if found:
        return found[0]
    return Match("pair", 0.0, listed, query, f"'{query}' shares no part with '{listed}'.")
