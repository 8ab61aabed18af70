"""Built screeners saved and loaded (issue 21, start fast): the same answers after loading, in
another process too; a file is reused only for the same list, data and settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from vetting import screener_files
from vetting.names import store
from vetting.screening import FlaggedEntry, Screener, ScreeningWeights

ENTRIES = [
    FlaggedEntry("P1", "person", "Darius Velkov", ["D. Velkov"]),
    FlaggedEntry("P2", "person", "María Luisa Fernández Ortega"),
    FlaggedEntry("O1", "organisation", "Black Meridian Network (BMN)"),
    FlaggedEntry("O2", "organisation", "Jabhat al-Hilal al-Qirmizi"),
]
QUERIES = ["Darius Velk0v", "Marialuiza Fernandez Ortega", "BMN", "جبهة الهلال القرمزي", "Velkov Darius"]


def _answers(screener: Screener) -> list[list[tuple[str, float, str]]]:
    return [[(m.entry_id, m.score, m.explanation) for m in screener.screen(q)] for q in QUERIES]


def test_a_saved_screener_loads_with_the_same_answers(tmp_path: Path) -> None:
    built = Screener(ENTRIES)
    built.save(tmp_path / "index.screener")
    loaded = Screener.load(tmp_path / "index.screener")
    assert loaded is not None and len(loaded) == len(ENTRIES)
    assert _answers(loaded) == _answers(built)
    assert all(answer for answer in _answers(loaded))


def test_another_process_with_another_hash_seed_loads_it(tmp_path: Path) -> None:
    # The index is keyed by checksums, not hash(), which differs from process to process.
    path = tmp_path / "index.screener"
    Screener(ENTRIES).save(path)
    code = (
        "import json, sys; from pathlib import Path; from vetting.screening import Screener;"
        f"s = Screener.load(Path({str(path)!r}));"
        f"print(json.dumps([[(m.entry_id, m.score) for m in s.screen(q)] for q in {QUERIES!r}]))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=root, check=True
    )
    expected = [
        [[entry_id, score] for entry_id, score, _ in answer] for answer in _answers(Screener(ENTRIES))
    ]
    assert json.loads(out.stdout) == expected


def test_a_file_is_used_only_for_its_own_settings_and_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "index.screener"
    Screener(ENTRIES).save(path)
    assert Screener.load(path, threshold=70.0) is None
    assert Screener.load(path, weights=ScreeningWeights(initial_score=0.7)) is None
    monkeypatch.setattr(store, "fingerprint", lambda: "other data files")
    assert Screener.load(path) is None
    path.write_bytes(b"not an index")
    monkeypatch.undo()
    assert Screener.load(path) is None
    assert Screener.load(tmp_path / "missing.screener") is None


def test_load_or_build_saves_once_then_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = screener_files.load_or_build(
        ENTRIES, threshold=85.0, weights=ScreeningWeights(), directory=tmp_path
    )
    assert len(list(tmp_path.glob("*.screener"))) == 1

    def no_rebuild(*args: object, **kwargs: object) -> None:
        raise AssertionError("rebuilt instead of loaded")

    monkeypatch.setattr(Screener, "__init__", no_rebuild)
    second = screener_files.load_or_build(
        ENTRIES, threshold=85.0, weights=ScreeningWeights(), directory=tmp_path
    )
    assert _answers(second) == _answers(first)
    monkeypatch.undo()
    # Another list is another file.
    screener_files.load_or_build(ENTRIES[:2], threshold=85.0, weights=ScreeningWeights(), directory=tmp_path)
    assert len(list(tmp_path.glob("*.screener"))) == 2


def test_a_directory_that_cannot_be_written_costs_only_the_rebuild(tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("x")
    screener = screener_files.load_or_build(
        ENTRIES, threshold=85.0, weights=ScreeningWeights(), directory=blocked
    )
    assert _answers(screener)[0]


def test_the_app_saves_built_screeners_where_its_settings_say(tmp_path: Path) -> None:
    from api.app import create_app
    from api.settings import Settings
    from vetting.screener_cache import SCREENERS

    before = SCREENERS.directory
    try:
        create_app(
            Settings(database_url="sqlite+aiosqlite:///:memory:", screening_index_dir=tmp_path / "idx")
        )
        assert SCREENERS.directory == tmp_path / "idx"
    finally:
        SCREENERS.directory = before


WEAK = FlaggedEntry(
    "O3",
    "organisation",
    "Crescent Harbour Relief Fund",
    ["Harbour Relief Trust"],
    weak_aliases=["Lantern Aid Collective"],
)
WEAK_QUERIES = [
    "Lantern Aid Collective",
    "L4ntern Aid Collective",
    "Harbour Relief Trust",
    "Lanturn Ayd Colectiv",
]


def test_weak_aliases_are_saved_and_loaded_with_their_lowered_scores_and_explanations(tmp_path: Path) -> None:
    built = Screener([*ENTRIES, WEAK])
    built.save(tmp_path / "index.screener")
    loaded = Screener.load(tmp_path / "index.screener")
    assert loaded is not None

    def answers(screener: Screener) -> list[list[tuple[str, float, str, str]]]:
        return [
            [(m.entry_id, m.score, m.matched_name, m.explanation) for m in screener.screen(q, "organisation")]
            for q in WEAK_QUERIES
        ]

    assert answers(loaded) == answers(built)
    exact, read, good, near = answers(loaded)
    # Lost on load, the flag would give 100 and the ordinary sentence.
    assert [(entry_id, score) for entry_id, score, _, _ in exact] == [("O3", 90.0)]
    assert "an alias the list marks as low quality (score 90, lowered from 100" in exact[0][3]
    # Read with digits as letters (main's readings) and still lowered as a weak alias.
    assert read and read[0][1] == 90.0 and "read as 'Lantern Aid Collective'" in read[0][3]
    assert "low quality" in read[0][3]
    assert good[0][1] == 100.0 and "low quality" not in good[0][3]
    assert near == []  # lowered below the threshold, as when built
    assert loaded._entries[-1].weak_aliases == ("Lantern Aid Collective",)


def test_a_changed_weak_alias_is_another_file(tmp_path: Path) -> None:
    screener_files.load_or_build([WEAK], threshold=85.0, weights=ScreeningWeights(), directory=tmp_path)
    moved = FlaggedEntry("O3", "organisation", WEAK.name, WEAK.aliases, weak_aliases=["Lantern Aid Circle"])
    rebuilt = screener_files.load_or_build(
        [moved], threshold=85.0, weights=ScreeningWeights(), directory=tmp_path
    )
    assert len(list(tmp_path.glob("*.screener"))) == 2
    assert rebuilt.screen("Lantern Aid Collective", "organisation") == []
    assert rebuilt.screen("Lantern Aid Circle", "organisation")[0].score == 90.0
