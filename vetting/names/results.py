"""What the screener takes and gives: flagged entries, matches, and its working record of the best
alignment per entry. Public through ``vetting.screening`` (design.md 4.1)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final, Literal, NamedTuple

from vetting.names.compare import Alignment
from vetting.names.index import IndexedName
from vetting.names.normalise import NamePart

EntryKind = Literal["person", "organisation"]
KINDS: Final = ("person", "organisation")


@dataclass(frozen=True, slots=True)
class FlaggedEntry:
    """An entry of the flagged list as the matcher sees it (no source, reason or history).

    ``weak_aliases`` are those the list marks as low quality: a match on one scores
    ``ScreeningWeights.weak_alias_factor`` of what it would, and says so.
    """

    id: str
    kind: EntryKind
    name: str
    aliases: Sequence[str] = field(default_factory=tuple)
    weak_aliases: Sequence[str] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be 'person' or 'organisation', not {self.kind!r}")
        object.__setattr__(self, "aliases", tuple(self.aliases))
        object.__setattr__(self, "weak_aliases", tuple(self.weak_aliases))

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


class _Found(NamedTuple):
    """The best alignment so far of one entry with the screened name (in one of its readings); a
    named tuple, made in C (thousands in a screening with many matches)."""

    score: float  # lowered by ``weak_alias_factor`` when ``listed`` is a weak alias
    listed: IndexedName
    alignment: Alignment
    query: tuple[NamePart, ...]
    query_weights: tuple[float, ...]
    contained: bool  # the listed name within a longer name
    reading: tuple[str, ...]  # what was undone to read the name (nothing for the name as typed)
    around: str  # the words around a listed name found within a longer name, when ``query`` is the run
    unlowered: float | None = None  # for a weak alias, the score before ``weak_alias_factor``


@dataclass(frozen=True, slots=True)
class Match:
    """A listed name at or above the threshold; ``score`` is 0-100."""

    entry_id: str
    score: float
    matched_name: str
    query_name: str
    explanation: str
