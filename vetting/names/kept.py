"""The listed names a screening still looks at, as arrays from the index's postings to the last
bulk bound, and as Python values only for those left (a common part beside initials finds 9,000
names, of which the bulk bounds leave 1,500: made into tuples and back into arrays at each step,
they cost more than the bounds)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True, slots=True)
class Kept:
    """Per name, in the order the screener judges them: its id, the bit mask of the query parts
    that found it (Python ints in an object array past 63 parts), and ``extra`` (the bits of
    left-over query parts that pair with one of its joined forms, where ``has_extra``; both None
    when no name has one, as for most screenings)."""

    names: npt.NDArray[np.int64]
    masks: npt.NDArray[Any]
    extras: npt.NDArray[np.uint64] | None = None
    has_extra: npt.NDArray[np.bool_] | None = None

    def __len__(self) -> int:
        return len(self.names)

    def plain(self) -> npt.NDArray[np.bool_]:
        """Per name: found without ``extra``."""
        return np.ones(len(self.names), dtype=np.bool_) if self.has_extra is None else ~self.has_extra

    def only(self, chosen: npt.NDArray[np.bool_] | npt.NDArray[np.intp]) -> Kept:
        """These names (a mask over them, or their positions in order), nothing else."""
        if self.extras is None or self.has_extra is None:
            return Kept(self.names[chosen], self.masks[chosen])
        return Kept(self.names[chosen], self.masks[chosen], self.extras[chosen], self.has_extra[chosen])

    def then_with_extra(
        self, names: npt.NDArray[np.int64], masks: npt.NDArray[Any], extras: npt.NDArray[np.uint64]
    ) -> Kept:
        """These names, then ``names`` with their ``extras``."""
        count = len(self.names)
        before = np.zeros(count, dtype=np.uint64) if self.extras is None else self.extras
        had = np.zeros(count, dtype=np.bool_) if self.has_extra is None else self.has_extra
        return Kept(
            np.concatenate([self.names, names]),
            np.concatenate([self.masks, masks]),
            np.concatenate([before, extras]),
            np.concatenate([had, np.ones(len(names), dtype=np.bool_)]),
        )

    def rows(self) -> list[tuple[int, int, int | None]]:
        """(name id, mask, extra or None) per name, as Python values."""
        names, masks = self.names.tolist(), self.masks.tolist()
        if self.extras is None or self.has_extra is None:
            return list(zip(names, masks, itertools.repeat(None), strict=False))
        extras, has = self.extras.tolist(), self.has_extra.tolist()
        return [
            (name, mask, extra if with_extra else None)
            for name, mask, extra, with_extra in zip(names, masks, extras, has, strict=True)
        ]
