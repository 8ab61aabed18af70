"""An inverted index from comparison keys of name parts to the listed names that contain them.

Two levels keep it small: keys point at distinct parts (the vocabulary), parts point at names.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from vetting.names.data import NameData
from vetting.names.keys import deletion_neighbours, skeletons, spelling_key
from vetting.names.normalise import ARABIC, NamePart, joined_forms


class IndexedName(NamedTuple):
    """One listed name as the index keeps it (a named tuple: made in C, thousands at a time for a
    common part's names)."""

    entry: int  # position of the entry in the screener
    raw: str
    parts: tuple[NamePart, ...]
    weights: tuple[float, ...]
    # Bit n (n < 64) set when two or three neighbouring parts written as one word make n letters,
    # and bit 64 + k when such a word starts with letter k (see joined_lengths): lets the screener
    # see at once whether a query part could be such a word.
    joined_lengths: int = 0
    weak: bool = False  # an alias the list marks as low quality


START_BITS = 64
# Above the letter bits, 64 more: one per (first letter, length) of a joined form, folded into 64
# (see signature_bit), which finds a joined form of about a query part's length and initial at once.
SIGNATURE_BITS = START_BITS + 27


def _letter_code(text: str) -> int:
    code = ord(text[0]) - 97
    return code if 0 <= code < 26 else 26


def letter_bit(text: str) -> int:
    """The bit, above START_BITS, for the first letter of ``text`` (anything not a-z shares one)."""
    return 1 << (START_BITS + _letter_code(text))


def signature_bit(text: str, length: int) -> int:
    """The bit, above SIGNATURE_BITS, for a joined form starting as ``text`` of ``length`` letters."""
    return 1 << (SIGNATURE_BITS + (_letter_code(text) * 7 + min(length, START_BITS - 1)) % 64)


def joined_lengths(
    parts: tuple[NamePart, ...], forms: list[tuple[tuple[int, ...], NamePart]] | None = None
) -> int:
    """The joined-form bits of ``IndexedName.joined_lengths``; ``forms`` is ``joined_forms(parts)``
    when the caller has it already."""
    lengths = 0
    for indices, form in joined_forms(parts) if forms is None else forms:
        if len(indices) > 1:
            size = len(form.text)
            lengths |= (
                (1 << min(size, START_BITS - 1)) | letter_bit(form.text) | signature_bit(form.text, size)
            )
    return lengths


def part_keys(part: NamePart, data: NameData, joined: bool = False) -> Iterable[str]:
    """Every key under which a part is filed; two parts that may match share at least one.

    Parts written together from two or three (``joined``) get only the exact and spelling keys:
    that finds "Abdul Rahman" for "Abdulrahman" while keeping the index small.
    """
    text = part.text
    yield "x" + text
    if joined:
        yield "d" + spelling_key(text)
        return
    for class_id in data.classes_of(text):
        yield f"v{class_id}"
    key = spelling_key(text)
    if "ch" in text:
        # ch read as k (Italian Marchetti, German Christoph): two edits from Marketti, beyond the
        # deletion neighbours, so filed under that reading's spelling key too.
        yield "d" + spelling_key(text.replace("ch", "k"))
    # The spelling key's neighbours only where it differs from the text (ts/c, zh/j, doubled letters).
    for neighbour in {*deletion_neighbours(text), *(deletion_neighbours(key) if key != text else (key,))}:
        yield "d" + neighbour
    arabic = part.script == ARABIC
    for skeleton in skeletons(text, arabic):
        # Two-consonant skeletons are only looked up for Arabic script (Ziad, Nour), where they are needed.
        if len(skeleton) >= 3:
            yield "s" + skeleton
        elif not arabic:
            yield "t" + skeleton


def key_number(key: str) -> int:
    return zlib.crc32(key.encode())


def arabic_short_keys(part: NamePart) -> list[str]:
    """Keys under which Latin parts with a two-consonant skeleton are filed, for an Arabic-script part."""
    return ["t" + skeleton for skeleton in skeletons(part.text, True) if len(skeleton) < 3]


class FlatLists:
    """Many short lists of ints as two flat arrays (values, and where each list starts): a
    fraction of the memory of Python lists, and saved or loaded as bytes at once."""

    def __init__(self, lists: Iterable[Iterable[int]] = ()) -> None:
        self.values = array("I")
        self.starts = array("I", [0])
        for items in lists:
            self.values.extend(items)
            self.starts.append(len(self.values))

    @classmethod
    def from_arrays(cls, values: Any, starts: Any) -> FlatLists:
        """Over numpy arrays (of a memory-mapped file, vetting/names/store.py)."""
        flat = cls()
        flat.values, flat.starts = values, starts
        flat._numpy = True
        return flat

    _numpy = False

    def __len__(self) -> int:
        return len(self.starts) - 1

    def __getitem__(self, position: int) -> Sequence[int]:
        found = self.values[self.starts[position] : self.starts[position + 1]]
        return found.tolist() if self._numpy else found


class NameIndex:
    """Built once, then only read: safe to query from many threads.

    While names are added, keys and postings are dicts and lists; ``freeze`` turns them into flat
    arrays (keys sorted, found by bisection) that take less memory and save and load as bytes.
    """

    def __init__(self, data: NameData) -> None:
        self._data = data
        self.names: list[IndexedName] = []
        self.vocabulary: list[NamePart] = []
        self._vocabulary_ids: dict[tuple[str, str], int] = {}
        self._building_postings: list[list[int]] = []  # vocabulary id -> name ids
        # Keyed by a checksum of the key string: a collision only adds a candidate that comparison
        # rejects, int keys take a fraction of the memory of strings, and unlike hash() a checksum is
        # the same in every process, so a saved index (vetting/names/store.py) stays valid.
        # (key checksum, vocabulary id) pairs, grouped by checksum in ``freeze`` (one numpy sort).
        self._building_numbers = array("I")
        self._building_ids = array("I")
        self._building_joined: list[list[int]] = []  # name id -> vocabulary ids of its joined forms
        self._building_single = bytearray()  # vocabulary id -> 1 when some listed name has it as a part
        self.single: npt.NDArray[np.uint8] = np.zeros(0, dtype=np.uint8)
        self.postings = FlatLists()
        self.joined = FlatLists()  # name id -> vocabulary ids of its parts written together
        self.key_numbers: npt.NDArray[np.uint32] = np.zeros(0, dtype=np.uint32)  # sorted key checksums
        self.key_ids = FlatLists()  # vocabulary ids of each key in key_numbers

    def add(self, name: IndexedName, forms: list[tuple[tuple[int, ...], NamePart]] | None = None) -> None:
        """File ``name``; ``forms`` is ``joined_forms(name.parts)`` when the caller has it already."""
        name_id = len(self.names)
        self.names.append(name)
        joined: list[int] = []
        self._building_joined.append(joined)
        for indices, form in joined_forms(name.parts) if forms is None else forms:
            form = NamePart(form.text, form.script, form.text)
            vocabulary_id = self._vocabulary_ids.get((form.text, form.script))
            if vocabulary_id is None:
                vocabulary_id = len(self.vocabulary)
                self._vocabulary_ids[(form.text, form.script)] = vocabulary_id
                self.vocabulary.append(form)
                self._building_postings.append([])
                self._building_single.append(0)
                numbers = {key_number(key) for key in part_keys(form, self._data, joined=len(indices) > 1)}
                self._building_numbers.extend(numbers)
                self._building_ids.extend([vocabulary_id] * len(numbers))
            posting = self._building_postings[vocabulary_id]
            # Once per part of the name (twice for "Gousha Gousha": see candidates.gather), once
            # for parts written together.
            if len(indices) == 1 or not posting or posting[-1] != name_id:
                posting.append(name_id)
            if len(indices) > 1:
                joined.append(vocabulary_id)
            else:
                self._building_single[vocabulary_id] = 1

    def freeze(self) -> None:
        self.postings = FlatLists(self._building_postings)
        self.joined = FlatLists(self._building_joined)
        numbers = np.frombuffer(self._building_numbers, dtype=np.uint32)
        ids = np.frombuffer(self._building_ids, dtype=np.uint32)
        order = np.argsort(numbers, kind="stable")  # stable: each key's ids stay in the order added
        numbers, ids = numbers[order], ids[order]
        first = np.flatnonzero(np.concatenate((numbers[:1] == numbers[:1], numbers[1:] != numbers[:-1])))
        self.key_numbers = numbers[first]
        self.key_ids = FlatLists.from_arrays(ids, np.append(first, len(ids)).astype(np.uint32))
        self.single = np.frombuffer(bytes(self._building_single), dtype=np.uint8)
        self._building_postings, self._building_joined = [], []
        self._building_single = bytearray()
        self._building_numbers, self._building_ids = array("I"), array("I")

    def vocabulary_id(self, text: str, script: str) -> int | None:
        """The vocabulary id of exactly this form, or None (found through its exact-text key)."""
        if self._vocabulary_ids:  # built here (a loaded index has only the arrays)
            return self._vocabulary_ids.get((text, script))
        number = key_number("x" + text)
        # As the array's own type: a Python int would have numpy convert the whole array first.
        at = int(np.searchsorted(self.key_numbers, np.uint32(number)))
        if at == len(self.key_numbers) or int(self.key_numbers[at]) != number:
            return None
        for vocabulary_id in self.key_ids[at]:
            part = self.vocabulary[vocabulary_id]
            if part.text == text and part.script == script:
                return int(vocabulary_id)
        return None

    def text_ids(self, text: str) -> list[int]:
        """The vocabulary ids of this text, in any script."""
        number = key_number("x" + text)
        at = int(np.searchsorted(self.key_numbers, np.uint32(number)))
        if at == len(self.key_numbers) or int(self.key_numbers[at]) != number:
            return []
        return [int(v) for v in self.key_ids[at] if self.vocabulary[v].text == text]

    def similar_parts(self, part: NamePart, joined: bool = False) -> set[int]:
        """Vocabulary ids that may match ``part`` (to be confirmed by comparing them)."""
        keys = set(part_keys(part, self._data, joined))
        if part.script == ARABIC:
            keys.update(arabic_short_keys(part))
        elif len(part.text) < 8 and (len(part.text) < 4 or len(spelling_key(part.text)) >= 4):
            # Within its edit budget (at most one edit below eight letters) a listed part shares a
            # deletion key with this one; a two-consonant skeleton can match it only across Arabic
            # script, and Arabic parts are not filed under one: those keys would find only parts
            # that comparison rejects (dozens for a short part).
            keys = {key for key in keys if key[0] != "t"}
        if len(part.text) > 1:
            # Listed names may hold only the initial of this part.
            keys.add("x" + part.text[0])
        # All keys found in one search of the sorted checksums (bisecting a numpy array one key at a
        # time makes a numpy scalar per step).
        wanted = np.fromiter((key_number(key) for key in keys), dtype=np.uint32, count=len(keys))
        at = np.searchsorted(self.key_numbers, wanted)
        inside = at < len(self.key_numbers)
        at, wanted = at[inside], wanted[inside]
        found: set[int] = set()
        for position in at[self.key_numbers[at] == wanted].tolist():
            found.update(self.key_ids[position])
        return found
