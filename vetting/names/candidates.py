"""Gathering a query's candidate listed names and setting aside, a whole array at a time, those the
score bounds already rule out (issue 21: median 1 ms and p99 10 ms at 100,000 entries).

A common part such as a frequent given name finds thousands of listed names, and nearly all of them
are found by that part alone, so their score ceiling is under the threshold. Looking at each one in
Python cost most of a screening. Here the postings are numpy arrays: the names found and the query
parts that found each are gathered and grouped in C, and only names that pass the same cheap
tests the screener applies one by one (ceiling from the finding parts; a longer query that could
contain the name; a left-over query part that could be two of its parts written as one word) are
handed back, in the order they were first found. The screener then applies its full tests to those,
so nothing it would have matched is lost.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any

import numpy as np
import numpy.ma  # np.unique imports it on first use (about 50 ms): pay that at start, not in a screening
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import Indel

from vetting.names.index import SIGNATURE_BITS, START_BITS, NameIndex, signature_bit
from vetting.names.kept import Kept
from vetting.names.keys import skeletons, spelling_key
from vetting.names.normalise import ARABIC, NamePart
from vetting.names.store import Texts

UIntArray = npt.NDArray[np.uint32]
# Two Latin spellings within the edit budget of the shorter (at most 1 in 4 letters) are at least
# 0.75 alike by Indel, and compare_parts' skeleton test asks 0.7: below this they cannot match, but
# for the known-variant classes and spelling keys, which joined forms rarely have (the index finds
# a joined form by its exact text and spelling key already).
_LEAST_SIMILAR = 0.6
_LETTERS = (1 << (SIGNATURE_BITS - START_BITS)) - 1
_NARROW_PARTS = 63  # masks of at most this many query parts fit an unsigned 64-bit integer


class NameArrays:
    """Per listed name (by name id): whether an organisation, how many parts, and the first
    letters of its parts written together (the letter bits of ``IndexedName.joined_lengths``)."""

    @classmethod
    def from_state(cls, arrays: dict[str, Any]) -> NameArrays:
        """Over the arrays of a saved screener (``state``, with the index's postings and joined forms)."""
        made = cls.__new__(cls)
        for name in cls._SAVED:
            setattr(made, name, arrays[name])
        made.values, made.starts = arrays["postings.values"], arrays["postings.starts"]
        made.joined_values = arrays["joined.values"]
        made.weight_ids = arrays["name_weights"]
        made.weight_values, made.weight_starts = arrays["weights.values"], arrays["weights.starts"]
        made.joined_starts = arrays["joined.starts"].astype(np.int64)
        made.part_starts = _starts(made.sizes)
        made._vocabulary = Texts(arrays["vocabulary.blob"], arrays["vocabulary.starts"])
        return made

    _SAVED = (
        "organisation", "sizes", "letters", "signatures", "first_letters", "lengths",
        "single", "known_values", "known_starts", "key_lengths", "skeleton_lengths", "arabic",
        "key_blob", "key_starts", "part_letters", "part_vocabulary",
    )  # fmt: skip

    def state(self) -> dict[str, npt.NDArray[Any]]:
        return {name: getattr(self, name) for name in self._SAVED}

    def __init__(self, index: NameIndex, organisation: Sequence[bool]) -> None:
        names = index.names
        count = len(names)
        self.organisation = np.fromiter(
            (organisation[name.entry] for name in names), dtype=np.bool_, count=count
        )
        # Each name's part weights, as the saved file keeps them: one id per distinct tuple.
        groups: dict[tuple[float, ...], int] = {}
        self.weight_ids = np.fromiter(
            (groups.setdefault(name.weights, len(groups)) for name in names), dtype=np.uint32, count=count
        )
        self.weight_values = np.array([w for group in groups for w in group], dtype=np.float64)
        self.weight_starts = np.cumsum([0] + [len(group) for group in groups], dtype=np.uint32)
        self.sizes = np.fromiter((len(name.parts) for name in names), dtype=np.uint32, count=count)
        # The first letters of each name's parts (``initial_bit``), for the initials of a query.
        self.part_letters = np.fromiter(
            (functools.reduce(operator.or_, (initial_bit(p.text) for p in name.parts), 0) for name in names),
            dtype=np.uint64,
            count=count,
        )
        # Each name's parts as vocabulary ids, one name after another (``part_starts``), for the
        # bound of leftover.below_in_bulk.
        self.part_vocabulary = np.fromiter(
            (index.vocabulary_id(p.text, p.script) for name in names for p in name.parts),
            dtype=np.uint32,
            count=int(self.sizes.sum()),
        )
        self.part_starts = _starts(self.sizes)
        self._vocabulary: Texts | Sequence[NamePart] = index.vocabulary
        self.letters = np.fromiter(
            (name.joined_lengths >> START_BITS & _LETTERS for name in names), dtype=np.uint32, count=count
        )
        self.signatures = np.fromiter(
            (name.joined_lengths >> SIGNATURE_BITS for name in names), dtype=np.uint64, count=count
        )
        self.values: UIntArray = np.frombuffer(index.postings.values, dtype=np.uint32)
        self.starts: UIntArray = np.frombuffer(index.postings.starts, dtype=np.uint32)
        self.joined_values: UIntArray = np.frombuffer(index.joined.values, dtype=np.uint32)
        self.joined_starts = np.frombuffer(index.joined.starts, dtype=np.uint32).astype(np.int64)
        vocabulary = index.vocabulary
        self.first_letters = np.fromiter(
            (ord(part.text[0]) & 0xFF for part in vocabulary), dtype=np.uint8, count=len(vocabulary)
        )
        self.lengths = np.fromiter(
            (len(part.text) for part in vocabulary), dtype=np.int64, count=len(vocabulary)
        )
        # Per vocabulary id, what the length test of compare_parts reads (vetting/names/reach.py):
        # worked out when the screener is saved (``length_facts``), as the known matches are.
        self.key_lengths: UIntArray = np.zeros(0, dtype=np.uint32)
        self.skeleton_lengths: UIntArray = np.zeros(0, dtype=np.uint32)
        self.arabic: npt.NDArray[np.uint8] = np.zeros(0, dtype=np.uint8)
        # Per vocabulary id, its spelling key (as ``store.strings`` writes texts): worked out with
        # the length facts, so a first look at a listed part need not work it out (issue 21: a
        # common part alone made 2,000 keys, a third of the worst case's time).
        self.key_blob: npt.NDArray[np.uint8] = np.zeros(0, dtype=np.uint8)
        self.key_starts: npt.NDArray[np.uint64] = np.zeros(0, dtype=np.uint64)
        # Per vocabulary id: whether a listed name has it as a part of its own, and for those the
        # listed parts it matches (``IndexLookups.known_matches``; empty until the screener sets them).
        self.single = index.single
        self.known_values: UIntArray = np.zeros(0, dtype=np.uint32)
        self.known_starts: UIntArray = np.zeros(0, dtype=np.uint32)

    def spelling_keys(self, vocabulary_ids: Sequence[int]) -> list[str] | None:
        """The saved spelling keys of these vocabulary ids (None until the facts are worked out)."""
        if not len(self.key_starts):
            return None
        return Texts(self.key_blob, self.key_starts).many(vocabulary_ids)

    def joined_of(self, names: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.int64]]:
        """The names' joined forms (vocabulary ids), one name after another, and whose each is
        (position in ``names``)."""
        starts = self.joined_starts[names]
        owner, _, at = spread(starts, self.joined_starts[names + 1] - starts)
        return owner, self.joined_values[at].astype(np.int64)

    def vocabulary_texts(self, vocabulary_ids: Sequence[int]) -> list[str]:
        """The texts of these vocabulary ids (of a loaded screener: read from the file in one go,
        not made into parts one by one)."""
        if isinstance(self._vocabulary, Texts):
            return self._vocabulary.many(vocabulary_ids)
        return [self._vocabulary[v].text for v in vocabulary_ids]


