"""Saving a built screener as flat arrays and mapping it back into memory, so that a worker starting
with a large list answers at once instead of rebuilding the index (issue 21: within 3 s with
100,000 entries), and so that the workers of one machine share one copy (issue 22 item 4).

The file is a short JSON header and then flat arrays of numbers and UTF-8 text, each at an offset
the header gives. Loading maps the file (``mmap``) and reads the arrays in place: nothing is copied
or unpickled, the pages come from the operating system's page cache, and every process that maps
the same file shares them. Names, parts and entries are made into Python objects only when a
screening looks at them (vetting/names/lazy.py). A file is keyed by a fingerprint of the format and
of the reference data files, so a file written before either changed is not used (the screener is
rebuilt and the file rewritten).
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from vetting.names.weights import ScreeningWeights

# 5: joined lengths carry (first letter, length) signature bits; each name's joined forms are kept.
# 6: flat arrays, memory-mapped, instead of marshalled objects.
# 7: postings hold a name once per part (a name with a part twice is in its posting twice).
# 8: per listed part, the listed parts it matches (NameArrays.known_values and known_starts).
# 9: per vocabulary id, the length of its spelling key and whether in Arabic script.
# 10: and the length of its consonant skeleton.
# 11: and its spelling key (NameArrays.key_blob and key_starts).
# 12: per name, the first letters of its parts (NameArrays.part_letters).
# 13: per name, its parts as vocabulary ids (NameArrays.part_vocabulary).
FORMAT = 13
_MAGIC = b"VHSCREEN"
_ONE_BY_ONE = 48  # ``Texts.many`` reads fewer texts one by one
_ALIGN = 16


@cache
def fingerprint() -> str:
    """Changes whenever the file format or any reference data file changes."""
    digest = hashlib.sha256(f"format {FORMAT}".encode())
    for item in sorted(resources.files("vetting.data").iterdir(), key=lambda item: item.name):
        if item.is_file():
            digest.update(item.name.encode())
            digest.update(item.read_bytes())
    return digest.hexdigest()


def strings(texts: list[str]) -> dict[str, npt.NDArray[Any]]:
    """Texts as one UTF-8 blob and where each starts (read back with ``Texts``)."""
    encoded = [text.encode() for text in texts]
    starts = np.zeros(len(encoded) + 1, dtype=np.uint64)
    np.cumsum([len(item) for item in encoded], out=starts[1:])
    return {"blob": np.frombuffer(b"".join(encoded), dtype=np.uint8), "starts": starts}


class Texts:
    """The ``i``th text of a blob written by ``strings``."""

    def __init__(self, blob: npt.NDArray[np.uint8], starts: npt.NDArray[np.uint64]) -> None:
        self._blob, self._starts = blob, starts

    def __len__(self) -> int:
        return len(self._starts) - 1

    def __getitem__(self, i: int) -> str:
        return self._blob[int(self._starts[i]) : int(self._starts[i + 1])].tobytes().decode()

    def many(self, ids: Sequence[int] | npt.NDArray[np.int64]) -> list[str]:
        """The texts of ``ids``, gathered by numpy and decoded in one call (thousands at once; a
        few are read one by one, as the arrays' fixed costs would outweigh what they save)."""
        if len(ids) < _ONE_BY_ONE:
            return [self[int(i)] for i in ids]
        at = np.asarray(ids, dtype=np.int64)
        starts = self._starts[at].astype(np.int64)
        lengths = self._starts[at + 1].astype(np.int64) - starts
        total = int(lengths.sum())
        # Each text's bytes, then a NUL (which no text holds: checked by the count below).
        joined = np.zeros(total + len(at), dtype=np.uint8)
        before = np.cumsum(lengths) - lengths
        offsets = np.arange(total) - np.repeat(before, lengths)
        joined[np.repeat(before + np.arange(len(at)), lengths) + offsets] = self._blob[
            np.repeat(starts, lengths) + offsets
        ]
        texts = joined.tobytes().decode().split("\0")[:-1]
        return texts if len(texts) == len(at) else [self[int(i)] for i in at.tolist()]


@dataclass
class Saved:
    """What a file holds: settings, and arrays by name (views of the mapped file)."""

    threshold: float
    weights: dict[str, float]
    arrays: dict[str, npt.NDArray[Any]]

    def texts(self, name: str) -> Texts:
        return Texts(self.arrays[f"{name}.blob"], self.arrays[f"{name}.starts"])


def write(
    path: Path, threshold: float, weights: ScreeningWeights, arrays: dict[str, npt.NDArray[Any]]
) -> None:
    """Write atomically (a reader never sees half a file)."""
    sections: dict[str, list[Any]] = {}
    offset = 0
    for name, array in arrays.items():
        sections[name] = [offset, array.dtype.str, int(array.size)]
        offset += -(-array.nbytes // _ALIGN) * _ALIGN
    header = json.dumps(
        {
            "fingerprint": fingerprint(),
            "threshold": threshold,
            "weights": weights_state(weights),
            "sections": sections,
        }
    ).encode()
    header += b" " * (-(len(_MAGIC) + 8 + len(header)) % _ALIGN)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(_MAGIC + len(header).to_bytes(8, "little") + header)
            for array in arrays.values():
                data = np.ascontiguousarray(array).tobytes()
                out.write(data + b"\0" * (-len(data) % _ALIGN))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read(path: Path) -> Saved | None:
    """The saved screener, mapped, or None when there is none or it is from other data or another format."""
    try:
        with path.open("rb") as handle:
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None
    try:
        if mapped[: len(_MAGIC)] != _MAGIC:
            return None
        size = int.from_bytes(mapped[len(_MAGIC) : len(_MAGIC) + 8], "little")
        start = len(_MAGIC) + 8
        header = json.loads(mapped[start : start + size])
        if not isinstance(header, dict) or header.get("fingerprint") != fingerprint():
            return None
        base = start + size
        arrays = {
            name: np.frombuffer(mapped, dtype=np.dtype(dtype), count=count, offset=base + offset)
            if count
            else np.zeros(0, dtype=np.dtype(dtype))
            for name, (offset, dtype, count) in header["sections"].items()
        }
    except (ValueError, TypeError, KeyError, UnicodeDecodeError):
        return None
    return Saved(float(header["threshold"]), header["weights"], arrays)


def weights_state(weights: ScreeningWeights) -> dict[str, float]:
    return asdict(weights)
