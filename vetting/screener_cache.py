"""One matcher per list version, shared by every council and partner, built off the event loop
and once however many requests want it at the same time (issues 21 and 22: start fast).

The database stays the truth: each use asks for the current list version, so several processes
each load or rebuild when any of them changes the list. Each council or partner screens the
service-wide list, its own additions and what partners share with it; rather than a matcher per
reach (each as large as the whole list), one matcher holds every active entry and a session's
matches are narrowed to the entries it may read. Screening is per entry (no entry's score
depends on another), so that gives exactly the matches a matcher of those entries alone would.
"""

from __future__ import annotations

import asyncio
import gc
import os
import threading
import uuid
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from policies import HAND_ADDED_SOURCE
from vetting.flagged import current_version
from vetting.models import FlaggedEntry
from vetting.names.results import EntryKind
from vetting.screener_files import load_or_build
from vetting.screening import FlaggedEntry as ScreenEntry
from vetting.screening import Match, Screener, ScreeningWeights
from vetting.tenancy import ALL_PROVIDERS, current_scope

# What /ready names while the first matcher loads (api/readiness.py).
LOADING = "screening index"


class EntryIds:
    """A set of entry ids as two sorted arrays of the UUIDs' halves: 1.6 MB for 100,000 entries
    where a frozenset of their strings was 12 MB, in every worker and for every reach kept
    (tracemalloc of a worker)."""

    def __init__(self, ids: Iterable[uuid.UUID]) -> None:
        numbers = [i.int for i in ids]
        high = np.fromiter((n >> 64 for n in numbers), dtype=np.uint64, count=len(numbers))
        low = np.fromiter((n & _LOW for n in numbers), dtype=np.uint64, count=len(numbers))
        order = np.lexsort((low, high))
        self._high, self._low = high[order], low[order]

    @property
    def nbytes(self) -> int:
        return int(self._high.nbytes + self._low.nbytes)

    def __len__(self) -> int:
        return len(self._high)

    def __contains__(self, entry_id: object) -> bool:
        try:
            number = uuid.UUID(str(entry_id)).int
        except ValueError:
            return False
        high = np.uint64(number >> 64)
        first = int(np.searchsorted(self._high, high, side="left"))
        last = int(np.searchsorted(self._high, high, side="right"))
        return bool((self._low[first:last] == np.uint64(number & _LOW)).any())


_LOW = (1 << 64) - 1


class ScopedScreener:
    """A shared matcher whose matches are narrowed to the entries one session may read."""

    def __init__(self, screener: Screener, allowed: EntryIds | None) -> None:
        self._screener = screener
        self._allowed = allowed  # None: every entry

    @property
    def threshold(self) -> float:
        return self._screener.threshold

    def screen(self, name: str, kind: EntryKind | None = None) -> list[Match]:
        matches = self._screener.screen(name, kind=kind)
        if self._allowed is None:
            return matches
        return [match for match in matches if match.entry_id in self._allowed]