def spread(
    starts: npt.NDArray[Any], counts: npt.NDArray[Any]
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """For the ranges ``starts[k]`` to ``starts[k] + counts[k]`` one after another: per element,
    its range's number, its place in the range, and its position."""
    counts = counts.astype(np.int64)
    owner = np.repeat(np.arange(len(counts)), counts)
    place = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner, place, np.repeat(starts.astype(np.int64), counts) + place


def _starts(sizes: UIntArray) -> npt.NDArray[np.int64]:
    starts = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(sizes, out=starts[1:])
    return starts


def initial_bit(text: str) -> int:
    """A bit for the first character of a part: one per letter a-z and digit, one for any other."""
    first = text[:1]
    if "a" <= first <= "z":
        return 1 << (ord(first) - ord("a"))
    if "0" <= first <= "9":
        return 1 << (26 + ord(first) - ord("0"))
    return 1 << 63


def length_facts(
    vocabulary: Sequence[NamePart],
) -> tuple[UIntArray, UIntArray, npt.NDArray[np.uint8], list[str]]:
    """Per vocabulary id: spelling key length, consonant skeleton length, whether Arabic script,
    and the spelling key itself."""
    count = len(vocabulary)
    keys = [spelling_key(part.text) for part in vocabulary]
    return (
        np.fromiter((len(key) for key in keys), dtype=np.uint32, count=count),
        np.fromiter(
            (max((len(s) for s in skeletons(part.text, False)), default=0) for part in vocabulary),
            dtype=np.uint32,
            count=count,
        ),
        np.fromiter((part.script == ARABIC for part in vocabulary), dtype=np.uint8, count=count),
        keys,
    )


def gather(
    arrays: NameArrays, found: Iterable[tuple[int, Sequence[int], Hashable]], wide: bool
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.uint64] | npt.NDArray[np.object_]]:
    """Names found by the query (in order of first finding) and the bit mask of query parts that
    found each, from (mask, vocabulary ids, repeat key) triples. ``wide`` masks (over 63 parts) are
    Python ints.

    A part the query repeats ("Gousha Gousha": the same repeat key) pairs with one listed part
    each, so a listed name gets as many of its bits as it has parts matching it (postings hold a
    name once per part): a name with one such part is not credited with both, which would let
    thousands of names past the score bound.
    """
    segments: list[UIntArray] = []
    masks: list[int] = []
    lengths: list[int] = []
    values, starts = arrays.values, arrays.starts

    def postings(vocabulary_ids: Sequence[int]) -> list[UIntArray]:
        return [values[int(starts[v]) : int(starts[v + 1])] for v in vocabulary_ids]

    repeated: dict[Hashable, list[int]] = {}
    for mask, _vocabulary_ids, key in found:
        if key is not None:
            repeated.setdefault(key, []).append(mask)
    done: set[Hashable] = set()
    for mask, vocabulary_ids, key in found:
        bits = repeated.get(key, []) if key is not None else []
        if len(bits) < 2:
            found_names = postings(vocabulary_ids)
            segments += found_names
            masks += [mask] * len(found_names)
            lengths += [len(names) for names in found_names]
        elif key not in done:
            done.add(key)
            unique, counts = np.unique(
                np.concatenate([np.zeros(0, np.uint32), *postings(vocabulary_ids)]), return_counts=True
            )
            for j, bit in enumerate(bits):
                with_as_many = unique[counts > j]
                segments.append(with_as_many)
                masks.append(bit)
                lengths.append(len(with_as_many))
    empty_masks = np.zeros(0, dtype=object if wide else np.uint64)
    if not sum(lengths):
        return np.zeros(0, dtype=np.int64), empty_masks
    names = np.concatenate(segments).astype(np.int64)
    each = np.repeat(np.array(masks, dtype=object if wide else np.uint64), lengths)
    order = np.argsort(names, kind="stable")
    ordered = names[order]
    boundaries = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    combined = np.bitwise_or.reduceat(each[order], boundaries)
    first = order[boundaries]  # the stable sort keeps each name's first finding first
    by_finding = np.argsort(first, kind="stable")
    return ordered[boundaries][by_finding], combined[by_finding]


