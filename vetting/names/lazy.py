"""A built screener's entries and index as flat arrays (vetting/names/store.py writes and maps them),
and sequences over those arrays that make a listed name, part or entry into a Python object only
when a screening looks at it, keeping the last few thousand (most screenings look at a handful)."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, overload

import numpy as np
import numpy.typing as npt

from vetting.names.candidates import NameArrays, spread
from vetting.names.data import NameData
from vetting.names.index import SIGNATURE_BITS, START_BITS, FlatLists, IndexedName, NameIndex
from vetting.names.normalise import NamePart
from vetting.names.results import EntryKind, FlaggedEntry
from vetting.names.store import Saved, strings

T = TypeVar("T")
_KEEP = 8192  # objects of each kind kept made, per screener
_TOGETHER = 32  # fewer are made one by one (the arrays' fixed costs outweigh what they save)
_LOW_64 = (1 << 64) - 1


def _flat(name: str, lists: FlatLists) -> dict[str, npt.NDArray[Any]]:
    return {
        f"{name}.values": np.frombuffer(lists.values, dtype=np.uint32),
        f"{name}.starts": np.frombuffer(lists.starts, dtype=np.uint32),
    }


def _texts(name: str, texts: list[str]) -> dict[str, npt.NDArray[Any]]:
    return {f"{name}.{key}": array for key, array in strings(texts).items()}


def screener_arrays(
    entries: Sequence[FlaggedEntry], index: NameIndex, arrays: NameArrays
) -> dict[str, npt.NDArray[Any]]:
    """Everything a screener needs, as flat arrays."""
    parts: dict[NamePart, int] = {}
    weights: dict[tuple[float, ...], int] = {}
    names = list(index.names)
    part_ids = FlatLists([parts.setdefault(part, len(parts)) for part in name.parts] for name in names)
    weight_ids = [weights.setdefault(name.weights, len(weights)) for name in names]
    scripts = sorted({part.script for part in parts} | {part.script for part in index.vocabulary})
    script_ids = {script: i for i, script in enumerate(scripts)}
    return {
        **_texts("entry_id", [entry.id for entry in entries]),
        "entry_organisation": np.array([entry.kind == "organisation" for entry in entries], dtype=np.uint8),
        **_texts(
            "entry_names",
            [json.dumps([entry.name, list(entry.aliases), list(entry.weak_aliases)]) for entry in entries],
        ),
        **_texts("script", scripts),
        **_texts("part_text", [part.text for part in parts]),
        **_texts("part_shown", [part.shown for part in parts]),
        "part_script": np.array([script_ids[part.script] for part in parts], dtype=np.uint8),
        **_texts("vocabulary", [part.text for part in index.vocabulary]),
        "vocabulary_script": np.array([script_ids[part.script] for part in index.vocabulary], dtype=np.uint8),
        "weights.values": np.array([w for group in weights for w in group], dtype=np.float64),
        "weights.starts": np.cumsum([0] + [len(group) for group in weights], dtype=np.uint32),
        "name_entry": np.array([name.entry for name in names], dtype=np.uint32),
        **_texts("name_raw", [name.raw for name in names]),
        **_flat("name_parts", part_ids),
        "name_weights": np.array(weight_ids, dtype=np.uint32),
        "name_lengths": np.array([name.joined_lengths & _LOW_64 for name in names], dtype=np.uint64),
        "name_weak": np.array([name.weak for name in names], dtype=np.uint8),
        **_flat("postings", index.postings),
        **_flat("joined", index.joined),
        **_flat("key_ids", index.key_ids),
        "key_numbers": np.frombuffer(index.key_numbers, dtype=np.uint32),
        **arrays.state(),
    }


class _Lazy(Sequence[T]):
    def __init__(
        self, size: int, make: Callable[[int], T], make_many: Callable[[list[int]], list[T]] | None = None
    ) -> None:
        self._size = size
        self._make = functools.lru_cache(maxsize=_KEEP)(make)
        self._make_many = make_many

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[T]: ...
    def __getitem__(self, i: int | slice) -> T | Sequence[T]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self._size))]
        if i < 0:
            i += self._size
        if not 0 <= i < self._size:
            raise IndexError(i)
        return self._make(int(i))

    def many(self, ids: list[int]) -> list[T]:
        """The objects at ``ids`` (valid positions). Thousands at once are made together and not
        kept (a common part's names, which would push out the names most screenings meet)."""
        if self._make_many is None or len(ids) < _TOGETHER:
            return [self._make(i) for i in ids]
        return self._make_many(ids)


def many(items: Sequence[T], ids: list[int]) -> list[T]:
    """``[items[i] for i in ids]``, made together when ``items`` is made as asked (a loaded screener)."""
    if isinstance(items, _Lazy):
        return items.many(ids)
    return [items[i] for i in ids]


def loaded(saved: Saved, data: NameData) -> tuple[Sequence[FlaggedEntry], NameIndex, NameArrays]:
    """Entries, index and per-name arrays over a mapped file; objects made as they are needed."""
    a = saved.arrays
    scripts = [saved.texts("script")[i] for i in range(len(saved.texts("script")))]
    entry_ids, entry_names = saved.texts("entry_id"), saved.texts("entry_names")
    organisation = a["entry_organisation"]

    def entry(i: int) -> FlaggedEntry:
        name, aliases, weak = json.loads(entry_names[i])
        kind: EntryKind = "organisation" if organisation[i] else "person"
        return FlaggedEntry(entry_ids[i], kind, name, tuple(aliases), tuple(weak))

    part_text, part_shown, part_script = saved.texts("part_text"), saved.texts("part_shown"), a["part_script"]
    part = functools.lru_cache(maxsize=_KEEP)(
        lambda i: NamePart(part_text[i], scripts[part_script[i]], part_shown[i])
    )
    weight_values, weight_starts = a["weights.values"], a["weights.starts"]
    part_values, part_starts = a["name_parts.values"], a["name_parts.starts"]
    raw, entries_of, weights_of = saved.texts("name_raw"), a["name_entry"], a["name_weights"]
    lengths, letters, signatures, weak = a["name_lengths"], a["letters"], a["signatures"], a["name_weak"]

    # Names share weight groups (one per shape of name): each group is made once.
    group = functools.lru_cache(maxsize=_KEEP)(
        lambda w: tuple(weight_values[weight_starts[w] : weight_starts[w + 1]].tolist())
    )

    def names(ids: list[int]) -> list[IndexedName]:
        # Thousands at once for a common part beside initials (issue 21, worst case): each array
        # read once for all of them.
        at = np.array(ids, dtype=np.int64)
        starts, ends = part_starts[at].astype(np.int64), part_starts[at + 1].astype(np.int64)
        sizes = ends - starts
        parts = list(map(part, part_values[spread(starts, sizes)[2]].tolist()))
        ends_at, counts = np.cumsum(sizes).tolist(), sizes.tolist()
        made = []
        for k, (entry, text, group_id, low, letter, signature, is_weak) in enumerate(
            zip(
                entries_of[at].tolist(), raw.many(at), weights_of[at].tolist(), lengths[at].tolist(),
                letters[at].tolist(), signatures[at].tolist(), weak[at].tolist(), strict=True,
            )
        ):  # fmt: skip
            end = ends_at[k]
            made.append(
                IndexedName(
                    entry,
                    text,
                    tuple(parts[end - counts[k] : end]),
                    group(group_id),
                    low | letter << START_BITS | signature << SIGNATURE_BITS,
                    bool(is_weak),
                )
            )
        return made

    def name(i: int) -> IndexedName:
        # Made by the thousand for a common part's first screening: few numpy calls each.
        joined = int(lengths[i]) | int(letters[i]) << START_BITS | int(signatures[i]) << SIGNATURE_BITS
        return IndexedName(
            int(entries_of[i]),
            raw[i],
            tuple(map(part, part_values[part_starts[i] : part_starts[i + 1]].tolist())),
            group(int(weights_of[i])),
            joined,
            bool(weak[i]),
        )

    vocabulary_text, vocabulary_script = saved.texts("vocabulary"), a["vocabulary_script"]

    def word(i: int) -> NamePart:
        text = vocabulary_text[i]
        return NamePart(text, scripts[vocabulary_script[i]], text)

    index = NameIndex(data)
    index.names = _Lazy(len(entries_of), name, names)  # type: ignore[assignment]  # read-only sequence, as after freeze
    index.vocabulary = _Lazy(len(vocabulary_script), word)  # type: ignore[assignment]  # read-only, as above
    index.postings = FlatLists.from_arrays(a["postings.values"], a["postings.starts"])
    index.joined = FlatLists.from_arrays(a["joined.values"], a["joined.starts"])
    index.key_ids = FlatLists.from_arrays(a["key_ids.values"], a["key_ids.starts"])
    index.key_numbers = a["key_numbers"]
    return _Lazy(len(organisation), entry), index, NameArrays.from_state(a)
