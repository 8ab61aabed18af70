"""Built screeners saved beside the database and loaded at start (issue 21: a worker with 100,000
entries answers its first screening within 3 s instead of rebuilding the index for many seconds).

A file is named by a digest of exactly what it was built from (the entries, the threshold and the
weights), so it is found again only for the same list, whichever process or database counter
built it, and a changed list simply gets a new file. Saving is best effort: a read-only or full
disk costs the time of a rebuild, never a screening.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from vetting.screening import FlaggedEntry, Screener, ScreeningWeights

KEEP_FILES = 8
_SUFFIX = ".screener"
_log = logging.getLogger(__name__)


def _digest(entries: Sequence[FlaggedEntry], threshold: float, weights: ScreeningWeights) -> str:
    digest = hashlib.sha256(json.dumps([threshold, asdict(weights)], sort_keys=True).encode())
    for entry in entries:
        named = [entry.id, entry.kind, entry.name, list(entry.aliases), list(entry.weak_aliases)]
        digest.update(json.dumps(named).encode())
    return digest.hexdigest()[:32]


def _tidy(directory: Path) -> None:
    """Keep the most recently used files only."""
    files = sorted(directory.glob(f"*{_SUFFIX}"), key=lambda path: path.stat().st_mtime, reverse=True)
    for old in files[KEEP_FILES:]:
        old.unlink(missing_ok=True)


def path_for(
    entries: Sequence[FlaggedEntry], *, threshold: float, weights: ScreeningWeights, directory: Path
) -> Path:
    """Where the screener for these entries and settings is saved."""
    return directory / f"{_digest(entries, threshold, weights)}{_SUFFIX}"


def load_or_build(
    entries: Sequence[FlaggedEntry], *, threshold: float, weights: ScreeningWeights, directory: Path | None
) -> Screener:
    """The screener for these entries: from its saved file when there is one, else built (and saved)."""
    if directory is None:
        return Screener(entries, threshold=threshold, weights=weights)
    path = path_for(entries, threshold=threshold, weights=weights, directory=directory)
    loaded = Screener.load(path, threshold=threshold, weights=weights)
    if loaded is not None:
        path.touch(exist_ok=True)
        return loaded
    screener = Screener(entries, threshold=threshold, weights=weights)
    try:
        screener.save(path)
        _tidy(directory)
    except OSError as error:
        # No names in the log: only that the index could not be kept.
        _log.warning("screening index not saved (%s); it will be rebuilt next start", type(error).__name__)
        return screener
    # The file mapped, rather than the objects just built: its pages are shared with the other
    # workers that map it, and the built objects are freed.
    return Screener.load(path, threshold=threshold, weights=weights) or screener