_COUNTED_PARTS = 12  # masks of up to this many query parts are told apart by counting


def hopeful(
    arrays: NameArrays,
    names: npt.NDArray[np.int64],
    masks: npt.NDArray[np.uint64] | npt.NDArray[np.object_],
    *,
    kinds: Sequence[str],
    query_length: int,
    reaches: Callable[[str, int], bool],
    joinable: Callable[[str, int], int],
    long_parts: Sequence[tuple[int, str, int]],
    pairs: Callable[[int, list[int]], list[int]],
) -> Kept:
    """(name id, mask, extra) of the names the screener must still look at one by one.

    ``reaches(kind, mask)``: the ceiling from the parts in ``mask`` is at or above the bar.
    ``joinable(kind, mask)``: signature bits (``joinable_signature``) of the left-over long query
    parts that might pair with a joined form; 0 when even all parts could not reach the bar.
    A name kept only because a left-over part might be one of its joined forms comes with
    ``extra``, the bits of the query parts that do pair with one (what ``bounds.pairing_elsewhere``
    finds, worked out here for all such names at once: ``long_parts`` are (index, text, edit
    budget) of the query parts of five letters or more, ``pairs(i, vocabulary ids)`` those matching);
    the others come with None.
    """
    if len(names) == 0:
        return Kept(names, masks)
    unique, inverse = _distinct(masks, query_length)
    bits = [int(mask).bit_count() for mask in unique]
    several = np.array([count >= 2 for count in bits], dtype=np.bool_)[inverse]
    organisation = arrays.organisation[names]
    direct = np.zeros(len(names), dtype=np.bool_)
    joined = np.zeros(len(names), dtype=np.bool_)
    for kind in kinds:
        of_kind = organisation if kind == "organisation" else ~organisation
        ceiling_ok = np.array([reaches(kind, int(mask)) for mask in unique], dtype=np.bool_)[inverse]
        wanted = np.array([joinable(kind, int(mask)) for mask in unique], dtype=np.uint64)[inverse]
        # As in the screener: a longer query with two or more parts finding the name may contain it.
        containing = several & (arrays.sizes[names] < query_length)
        direct |= of_kind & (ceiling_ok | containing)
        # The screener's fallback: a left-over part may be a joined form of the same first letter
        # and a length within its edit budget (bounds.pairing_elsewhere).
        joined |= of_kind & ((arrays.signatures[names] & wanted) != 0)
    joined &= ~direct
    looked_at = np.flatnonzero(direct | (joined & wide_masks(masks)))
    kept = Kept(names[looked_at], masks[looked_at])
    if not wide_masks(masks) and joined.any():
        chosen = np.flatnonzero(joined)
        extra = _pair_joined(arrays, names[chosen], masks[chosen].astype(np.uint64), long_parts, pairs)
        paired = np.flatnonzero(extra)
        if len(paired):
            at = chosen[paired]
            kept = kept.then_with_extra(names[at], masks[at], extra[paired])
    return kept


