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
import gc
import operator
from collections.abc import Iterable
from pathlib import Path
from typing import Final

from vetting.names import store
from vetting.names.acronyms import screened_readings
from vetting.names.bounds import pairing_elsewhere
from vetting.names.building import build_index
from vetting.names.candidates import NameArrays, gather, hopeful, is_wide, joinable_signature, similar_enough
from vetting.names.compare import Alignment, PartCache, align, compare_cached, part_weight
from vetting.names.containment import contained_score, could_contain, within_window
from vetting.names.data import NameData, load_name_data
from vetting.names.explain import EntryIds, worded_matches
from vetting.names.index import IndexedName, NameIndex, letter_bit
from vetting.names.keys import edit_budget
from vetting.names.lazy import loaded, many, screener_arrays
from vetting.names.leftover import (
    UNKNOWN,
    JoinedForms,
    Shape,
    absorbed_parts,
    below_in_bulk,
    shape_of,
    surely_below,
)
from vetting.names.lookups import IndexLookups
from vetting.names.normalise import NamePart, joined_forms, normalise_name
from vetting.names.pruning import ROUNDING, ScreeningBounds
from vetting.names.reach import MANY, JoinedMemo, beyond_reach, run_ids
from vetting.names.results import KINDS, EntryKind, FlaggedEntry, Match, _Found
from vetting.names.weights import ScreeningWeights

DEFAULT_THRESHOLD: Final = 85.0
KINDS_BY_FLAG: Final = ("person", "organisation")  # by a name's organisation flag
# A listed name's verdict: score, alignment, whether found within a longer name, the query parts
# shown (a run of the query for such a name), their weights, and the words around that run.
_Verdict = tuple[float, Alignment, bool, tuple[NamePart, ...], tuple[float, ...], str]

__all__ = ["DEFAULT_THRESHOLD", "FlaggedEntry", "Match", "Screener", "ScreeningWeights", "compare_names"]


