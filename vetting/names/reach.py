"""The screener's listed-side bound (``ScreeningBounds._skipped``) for many candidate names at once
(issue 21: worst case 50 ms for any name the API accepts).

A common part alone as the query ("Gousha") finds thousands of listed names, and every one passes
the query-side ceiling: the query's only part pairs. Each was then made into an object and skipped
one at a time, by its own parts left over and by comparing the query with its parts written
together (300 ms and more at 100,000 entries). Here the names found by every query part are
decided by kind and tuple of part weights, and their parts written together are compared once per
distinct form, after a length test that rejects only what ``compare_parts`` rejects. What is left
goes to the screener's own tests, one name at a time, so nothing it would match is lost.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Final

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import Indel

from vetting.names.candidates import NameArrays, initial_bit
from vetting.names.compare import compare_parts
from vetting.names.data import NameData
from vetting.names.kept import Kept
from vetting.names.keys import skeletons, spelling_key
from vetting.names.normalise import ARABIC, NamePart
from vetting.names.weights import ScreeningWeights

# Below this many names the one-at-a-time tests cost less than grouping them (here and in
# leftover.py).
MANY: Final = 64
_SKELETON_SIMILARITY = 0.7  # compare._MIN_SKELETON_SIMILARITY, which the length test serves

# Per query part (text, script): the vocabulary ids of forms compared with it, and whether each
# matched, for one screening: the same forms come back in each reading of the name and each group
# of names the bulk bounds decide.
JoinedMemo = dict[tuple[str, str], dict[int, bool]]
# Per run of query parts written together that matches listed parts: its query parts' bits and the
# vocabulary ids of those listed parts (``run_ids``).
RunIds = Callable[[], list[tuple[int, list[int]]]]


def run_ids(
    absorbing: Callable[[], list[tuple[int, frozenset[tuple[str, str]]]]],
    vocabulary_id: Callable[[str, str], int | None],
) -> RunIds:
    """``absorbing``'s runs with their listed parts as vocabulary ids, looked up when first asked
    and then kept: both bulk steps of a reading read them (``beyond_reach``, ``below_in_bulk``)."""
    return functools.cache(
        lambda: [
            (bits, [v for text, script in parts if (v := vocabulary_id(text, script)) is not None])
            for bits, parts in absorbing()
        ]
    )


def _budgets(shorter: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """``keys.edit_budget`` of each length."""
    # Counting thresholds passed: several times faster than np.select over thousands of forms.
    budget: npt.NDArray[np.int64] = (shorter > 3).astype(np.int64) + (shorter > 7) + (shorter > 11)
    return budget


_MEMBERS: dict[int, tuple[NameData, dict[int, list[str]]]] = {}


def _class_members(data: NameData, text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The spellings in ``text``'s classes of known variants, and their spelling keys as
    ``NameData.key_classes`` files them (of spellings of four letters or more): a part is a known
    variant of ``text`` exactly when it is one of the former or its spelling key one of the latter."""
    classes = data.classes_of(text)
    if not classes:
        return frozenset(), frozenset()
    held = _MEMBERS.get(id(data))
    if held is None or held[0] is not data:
        members: dict[int, list[str]] = {}
        for spelling, ids in data.equivalence_classes.items():
            for class_id in ids:
                members.setdefault(class_id, []).append(spelling)
        held = _MEMBERS[id(data)] = (data, members)
    spellings = frozenset(spelling for class_id in classes for spelling in held[1].get(class_id, ()))
    return spellings, frozenset(spelling_key(spelling) for spelling in spellings if len(spelling) >= 4)


def _class_lengths(data: NameData, text: str) -> tuple[list[int], list[int]]:
    """Lengths of the spellings in ``text``'s classes of known variants, and of their spelling
    keys: a part of another length is in none of them."""
    spellings, keys = _class_members(data, text)
    return sorted({len(spelling) for spelling in spellings}), sorted({len(key) for key in keys})


