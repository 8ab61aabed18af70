"""`venue-hire screening build-index` saves the index of the current list where workers load it."""

from __future__ import annotations

from pathlib import Path

from tests.api.test_cli import run
from vetting.screening import Screener

HEADER = "kind,name,aliases,source,source_ref,reason,listed_date\n"


def test_build_index_saves_the_current_lists_index_once(cli_env: dict[str, str], tmp_path: Path) -> None:
    index = tmp_path / "index"
    env = {**cli_env, "VENUE_HIRE_SCREENING_INDEX_DIR": str(index)}
    assert run(env, "db", "upgrade").returncode == 0
    listed = tmp_path / "list.csv"
    listed.write_text(HEADER + "person,Orlan Vetrov,,brookfield-trust,B1,invented,\n")
    assert run(env, "flagged", "import", str(listed), "--format", "native-csv").returncode == 0
    for path in index.glob("*.screener"):
        path.unlink()  # the import's re-screening saved one: start from none
    built = run(env, "screening", "build-index")
    assert built.returncode == 0, built.stderr
    assert "1 active entries: built and saved" in built.stdout
    (saved,) = index.glob("*.screener")
    assert str(saved) in built.stdout
    loaded = Screener.load(saved)
    assert loaded is not None
    assert [m.matched_name for m in loaded.screen("Orlan Vetrov", "person")] == ["Orlan Vetrov"]
    again = run(env, "screening", "build-index")
    assert again.returncode == 0
    assert "already saved; checked" in again.stdout
    assert list(index.glob("*.screener")) == [saved]


def test_build_index_without_a_folder_says_so(cli_env: dict[str, str]) -> None:
    env = {**cli_env, "VENUE_HIRE_SCREENING_INDEX_DIR": ""}
    assert run(env, "db", "upgrade").returncode == 0
    result = run(env, "screening", "build-index")
    assert result.returncode == 2
    assert "no screening index folder is set" in result.stderr