class Screener(IndexLookups, ScreeningBounds):
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
        self.weights = weights or ScreeningWeights()  # never changed, as the threshold
        self._data: NameData = load_name_data()
        self._entries: tuple[FlaggedEntry, ...] = tuple(entries)
        self._entry_ids: EntryIds = tuple(entry.id for entry in self._entries)
        self._index = NameIndex(self._data)
        # Building makes millions of small objects that all live as long as the screener: the cyclic
        # collector would scan them again and again (about 2 s of 16 at 100,000 entries) to free none.
        collecting = gc.isenabled()
        gc.disable()
        try:
            build_index(self._index, self._entries, self._data, self.weights)
        finally:
            if collecting:
                gc.enable()
        self._index.freeze()
        self._prepare()

    # Distinct parts looked up in the index and kept, per screener: a few MB at most.
    _VOCABULARY_CACHE: Final = 20_000

    def _prepare(self, arrays: NameArrays | None = None) -> None:
        """What screening needs beside the index: per-name arrays and the cache of part look-ups."""
        self._bar = self.threshold - ROUNDING
        self._arrays = arrays or NameArrays(
            self._index, [entry.kind == "organisation" for entry in self._entries]
        )
        self._vocabulary_matches = functools.lru_cache(maxsize=self._VOCABULARY_CACHE)(self._find_vocabulary)

    def __len__(self) -> int:
        return len(self._entries)

    def save(self, path: Path) -> None:
        """Write the built screener to ``path`` as flat arrays (see vetting/names/store.py), with
        each listed part's matches among the listed parts: worked out here, not while building,
        since workers screen with the saved file (and this screener uses them from now on too)."""
        self.work_out_saved_facts()
        store.write(
            path, self.threshold, self.weights, screener_arrays(self._entries, self._index, self._arrays)
        )

    @classmethod
    def load(
        cls, path: Path, *, threshold: float | None = None, weights: ScreeningWeights | None = None
    ) -> Screener | None:
        """A screener saved by ``save`` with this threshold and these weights, mapped into memory
        (shared with other processes mapping it), or None (no file, or one written from other
        reference data, in another format or for other settings)."""
        wanted_threshold = DEFAULT_THRESHOLD if threshold is None else float(threshold)
        wanted_weights = weights or ScreeningWeights()
        saved = store.read(path)
        if (
            saved is None
            or saved.threshold != wanted_threshold
            or saved.weights != store.weights_state(wanted_weights)
        ):
            return None
        screener = cls.__new__(cls)
        screener.threshold = wanted_threshold  # type: ignore[misc]  # set once, as __init__ does
        screener.weights = wanted_weights
        screener._data = load_name_data()
        screener._entries, screener._index, arrays = loaded(saved, screener._data)  # type: ignore[assignment]  # a read-only sequence
        # A match needs only its entry's id: read as text, not the whole entry made (846 at times).
        screener._entry_ids = saved.texts("entry_id")
        screener._prepare(arrays)
        return screener

    def _weighed(self, score: float, weak: bool) -> float:
        """A weak alias's score lowered by ``weak_alias_factor`` (to one decimal, as scores are)."""
        return round(score * self.weights.weak_alias_factor, 1) if weak else score

    def _weight(self, text: str, organisation: bool) -> float:
        return part_weight(text, organisation, self._data, self.weights)

    def screen(self, name: str, kind: EntryKind | None = None) -> list[Match]:
        """Listed entries whose name or alias resembles ``name``, best first, one match per entry.

        The name is screened as typed and in each other reading of it (spaced-out letters joined,
        digits read as letters); each entry's best score over the readings counts.
        """
        if kind is not None and kind not in KINDS:
            raise ValueError(f"kind must be 'person', 'organisation' or None, not {kind!r}")
        best: dict[int, _Found] = {}
        memo: JoinedMemo = {}  # joined forms compared with query parts, shared by the readings
        for text, how in ((name, ()), *((r.text, r.how) for r in screened_readings(name, kind))):
            query = normalise_name(text, self._data.abbreviations).parts
            if query:
                self._screen_parts(query, kind, how, best, memo)
        return worded_matches(name, best, self._entry_ids, self.weights.filler_word_weight)

    def _screen_parts(
        self,
        query: tuple[NamePart, ...],
        kind: EntryKind | None,
        how: tuple[str, ...],
        best: dict[int, _Found],
        memo: JoinedMemo,
    ) -> None:
        cache: PartCache = {}
        found = self._candidates(query)
        matched = functools.cache(lambda: self._matched_texts(found))
        query_weights: dict[str, tuple[float, ...]] = {
            wanted: tuple(self._weight(part.text, wanted == "organisation") for part in query)
            for wanted in ((kind,) if kind else KINDS)
        }
        initials = sum(1 << i for i, part in enumerate(query) if len(part.text) == 1)
        everything = (1 << len(query)) - 1
        long_parts: dict[str, list[tuple[int, NamePart, int]]] = {}
        for i, part in enumerate(query):
            if len(part.text) >= 5:
                long_parts.setdefault(part.text[0], []).append((i, part, edit_budget(len(part.text))))

        # First-letter bits of the long query parts among ``unfound`` (few masks recur).
        long_letters = {i: letter_bit(part.text) for i, part in enumerate(query) if len(part.text) >= 5}
        letters = functools.cache(
            lambda unfound: functools.reduce(
                operator.or_, (b for i, b in long_letters.items() if unfound >> i & 1), 0
            )
        )

        ceiling = self._ceiling(query_weights, initials)
        bar = self.threshold - ROUNDING
        # Looked up only when a listed name comes near to being skipped (most screens need none).
        absorbing = functools.cache(lambda: self._absorbing(query))
        runs = run_ids(absorbing, self._index.vocabulary_id)  # the same, as vocabulary ids

        def reaches(entry_kind: str, mask: int) -> bool:
            return ceiling(entry_kind, mask) >= bar

        def joinable(entry_kind: str, mask: int) -> int:
            unfound = everything & ~(mask | initials)
            if not unfound or ceiling(entry_kind, mask | everything) < bar:
                return 0
            return functools.reduce(
                operator.or_,
                (signatures[i] for parts in long_parts.values() for i, _, _ in parts if unfound >> i & 1),
                0,
            )

        long_list = [(i, part.text, budget) for parts in long_parts.values() for i, part, budget in parts]
        signatures = {i: joinable_signature(text, budget) for i, text, budget in long_list}
        vocabulary = self._index.vocabulary

        def pairs(i: int, vocabulary_ids: list[int]) -> list[int]:
            part = query[i]
            return [
                vocabulary_id
                for vocabulary_id in similar_enough(part, vocabulary_ids, vocabulary)
                if compare_cached(part, vocabulary[vocabulary_id], self._data, self.weights, cache)
            ]

        organisation = self._arrays.organisation
        query_forms = joined_forms(query)
        # Lists repeat names (one alias shape for many entries): a listed name's verdict depends only
        # on its parts, their weights, its kind and which query parts found it, so it is judged once.
        judged: dict[tuple[object, ...], _Verdict | None] = {}

        def skipped(name_id: int, listed: IndexedName, mask: int, entry_kind: str) -> bool:
            return self._skipped(
                query, absorbing, name_id, listed, mask, initials, cache, ceiling, entry_kind, joined
            )

        letters_of_initials = frozenset(part.text for part in query if len(part.text) == 1)
        absorbed = absorbed_parts(absorbing)

        # Names that differ only in parts that pair with nothing align alike (hundreds of "Gousha
        # X Dedistouchee"): aligned once per shape (vetting/names/leftover.py).
        shapes: dict[tuple[object, ...], Alignment] = {}

        def aligned(
            name_id: int, listed: IndexedName, entry_kind: str, mask: int, containing: bool, shape: Shape
        ) -> Alignment:
            if shape is UNKNOWN:
                shape = (
                    None
                    if containing
                    else shape_of(letters_of_initials, absorbed, name_id, listed, matched(), joined)
                )
            known = shapes.get((shape, entry_kind)) if shape is not None else None
            if known is not None:
                return known
            alignment = align(
                query, query_weights[entry_kind], listed.parts, listed.weights,
                self._data, self.weights, cache, person=entry_kind == "person", query_forms=query_forms,
            )  # fmt: skip
            if shape is not None:
                shapes[(shape, entry_kind)] = alignment
            return alignment

        by_shape: dict[tuple[object, ...], _Verdict | None] = {}

        def verdict_of(
            name_id: int, listed: IndexedName, entry_kind: str, mask: int, extra: int | None
        ) -> _Verdict | None:
            if (
                many_kept
                and extra is None
                and not could_contain(listed, mask, entry_kind, len(query), matched(), self.weights)
            ):
                # Never looked for within the query: what every test below reads of the name is in
                # its shape (vetting/names/leftover.py), so names of one shape are judged once.
                shape = shape_of(letters_of_initials, absorbed, name_id, listed, matched(), joined)
                if shape is None:
                    return judge(name_id, listed, entry_kind, mask, None, None)
                key = (shape, entry_kind, mask)
                if key not in by_shape:
                    by_shape[key] = judge(name_id, listed, entry_kind, mask, None, shape)
                return by_shape[key]
            return judge(name_id, listed, entry_kind, mask, extra, UNKNOWN)

        def judge(
            name_id: int, listed: IndexedName, entry_kind: str, mask: int, extra: int | None, shape: Shape
        ) -> _Verdict | None:
            if extra is not None:
                # Found only through a left-over part written as two or three of its parts:
                # what the fallback below finds, worked out for all such names at once.
                mask |= extra
                if skipped(name_id, listed, mask, entry_kind):
                    return None
            containing = (
                extra is None
                and len(query) > len(listed.parts)
                and could_contain(listed, mask, entry_kind, len(query), matched(), self.weights)
            )
            if extra is None and not containing and skipped(name_id, listed, mask, entry_kind):
                # The index found the name through some query parts; the others may still pair
                # with its parts by a longer edit or written as one word (Marialuisa for Maria Luisa).
                unfound = everything & ~(mask | initials)
                if not unfound or not listed.joined_lengths & letters(unfound):
                    return None  # no query part left over, or none starting as a joined form of the name
                if ceiling(entry_kind, mask | everything) < bar:
                    return None
                extra = pairing_elsewhere(long_parts, unfound, listed, self._data, self.weights, cache)
                mask |= extra
                if not extra or skipped(name_id, listed, mask, entry_kind):
                    return None
            if not containing and surely_below(
                query, self._index, name_id, listed, mask, matched(), absorbing, ceiling, entry_kind, bar,
                self._data, self.weights, cache, joined,
            ):  # fmt: skip
                return None  # some of its parts surely pair with nothing (vetting/names/leftover.py)
            person = entry_kind == "person"
            # A name found within a much longer one is looked for in runs of the query only:
            # aligning the whole of a long query costs milliseconds per candidate, and so many
            # extra words leave the whole-name score far below the threshold anyway.
            padded = containing and len(query) > len(listed.parts) + self.weights.padding_words
            alignment, score, contained = None, 0.0, False
            if not padded:
                alignment = aligned(name_id, listed, entry_kind, mask, containing, shape)
                score = alignment.score
                if score < self.threshold and containing:
                    inner = contained_score(
                        alignment, query_weights[entry_kind], listed.weights, person, self.weights
                    )
                    if inner is not None and inner >= self.threshold:
                        score, contained = inner, True
            shown, shown_weights, around = query, query_weights[entry_kind], ""
            if score < self.threshold and containing and (padded or not person):
                window = within_window(
                    query,
                    shown_weights,
                    listed,
                    mask,
                    self._data,
                    self.weights,
                    cache,
                    person,
                    self.threshold,
                )
                if window is not None:
                    score, alignment, start, end = window
                    contained, shown, shown_weights = True, query[start:end], shown_weights[start:end]
                    around = " ".join(part.shown for part in query[:start] + query[end:])
            if alignment is None or score < self.threshold:
                return None
            return score, alignment, contained, shown, shown_weights, around

        names, masks = gather(self._arrays, found, is_wide(len(query)))
        kept = hopeful(
            self._arrays, names, masks, kinds=tuple(query_weights), query_length=len(query),
            reaches=reaches, joinable=joinable, pairs=pairs,
            long_parts=long_list,
        )  # fmt: skip
        kept = beyond_reach(
            self._arrays, kept, query=query, everything=everything, initials=initials, ceiling=ceiling,
            bar=bar, runs=runs, joinable=joinable, vocabulary=vocabulary, data=self._data,
            weights=self.weights, memo=memo,
        )  # fmt: skip
        kept = below_in_bulk(
            self._arrays, kept, query=query, everything=everything, matched=matched, runs=runs,
            ceiling=ceiling, bar=bar, index=self._index, data=self._data,
            weights=self.weights, memo=memo,
        )  # fmt: skip
        joined = JoinedForms(
            kept.names, query, self._index, self._arrays, self._data, self.weights, cache, memo
        )
        listed_names = many(self._index.names, kept.names.tolist())
        many_kept = len(kept) >= MANY  # else shapes rarely repeat: not worth working them out first
        kinds = [KINDS_BY_FLAG[flag] for flag in organisation[kept.names].tolist()]
        for (name_id, mask, extra), listed, entry_kind in zip(kept.rows(), listed_names, kinds, strict=True):
            key = (listed.parts, listed.weights, entry_kind, mask, extra)
            if key in judged:
                verdict = judged[key]
            else:
                verdict = judged[key] = verdict_of(name_id, listed, entry_kind, mask, extra)
            if verdict is None:
                continue
            score, alignment, contained, shown, shown_weights, around = verdict
            unlowered = None
            if listed.weak:
                unlowered, score = score, self._weighed(score, True)
            if score >= self.threshold:
                known = best.get(listed.entry)
                if known is None or score > known.score:
                    best[listed.entry] = _Found(
                        score, listed, alignment, shown, shown_weights, contained, how, around, unlowered
                    )


def compare_names(
    query: str, listed: str, kind: EntryKind = "person", weights: ScreeningWeights | None = None
) -> Match:
    """Score and explain one pair of names, whatever the threshold (for tests and officers' tools)."""
    screener = Screener([FlaggedEntry("pair", kind, listed)], threshold=0.0, weights=weights)
    found = screener.screen(query, kind)
    if found:
        return found[0]
    return Match("pair", 0.0, listed, query, f"'{query}' shares no part with '{listed}'.")
