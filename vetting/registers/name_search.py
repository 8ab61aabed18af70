"""Finding a charity or company by its name in the local register copy: fuzzy, in a few milliseconds.

Scoring every one of 200,000 names with a fuzzy scorer takes tens of milliseconds (the naive
baseline in bench/registers.py), so names are indexed by word: a query's telling words (a word
the register does not hold stands for the register's words within a typing slip of it) pick the
names holding all of them, or failing that all but one, and only those are scored as whole
names. A name sharing no telling word with the query is not found: the look-up is for names as
given, with slips, not for anagrams.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from vetting.names.normalise import fold_part
from vetting.registers.models import RegisterCharity, RegisterCharityName

# Words so common in register names that they pick no candidates on their own.
_COMMON = frozenset(
    (
        "the",
        "of",
        "and",
        "for",
        "in",
        "at",
        "a",
        "an",
        "to",
        "charity",
        "charitable",
        "trust",
        "fund",
        "foundation",
        "association",
        "society",
        "limited",
        "ltd",
        "cio",
        "company",
        "group",
        "church",
        "community",
    )
)
MAX_CANDIDATES = 3_000
NEAR_WORD = 80.0  # rapidfuzz ratio for a word to count as the query's word mistyped


@dataclass(frozen=True, slots=True)
class NameHit:
    key: str  # the register number (with linked number for a charity: "1190002" or "1190002-1")
    name: str  # as the register writes it
    score: float


class NameIndex:
    """Register names by word; ``search`` gives the best fuzzy matches for a name."""

    def __init__(self, entries: Iterable[tuple[str, str]]) -> None:
        self._keys: list[str] = []
        self._names: list[str] = []
        self._folded: list[str] = []
        postings: dict[str, list[int]] = {}
        for key, name in entries:
            folded = fold_part(name)
            doc = len(self._keys)
            self._keys.append(key)
            self._names.append(name)
            self._folded.append(folded)
            for word in set(folded.split()):
                postings.setdefault(word, []).append(doc)
        # Frozen once, so a query's sets are the index's own, never copies.
        self._postings = {word: frozenset(docs) for word, docs in postings.items()}
        self._vocabulary = list(postings)

    def __len__(self) -> int:
        return len(self._keys)

    def _docs_for(self, word: str) -> frozenset[int]:
        """The names holding this word, or (if the register has no such word) a word within a slip of it."""
        exact = self._postings.get(word)
        if exact is not None:
            return exact
        if len(word) < 4:
            return frozenset()
        near = process.extract(word, self._vocabulary, scorer=fuzz.ratio, score_cutoff=NEAR_WORD, limit=4)
        return frozenset().union(*(self._postings[w] for w, _score, _i in near))

    def _candidates(self, words: set[str]) -> frozenset[int]:
        """Names holding all the query's telling words; failing that, all but one of them."""
        picking = [w for w in words if w not in _COMMON] or list(words)
        sets = sorted((docs for docs in map(self._docs_for, picking) if docs), key=len)
        if not sets:
            return frozenset()
        every = sets[0].intersection(*sets[1:])
        if every or len(sets) == 1:
            return every
        # A word the register spells otherwise (or the hirer added): any name missing just one.
        rest = [sets[:k] + sets[k + 1 :] for k in range(len(sets))]
        return frozenset().union(*(some[0].intersection(*some[1:]) for some in rest))

    def search(self, name: str, *, limit: int = 5, cutoff: float = 80.0) -> list[NameHit]:
        """The register names best matching ``name`` (token-sort ratio, 0 to 100), best first."""
        query = fold_part(name)
        candidates = self._candidates(set(query.split()))
        if len(candidates) > MAX_CANDIDATES:
            # Only common words given: the first names holding them, so the time stays bounded.
            candidates = frozenset(sorted(candidates)[:MAX_CANDIDATES])
        scored = process.extract(
            query,
            {doc: self._folded[doc] for doc in candidates},
            scorer=fuzz.token_sort_ratio,
            score_cutoff=cutoff,
            limit=limit,
        )
        return [NameHit(self._keys[doc], self._names[doc], score) for _f, score, doc in scored]

    def score_all(self, name: str, *, limit: int = 5, cutoff: float = 80.0) -> list[NameHit]:
        """Every name scored, no index (the baseline the index is measured against)."""
        scored = process.extract(
            fold_part(name), self._folded, scorer=fuzz.token_sort_ratio, score_cutoff=cutoff, limit=limit
        )
        return [NameHit(self._keys[doc], self._names[doc], score) for _f, score, doc in scored]


async def charity_name_index(session: AsyncSession) -> NameIndex:
    """The charities' names and other names on the local copy, indexed; kept until an import changes them."""
    # Which database and which extracts: a new import (or another database, in tests) rebuilds.
    database = str((await session.connection()).engine.url)
    stamp: tuple[object, ...] = (database,)
    for table in (RegisterCharity, RegisterCharityName):
        counted = select(func.max(table.extract_id), func.count()).select_from(table)
        stamp += tuple((await session.execute(counted)).one())
    cached = _CACHE.get("charity")
    if cached is not None and cached[0] == stamp:
        return cached[1]
    entries: list[tuple[str, str]] = []
    for table in (RegisterCharity, RegisterCharityName):
        rows = await session.stream(select(table.charity_number, table.linked_number, table.name))
        async for number, linked, name in rows:
            entries.append((f"{number}-{linked}" if linked else str(number), name))
    index = NameIndex(entries)
    _CACHE["charity"] = (stamp, index)
    return index


_CACHE: dict[str, tuple[tuple[object, ...], NameIndex]] = {}