def _may_match(
    arrays: NameArrays, forms: npt.NDArray[np.int64], part: NamePart, data: NameData
) -> npt.NDArray[np.bool_]:
    """False only where ``compare_parts(part, form)`` surely finds no match (``part`` in Latin
    script): a known variant is spelt as one of its class or has the spelling key of one, so has
    one of their lengths or key lengths; equal spelling keys, or keys within the edit budget, need
    key lengths within it; texts within the edit budget need lengths within it; the skeleton test
    needs the same skeleton (so of the same length, three consonants or more) and lengths passing
    its length test. Forms in Arabic script are always compared."""
    q, key = len(part.text), len(spelling_key(part.text))
    skeleton = max((len(s) for s in skeletons(part.text, False)), default=0)
    lengths = arrays.lengths[forms]
    budget = _budgets(np.minimum(lengths, q))
    near = np.abs(arrays.key_lengths[forms].astype(np.int64) - key) <= budget
    near |= np.abs(lengths - q) <= budget
    if skeleton >= 3:
        alike = 2 * np.minimum(lengths, q) >= _SKELETON_SIMILARITY * (lengths + q)
        near |= alike & (arrays.skeleton_lengths[forms] == skeleton)
    class_lengths, class_keys = _class_lengths(data, part.text)
    if class_lengths:
        near |= np.isin(lengths, class_lengths) | np.isin(arrays.key_lengths[forms], class_keys)
    may: npt.NDArray[np.bool_] = near | (arrays.arabic[forms] != 0) | (lengths < 2)
    return may


def beyond_reach(
    arrays: NameArrays,
    kept: Kept,
    *,
    query: tuple[NamePart, ...],
    everything: int,
    initials: int,
    ceiling: Callable[..., float],
    bar: float,
    runs: RunIds,
    joinable: Callable[[str, int], int],
    vocabulary: Sequence[NamePart],
    data: NameData,
    weights: ScreeningWeights,
    memo: JoinedMemo | None = None,
) -> Kept:
    """``kept`` (``candidates.hopeful``'s answer) without names the screener would drop after
    ``_skipped``, among those with no ``extra`` and at least as many parts as the query (so not
    looked for within it). Their query-side ceiling passed in ``hopeful``. ``_skipped`` then
    holds when: no run of query parts written together absorbs one of their parts (``runs``, whose
    ids find its postings; none left when every query part found the name),
    their own parts left over (one a pair) keep
    them under the bar, and either three a pair would too or no form of their parts written
    together matches a query part that found them. A skip is final when every query part found
    the name, or when no query part left over could be one of its joined forms by first letter and
    length (``joinable``: the signature bits of the long query parts left over, as in ``hopeful``;
    0 when even all could not reach the bar), which ``bounds.pairing_elsewhere`` requires.
    """
    if len(kept) < MANY or everything.bit_length() > 63:
        return kept
    if initials and (everything.bit_length() > 32 or not len(arrays.part_letters)):
        return kept  # masks and initials' pairing are packed in one 64-bit key below
    names, masks, plain = kept.names, kept.masks.astype(np.uint64), kept.plain()
    # A name with fewer parts than the query is looked for within it only when two query parts
    # or more found it (``could_contain``); the others are judged as the rest.
    plain &= (arrays.sizes[names] >= len(query)) | (np.bitwise_count(masks) < 2)
    # The query's initials that may pair with a part of each name (``_skipped``'s ``pairing``): by
    # the first letters of its parts (one bit per letter or digit; any other start, one bit for
    # all, so never fewer than pair).
    pairing = np.zeros(len(kept), dtype=np.uint64)
    for i, part in enumerate(query):
        if initials >> i & 1:
            starts = (arrays.part_letters[names] & np.uint64(initial_bit(part.text))) != 0
            pairing |= starts.astype(np.uint64) << np.uint64(i)
    dropped = np.zeros(len(kept), dtype=np.bool_)
    groups = masks | (pairing << np.uint64(32)) if initials else masks
    held: dict[tuple[int, ...], npt.NDArray[np.bool_]] = {}
    for group in np.unique(groups[plain]).tolist():
        chosen = np.flatnonzero(plain & (groups == group))
        mask, usable = (group & 0xFFFFFFFF, group >> 32) if initials else (group, 0)
        covered = mask | usable
        if mask != everything:
            # Names with a part that query parts written together (not all among those that
            # found the name) match are left to the one-by-one path: the postings of such parts
            # (which also hold names having them as a joined form: more are left, never fewer).
            absorbed = tuple(v for bits, ids in runs() if bits & ~covered for v in ids)
            if absorbed:
                holding = held.get(absorbed)
                if holding is None:
                    # Per name id, as a mask: a common part's postings hold thousands of names,
                    # which np.isin sorted again for every group.
                    holding = held[absorbed] = np.zeros(len(arrays.sizes), dtype=np.bool_)
                    for v in absorbed:
                        holding[arrays.values[int(arrays.starts[v]) : int(arrays.starts[v + 1])]] = True
                chosen = chosen[~holding[names[chosen]]]
        dropped[chosen] = _skipped_for_good(
            arrays,
            names[chosen],
            mask,
            usable,
            everything,
            query,
            ceiling,
            bar,
            joinable,
            vocabulary,
            data,
            weights,
            memo,
        )
    return kept.only(~dropped) if dropped.any() else kept


