"""The screener's look-ups in its index: which listed parts match a query's parts, and so which
listed names are candidates (a part of ``vetting.screening.Screener``, kept apart for size)."""

from __future__ import annotations

from array import array
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from vetting.names.candidates import NameArrays, gather, is_wide, length_facts
from vetting.names.compare import compare_parts
from vetting.names.data import NameData
from vetting.names.index import NameIndex
from vetting.names.normalise import NamePart, joined_forms
from vetting.names.store import strings
from vetting.names.weights import ScreeningWeights


class IndexLookups:
    """Look-ups of a screener's index; the screener sets these attributes."""

    weights: ScreeningWeights
    _data: NameData
    _index: NameIndex
    _arrays: NameArrays
    _vocabulary_matches: Callable[[str, str, bool], tuple[int, ...]]

    def _candidates(
        self, query: tuple[NamePart, ...]
    ) -> list[tuple[int, tuple[int, ...], tuple[str, str] | None]]:
        """For each plausible part of the query (alone or written together with its neighbours):
        the bit mask of query parts it stands for, the listed parts (vocabulary ids) it matches,
        whose postings are the candidates, and for a single part its text and script, by which
        ``gather`` sees a part the query repeats."""
        found = []
        for indices, form in joined_forms(query):
            if len(form.text) == 1 or (len(indices) > 1 and len(form.text) < 5):
                continue  # an initial alone is too weak to find candidates by
            vocabulary_ids = self._matching_vocabulary(form, joined=len(indices) > 1)
            single = (form.text, form.script) if len(indices) == 1 else None
            found.append((sum(1 << i for i in indices), vocabulary_ids, single))
        return found

    def _matched_texts(self, found: list[tuple[int, tuple[int, ...], tuple[str, str] | None]]) -> set[str]:
        """The texts of the listed parts ``_candidates`` found: asked for only when a listed name
        is judged (most screenings judge none, and reading each part's text cost a tenth of them)."""
        vocabulary = self._index.vocabulary
        return {vocabulary[v].text for _, vocabulary_ids, _ in found for v in vocabulary_ids}

    def _hits(self, query: tuple[NamePart, ...]) -> dict[int, int]:
        """Every listed name the index finds for the query -> bit mask of query parts that found it."""
        names, masks = gather(self._arrays, self._candidates(query), is_wide(len(query)))
        return {int(name): int(mask) for name, mask in zip(names, masks, strict=True)}

    def _matching_vocabulary(self, form: NamePart, joined: bool) -> tuple[int, ...]:
        """Listed parts the index offers for ``form`` that compare as a match (kept for the next
        screening: common parts such as frequent given names come back again and again)."""
        return self._vocabulary_matches(form.text, form.script, joined)

    def _find_vocabulary(self, text: str, script: str, joined: bool) -> tuple[int, ...]:
        arrays = self._arrays
        if not joined and len(arrays.known_starts):
            # A query part that is itself a listed part (most parts of most queries): its matches
            # were worked out when the index was built, and are read from two arrays.
            vocabulary_id = self._index.vocabulary_id(text, script)
            if vocabulary_id is not None and arrays.single[vocabulary_id]:
                starts = arrays.known_starts
                return tuple(
                    arrays.known_values[int(starts[vocabulary_id]) : int(starts[vocabulary_id + 1])].tolist()
                )
        return self._compare_vocabulary(text, script, joined)

    def work_out_saved_facts(self) -> None:
        """What only a saved screener carries: each listed part's matches (``known_matches``)
        and the vocabulary's length facts (``candidates.length_facts``). Once per screener."""
        arrays = self._arrays
        if not len(arrays.known_starts):
            arrays.known_values, arrays.known_starts = self.known_matches()
            arrays.key_lengths, arrays.skeleton_lengths, arrays.arabic, keys = length_facts(
                self._index.vocabulary
            )
            written = strings(keys)
            arrays.key_blob, arrays.key_starts = written["blob"], written["starts"]

    def known_matches(self) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32]]:
        """For each listed part (``NameArrays.single``), the listed parts it matches, as flat
        arrays (values, starts by vocabulary id): exactly what ``_compare_vocabulary`` finds.

        ``compare_parts`` says match or not the same way round as the other, so a pair of listed
        parts that each finds the other is compared once (about half of some 500,000 comparisons
        at 100,000 entries).
        """
        values, starts = array("I"), array("I", [0])
        vocabulary = self._index.vocabulary
        single = self._arrays.single.tolist()
        size = len(single)
        decided: dict[int, bool] = {}
        for vocabulary_id, is_single in enumerate(single):
            if is_single:
                part = vocabulary[vocabulary_id]
                for other in sorted(self._index.similar_parts(part)):
                    if not single[other]:
                        if compare_parts(part, vocabulary[other], self._data, self.weights) is not None:
                            values.append(other)
                        continue
                    key = (
                        vocabulary_id * size + other
                        if vocabulary_id < other
                        else other * size + vocabulary_id
                    )
                    match = decided.pop(key, None)  # each pair is met at most twice
                    if match is None:
                        match = compare_parts(part, vocabulary[other], self._data, self.weights) is not None
                        decided[key] = match
                    if match:
                        values.append(other)
            starts.append(len(values))
        return np.frombuffer(values, dtype=np.uint32), np.frombuffer(starts, dtype=np.uint32)

    def _compare_vocabulary(self, text: str, script: str, joined: bool) -> tuple[int, ...]:
        vocabulary = self._index.vocabulary
        form = NamePart(text, script, text)
        return tuple(
            vocabulary_id
            for vocabulary_id in sorted(self._index.similar_parts(form, joined=joined))
            if compare_parts(form, vocabulary[vocabulary_id], self._data, self.weights) is not None
        )

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
