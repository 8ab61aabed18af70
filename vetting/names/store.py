"""Saving a built screener and loading it back, so that a worker starting with a large list answers
at once instead of rebuilding the index (issue 21: within 3 s with 100,000 entries).

The file holds only plain values (strings, numbers, lists, dicts) written with ``marshal``: no
objects are unpickled, so a file cannot run code, and loading is a fast bulk read. It is keyed by
a fingerprint of the format and of the reference data files, so a file written before either
changed is not used (the screener is rebuilt and the file rewritten).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from array import array
from dataclasses import asdict
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from vetting.names.data import NameData
from vetting.names.index import FlatLists, IndexedName, NameIndex
from vetting.names.normalise import NamePart
from vetting.names.weights import ScreeningWeights

# 4: weak aliases (an entry's list and each listed name's flag) are kept too.
# 5: joined lengths carry (first letter, length) signature bits; each name's joined forms are kept.
FORMAT = 5


@cache
def fingerprint() -> str:
    """Changes whenever the file format or any reference data file changes."""
    digest = hashlib.sha256(f"format {FORMAT}".encode())
    for item in sorted(resources.files("vetting.data").iterdir(), key=lambda item: item.name):
        if item.is_file():
            digest.update(item.name.encode())
            digest.update(item.read_bytes())
    return digest.hexdigest()


def index_state(index: NameIndex) -> dict[str, Any]:
    parts: dict[NamePart, int] = {}
    weights: dict[tuple[float, ...], int] = {}
    names = []
    for name in index.names:
        part_ids = [parts.setdefault(part, len(parts)) for part in name.parts]
        names.append(
            (
                name.entry,
                name.raw,
                part_ids,
                weights.setdefault(name.weights, len(weights)),
                name.joined_lengths,
                name.weak,
            )
        )
    return {
        "parts": [(p.text, p.script, p.shown) for p in parts],
        "part_weights": list(weights),
        "names": names,
        "vocabulary": [(p.text, p.script, p.shown) for p in index.vocabulary],
        "postings": (index.postings.values.tobytes(), index.postings.starts.tobytes()),
        "joined": (index.joined.values.tobytes(), index.joined.starts.tobytes()),
        "key_numbers": index.key_numbers.tobytes(),
        "key_ids": (index.key_ids.values.tobytes(), index.key_ids.starts.tobytes()),
    }


def load_index(state: dict[str, Any], data: NameData) -> NameIndex:
    index = NameIndex(data)
    parts = [NamePart(text, script, shown) for text, script, shown in state["parts"]]
    weights = [tuple(w) for w in state["part_weights"]]
    index.names = [
        IndexedName(entry, raw, tuple(parts[i] for i in part_ids), weights[weight_id], lengths, weak)
        for entry, raw, part_ids, weight_id, lengths, weak in state["names"]
    ]
    index.vocabulary = [NamePart(text, script, shown) for text, script, shown in state["vocabulary"]]
    index._vocabulary_ids = {(p.text, p.script): i for i, p in enumerate(index.vocabulary)}
    index.postings = FlatLists.from_bytes(*state["postings"])
    index.joined = FlatLists.from_bytes(*state["joined"])
    index.key_numbers = array("I", state["key_numbers"])
    index.key_ids = FlatLists.from_bytes(*state["key_ids"])
    return index


def write(path: Path, state: dict[str, Any]) -> None:
    """Write atomically (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            marshal.dump({"fingerprint": fingerprint(), **state}, out)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read(path: Path) -> dict[str, Any] | None:
    """The saved state, or None when there is none or it is from other data or another format."""
    try:
        with path.open("rb") as handle:
            # Our own file in our own directory; marshal builds plain values and nothing here calls them.
            state = marshal.load(handle)  # noqa: S302
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(state, dict) or state.get("fingerprint") != fingerprint():
        return None
    return state


def weights_state(weights: ScreeningWeights) -> dict[str, float]:
    return asdict(weights)