def _skipped_for_good(
    arrays: NameArrays,
    names: npt.NDArray[np.int64],
    mask: int,
    pairing: int,
    everything: int,
    query: tuple[NamePart, ...],
    ceiling: Callable[..., float],
    bar: float,
    joinable: Callable[[str, int], int],
    vocabulary: Sequence[NamePart],
    data: NameData,
    weights: ScreeningWeights,
    memo: JoinedMemo | None,
) -> npt.NDArray[np.bool_]:
    """Per name found by the query parts in ``mask`` (and whose parts start as the query initials
    in ``pairing``): whether the screener surely drops it."""
    groups = arrays.weight_ids[names].astype(np.int64) * 2 + arrays.organisation[names]
    unique, inverse = np.unique(groups, return_inverse=True)
    inverse = inverse.reshape(-1)
    near, far, rescued = [], [], []
    for group in unique.tolist():
        kind = "organisation" if group & 1 else "person"
        start, end = int(arrays.weight_starts[group >> 1]), int(arrays.weight_starts[(group >> 1) + 1])
        listed = tuple(arrays.weight_values[start:end].tolist())
        near.append(ceiling(kind, mask | pairing, listed, 1, pairing) < bar)
        far.append(ceiling(kind, mask | pairing, listed, 3, pairing) < bar)
        rescued.append(joinable(kind, mask) if mask != everything else 0)
    out = np.array(near, dtype=np.bool_)[inverse]  # may be skipped; surely when also ``far``
    if mask != everything:
        # The screener's fallback: a left-over query part may be one of its joined forms.
        out &= (arrays.signatures[names] & np.array(rescued, dtype=np.uint64)[inverse]) == 0
    undecided = out & ~np.array(far, dtype=np.bool_)[inverse]
    if undecided.any():
        single = [part for i, part in enumerate(query) if mask >> i & 1 and len(part.text) > 1]
        out[undecided] = ~joined_matches(arrays, names[undecided], single, vocabulary, data, weights, memo)
    return out


def _saved_keys(arrays: NameArrays, ids: npt.NDArray[np.int64], positions: list[int]) -> list[str] | None:
    return arrays.spelling_keys(ids[positions].tolist())


