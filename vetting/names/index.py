"""An inverted index from comparison keys of name parts to the listed names that contain them.

Two levels keep it small: keys point at distinct parts (the vocabulary), parts point at names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from vetting.names.data import NameData
from vetting.names.keys import deletion_neighbours, skeletons, spelling_key
from vetting.names.normalise import ARABIC, NamePart, joined_forms


@dataclass(frozen=True, slots=True)
class IndexedName:
    entry: int  # position of the entry in the screener
    raw: str
    parts: tuple[NamePart, ...]
    weights: tuple[float, ...]
    weak: bool = False  # an alias the list marks as low quality


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


def arabic_short_keys(part: NamePart) -> list[str]:
    """Keys under which Latin parts with a two-consonant skeleton are filed, for an Arabic-script part."""
    return ["t" + skeleton for skeleton in skeletons(part.text, True) if len(skeleton) < 3]


class NameIndex:
    """Built once, then only read: safe to query from many threads."""

    def __init__(self, data: NameData) -> None:
        self._data = data
        self.names: list[IndexedName] = []
        self.vocabulary: list[NamePart] = []
        self._vocabulary_ids: dict[tuple[str, str], int] = {}
        self.postings: list[list[int]] = []  # vocabulary id -> name ids
        # Keyed by the hash of the key string: a collision only adds a candidate that comparison rejects,
        # and int keys take a fraction of the memory of strings.
        self._keys: dict[int, list[int]] = {}  # key hash -> vocabulary ids

    def add(self, name: IndexedName) -> None:
        name_id = len(self.names)
        self.names.append(name)
        for indices, form in joined_forms(name.parts):
            form = NamePart(form.text, form.script, form.text)
            vocabulary_id = self._vocabulary_ids.get((form.text, form.script))
            if vocabulary_id is None:
                vocabulary_id = len(self.vocabulary)
                self._vocabulary_ids[(form.text, form.script)] = vocabulary_id
                self.vocabulary.append(form)
                self.postings.append([])
                for key in set(part_keys(form, self._data, joined=len(indices) > 1)):
                    self._keys.setdefault(hash(key), []).append(vocabulary_id)
            posting = self.postings[vocabulary_id]
            if not posting or posting[-1] != name_id:
                posting.append(name_id)

    def similar_parts(self, part: NamePart, joined: bool = False) -> set[int]:
        """Vocabulary ids that may match ``part`` (to be confirmed by comparing them)."""
        found: set[int] = set()
        keys = set(part_keys(part, self._data, joined))
        if part.script == ARABIC:
            keys.update(arabic_short_keys(part))
        for key in keys:
            found.update(self._keys.get(hash(key), ()))
        if len(part.text) > 1:
            # Listed names may hold only the initial of this part.
            found.update(self._keys.get(hash("x" + part.text[0]), ()))
        return found
