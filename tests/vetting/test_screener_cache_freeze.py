"""The screener cache freezes the heap once a screener is in place, when the app's settings ask
(freeze_startup_heap): a built screener is millions of long-lived objects, and a full collection
walking them added 30-50 ms to a screening (issue 21, worst case)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from vetting.screener_cache import ScreenerCache
from vetting.screening import FlaggedEntry, ScreeningWeights

ENTRIES = [
    FlaggedEntry("P1", "person", "Darius Velkov"),
    FlaggedEntry("O1", "organisation", "Black Meridian"),
]


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()  # the test process keeps collecting as before


@pytest.mark.parametrize("directory", [None, "saved"])
def test_the_heap_is_frozen_once_a_screener_is_in_place(
    unfrozen: None, tmp_path: Path, directory: str | None
) -> None:
    cache = ScreenerCache()
    cache.directory = tmp_path / directory if directory else None
    cache.freeze_heap = True
    screener = cache._load_or_build(ENTRIES, 85.0, ScreeningWeights())
    assert screener.screen("Darius Velkof")
    assert gc.get_freeze_count() > 0


def test_the_heap_is_left_alone_unless_asked(unfrozen: None) -> None:
    cache = ScreenerCache()
    screener = cache._load_or_build(ENTRIES, 85.0, ScreeningWeights())
    assert screener.screen("Darius Velkof")
    assert gc.get_freeze_count() == 0