def _close_enough(
    part: NamePart,
    texts: list[str],
    arabic: npt.NDArray[np.bool_],
    key_lengths: npt.NDArray[np.uint32] | None,
    keys: Callable[[list[int]], list[str] | None] | None = None,
) -> npt.NDArray[np.bool_]:
    """For a Latin ``part``: False only where ``compare_parts`` surely finds no match with the
    form of each text other than as a known variant (``joined_matches`` keeps those itself), by
    Indel distance (in one C call), which an edit within the budget at most doubles, on the text or
    the spelling key, and which the skeleton test bounds by its similarity. Forms in Arabic script
    (``arabic``) are kept. ``key_lengths`` (of the forms' spelling keys, when known) spare working
    out keys that differ in length by more than the budget; ``keys`` (the saved spelling keys of
    the forms at these positions, when known) spare working out the others."""
    q = part.text
    lengths = np.fromiter((len(text) for text in texts), dtype=np.int64, count=len(texts))
    budget = _budgets(np.minimum(lengths, len(q)))
    apart = process.cdist([q], texts, scorer=Indel.distance, dtype=np.int64)[0]
    close: npt.NDArray[np.bool_] = (apart <= 2 * budget) | (
        apart <= (1 - _SKELETON_SIMILARITY) * (lengths + len(q))
    )
    close |= arabic
    key = spelling_key(q)
    unsure = ~close
    if key_lengths is not None:
        unsure &= np.abs(key_lengths.astype(np.int64) - len(key)) <= budget
    checked = np.flatnonzero(unsure)
    saved = keys(checked.tolist()) if keys is not None and len(checked) else None
    if saved is not None:
        # One C call over the saved keys.
        apart = process.cdist([key], saved, scorer=Indel.distance, dtype=np.int64)[0]
        close[checked] = apart <= 2 * budget[checked]
        return close
    for i in checked.tolist():
        close[i] = (
            Indel.distance(key, spelling_key(texts[i]), score_cutoff=2 * int(budget[i])) <= 2 * budget[i]
        )
    return close


def _arabic(
    arrays: NameArrays, ids: npt.NDArray[np.int64], vocabulary: Sequence[NamePart]
) -> npt.NDArray[np.bool_]:
    if len(arrays.arabic):  # saved with the length facts
        saved: npt.NDArray[np.bool_] = arrays.arabic[ids] != 0
        return saved
    return np.fromiter((vocabulary[v].script == ARABIC for v in ids.tolist()), dtype=np.bool_, count=len(ids))


def joined_matches(
    arrays: NameArrays,
    names: npt.NDArray[np.int64],
    single: list[NamePart],
    vocabulary: Sequence[NamePart],
    data: NameData,
    weights: ScreeningWeights,
    memo: JoinedMemo | None = None,
) -> npt.NDArray[np.bool_]:
    """Per name: whether a form of its parts written together matches a query part (of two
    letters or more), as ``_cannot_reach`` compares them, each distinct form once (and, with a
    ``memo``, once per screening)."""
    found = np.zeros(len(names), dtype=np.bool_)
    owner, forms = arrays.joined_of(names)
    if not len(forms) or not single:
        return found
    distinct, inverse = np.unique(forms, return_inverse=True)
    matching = np.zeros(len(distinct), dtype=np.bool_)
    for part in single:
        known = memo.setdefault((part.text, part.script), {}) if memo is not None else {}
        # Across scripts every form is compared; and by a screener never saved (no length facts).
        if part.script == ARABIC or not len(arrays.key_lengths):
            wanted = ~matching
        else:
            wanted = ~matching & _may_match(arrays, distinct, part, data)
        indices = np.flatnonzero(wanted)
        if known:
            decided = [known.get(v) for v in distinct[indices].tolist()]
            matching[indices[[answer is True for answer in decided]]] = True
            indices = indices[[answer is None for answer in decided]]
        ids = distinct[indices]
        if len(indices) > MANY and part.script != ARABIC:
            texts = arrays.vocabulary_texts(ids.tolist())
            close = _close_enough(
                part,
                texts,
                _arabic(arrays, ids, vocabulary),
                arrays.key_lengths[ids] if len(arrays.key_lengths) else None,
                functools.partial(_saved_keys, arrays, ids),
            )
            spellings, keys = _class_members(data, part.text)
            if spellings:
                # A known variant: one of its class's spellings, or with one of their keys.
                saved = arrays.spelling_keys(ids.tolist()) or [spelling_key(text) for text in texts]
                close |= np.fromiter(
                    (text in spellings or key in keys for text, key in zip(texts, saved, strict=True)),
                    dtype=np.bool_,
                    count=len(texts),
                )
            known.update(dict.fromkeys(ids[~close].tolist(), False))
            indices = indices[close]
        for i in indices.tolist():
            v = int(distinct[i])
            known[v] = compare_parts(part, vocabulary[v], data, weights) is not None
            matching[i] = known[v]
    found[owner[matching[inverse.reshape(-1)]]] = True
    return found