def _distinct(
    masks: npt.NDArray[np.uint64] | npt.NDArray[np.object_], query_length: int
) -> tuple[npt.NDArray[Any], npt.NDArray[np.intp]]:
    """``np.unique(masks, return_inverse=True)``: for a query of a few parts, by counting (masks
    are then below 2 ** query_length) instead of sorting thousands of masks."""
    if query_length > _COUNTED_PARTS:
        unique, inverse = np.unique(masks, return_inverse=True)
        return unique, inverse.reshape(-1)
    small = masks.astype(np.intp)
    present = np.flatnonzero(np.bincount(small, minlength=1 << query_length))
    position = np.zeros(1 << query_length, dtype=np.intp)
    position[present] = np.arange(len(present))
    return present.astype(np.uint64), position[small]


def wide_masks(masks: npt.NDArray[np.uint64] | npt.NDArray[np.object_]) -> bool:
    return masks.dtype == np.object_


def _pair_joined(
    arrays: NameArrays,
    names: npt.NDArray[np.int64],
    masks: npt.NDArray[np.uint64],
    long_parts: Sequence[tuple[int, str, int]],
    pairs: Callable[[int, list[int]], list[int]],
) -> npt.NDArray[np.uint64]:
    """Per name: bits of the long query parts not among those that found it that pair with one of
    its joined forms of the same first letter and a length within the part's edit budget."""
    extra = np.zeros(len(names), dtype=np.uint64)
    owner, forms = arrays.joined_of(names)
    if not len(forms):
        return extra
    letters, lengths = arrays.first_letters[forms], arrays.lengths[forms]
    for i, text, budget in long_parts:
        bit = np.uint64(1 << i)
        near = ((masks[owner] & bit) == 0) & (letters == (ord(text[0]) & 0xFF))
        near &= np.abs(lengths - len(text)) <= budget
        if not near.any():
            continue
        matching = pairs(i, np.unique(forms[near]).tolist())
        if matching:
            np.bitwise_or.at(extra, owner[near & np.isin(forms, matching)], bit)
    return extra


def is_wide(query_length: int) -> bool:
    return query_length > _NARROW_PARTS


def joinable_signature(text: str, budget: int) -> int:
    """Signature bits (shifted down by SIGNATURE_BITS) of the joined forms a query part may pair
    with in ``bounds.pairing_elsewhere``: its first letter, a length within its edit budget."""
    size = len(text)
    found = 0
    for length in range(max(0, size - budget), size + budget + 1):
        found |= signature_bit(text, length)
    return found >> SIGNATURE_BITS


def similar_enough(part: NamePart, vocabulary_ids: list[int], vocabulary: Sequence[NamePart]) -> list[int]:
    """The listed parts alike enough to ``part`` to be worth comparing, found in one C call
    (``_LEAST_SIMILAR``); all of them across Arabic and Latin script, where only consonants count."""
    if len(vocabulary_ids) < 8 or (
        any(vocabulary[v].script != part.script for v in vocabulary_ids)
        and (part.script == ARABIC or any(vocabulary[v].script == ARABIC for v in vocabulary_ids))
    ):
        return vocabulary_ids
    texts = [vocabulary[v].text for v in vocabulary_ids]
    found = process.extract(
        part.text, texts, scorer=Indel.normalized_similarity, score_cutoff=_LEAST_SIMILAR, limit=None
    )
    return [vocabulary_ids[position] for _text, _score, position in found]