class ScreenerCache:
    """Matchers per (database, list version, threshold, weights), and the entries each reach may read."""

    KEEP = 4  # matchers: each is the whole list
    KEEP_REACHES = 64  # sets of entry ids a reach may read (small beside a matcher)

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._screeners: OrderedDict[tuple[Any, ...], Screener] = OrderedDict()
        self._reaches: OrderedDict[tuple[Any, ...], EntryIds | None] = OrderedDict()
        self._building: dict[tuple[Any, ...], Future[Screener]] = {}
        # One build at a time: a second would only halve the speed of the first.
        self._builder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="screening-index")
        self.directory: Path | None = None  # where built screeners are saved (vetting/screener_files.py)
        # Whether to freeze the heap once a screener is in place (the app's freeze_startup_heap).
        self.freeze_heap = False
        # A server that loads the index before forking its workers (api/cli/prefork.py) leaves
        # them this cache with the parent's lock and builder thread, which do not exist in a child.
        after_fork = weakref.WeakMethod(self._after_fork)
        os.register_at_fork(after_in_child=lambda: (reset := after_fork()) is not None and reset())

    def _after_fork(self) -> None:
        self._lock = threading.Lock()
        self._building = {}
        self._builder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="screening-index")

    async def get(
        self,
        session: AsyncSession,
        *,
        threshold: float,
        weights: ScreeningWeights,
        sources: Sequence[str] = (),
    ) -> tuple[int, ScopedScreener]:
        version = await current_version(session)
        # The database's identity is part of the key: versions count per database.
        database = str(session.get_bind().engine.url)
        screener = await self._screener(session, (database, version, threshold, weights))
        allowed = await self._allowed(session, (database, version), sources)
        return version, ScopedScreener(screener, allowed)

    def warm(self, name: str) -> int:
        """Screen ``name`` with every matcher held (the pre-forking server does this before it
        forks, so its workers inherit the code and tables a first screening makes); how many."""
        with self._lock:
            screeners = list(self._screeners.values())
        for screener in screeners:
            screener.screen(name)
        return len(screeners)

    def loaded(self) -> int:
        with self._lock:
            return len(self._screeners)

    async def _screener(self, session: AsyncSession, key: tuple[Any, ...]) -> Screener:
        with self._lock:
            cached = self._screeners.get(key)
            if cached is not None:
                self._screeners.move_to_end(key)
                return cached
            building = self._building.get(key)
        if building is None:
            entries = await all_entries(session)
            building = self._start(key, entries)
        # A thread builds or loads it: the event loop keeps answering (/ready included) meanwhile.
        return await asyncio.wrap_future(building)

    def _start(self, key: tuple[Any, ...], entries: list[ScreenEntry]) -> Future[Screener]:
        _database, _version, threshold, weights = key
        with self._lock:
            building = self._building.get(key)
            if building is not None:
                return building  # another request started it while this one read the entries
            building = self._builder.submit(self._load_or_build, entries, threshold, weights)
            self._building[key] = building
        building.add_done_callback(self._finished(key))
        return building

    def _load_or_build(
        self, entries: list[ScreenEntry], threshold: float, weights: ScreeningWeights
    ) -> Screener:
        screener = load_or_build(entries, threshold=threshold, weights=weights, directory=self.directory)
        if self.freeze_heap:
            # A screener lives as long as its list version, and one built here (not mapped from a
            # file) is millions of objects: a full collection walking them added 30-50 ms to a
            # screening. Garbage first, so that nothing already dead is kept for good.
            gc.collect()
            gc.freeze()
        return screener

    def _finished(self, key: tuple[Any, ...]) -> Callable[[Future[Screener]], None]:
        def keep(done: Future[Screener]) -> None:
            with self._lock:
                self._building.pop(key, None)
                if done.exception() is None:
                    self._screeners[key] = done.result()
                    while len(self._screeners) > self.KEEP:
                        self._screeners.popitem(last=False)

        return keep

    async def _allowed(
        self, session: AsyncSession, version_key: tuple[Any, ...], sources: Sequence[str]
    ) -> EntryIds | None:
        """The entry ids this session may screen against (None: all of them)."""
        scope = current_scope(session)
        restricted = scope is not None and not scope.unrestricted
        if not restricted and not sources:
            return None
        reach = (scope.ids, tuple(sorted(scope.shared_flagged))) if scope is not None and restricted else None
        key = (*version_key, tuple(sorted(sources)), reach)
        with self._lock:
            if key in self._reaches:
                self._reaches.move_to_end(key)
                return self._reaches[key]
        query = select(FlaggedEntry.id).where(FlaggedEntry.active.is_(True))
        if sources:
            # However the caller built its list, hand-added entries are screened.
            query = query.where(FlaggedEntry.source.in_({*sources, HAND_ADDED_SOURCE}))
        allowed = EntryIds((await session.execute(query)).scalars())
        with self._lock:
            self._reaches[key] = allowed
            while len(self._reaches) > self.KEEP_REACHES:
                self._reaches.popitem(last=False)
        return allowed


async def all_entries(session: AsyncSession) -> list[ScreenEntry]:
    """Every active entry, whoever may read it (narrowed per session by ``ScopedScreener``)."""
    query = select(
        FlaggedEntry.id, FlaggedEntry.kind, FlaggedEntry.name, FlaggedEntry.aliases, FlaggedEntry.weak_aliases
    ).where(FlaggedEntry.active.is_(True))
    rows = (await session.execute(query.execution_options(**{ALL_PROVIDERS: True}))).all()
    return [
        ScreenEntry(
            id=str(r.id),
            kind=r.kind,
            name=r.name,
            aliases=tuple(r.aliases or ()),
            weak_aliases=tuple(r.weak_aliases or ()),
        )
        for r in rows
    ]


SCREENERS = ScreenerCache()
