"""The listed names a screening still looks at, as arrays from the index's postings to the last
bulk bound, and as Python values only for those left (a common part beside initials finds 9,000
names, of which the bulk bounds leave 1,500: made into tuples and back into arrays at each step,
they cost more than the bounds)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True, slots=True)
class Kept:
    """Per name, in the order the screener judges them: its id, the bit mask of the query parts
    that found it (Python ints in an object array past 63 parts), and ``extra`` (the bits of
    left-over query parts that pair with one of its joined forms; ``has_extra`` False for None)."""

    names: npt.NDArray[np.int64]
    masks: npt.NDArray[Any]
    extras: npt.NDArray[np.uint64]
    has_extra: npt.NDArray[np.bool_]

    @classmethod
    def empty(cls) -> Kept:
        return cls(
            np.zeros(0, dtype=np.int64),
            np.zeros(0, dtype=np.uint64),
            np.zeros(0, dtype=np.uint64),
            np.zeros(0, dtype=np.bool_),
        )

    def __len__(self) -> int:
        return len(self.names)

    def only(self, chosen: npt.NDArray[np.bool_] | npt.NDArray[np.intp]) -> Kept:
        """These names (a mask over them, or their positions in order), nothing else."""
        return Kept(self.names[chosen], self.masks[chosen], self.extras[chosen], self.has_extra[chosen])

    def then(self, other: Kept) -> Kept:
        """These names, then ``other``'s."""
        masks = np.concatenate([self.masks, other.masks]) if len(other) else self.masks
        return Kept(
            np.concatenate([self.names, other.names]),
            masks,
            np.concatenate([self.extras, other.extras]),
            np.concatenate([self.has_extra, other.has_extra]),
        )

    def rows(self) -> list[tuple[int, int, int | None]]:
        """(name id, mask, extra or None) per name, as Python values."""
        return [
            (name, mask, extra if has else None)
            for name, mask, extra, has in zip(
                self.names.tolist(),
                self.masks.tolist(),
                self.extras.tolist(),
                self.has_extra.tolist(),
                strict=True,
            )
        ]
