"""`venue-hire flagged import` names every entry it would deactivate (--dry-run) and deactivated."""

from __future__ import annotations

from pathlib import Path

from tests.api.test_cli import run

HEADER = "kind,name,aliases,source,source_ref,reason,listed_date\n"


def test_import_names_what_it_removes_and_refuses_the_hand_added_source(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    assert run(cli_env, "db", "upgrade").returncode == 0
    first = tmp_path / "first.csv"
    first.write_text(
        HEADER
        + "person,Orlan Vetrov,,brookfield-trust,B1,invented,\n"
        + "organisation,Grey Lantern Front,,brookfield-trust,B2,invented,\n"
    )
    assert run(cli_env, "flagged", "import", str(first), "--format", "native-csv").returncode == 0
    second = tmp_path / "second.csv"
    second.write_text(HEADER + "person,Orlan Vetrov,,brookfield-trust,B1,invented,\n")

    preview = run(cli_env, "flagged", "import", str(second), "--format", "native-csv", "--dry-run")
    assert preview.returncode == 0, preview.stderr
    would = [line for line in preview.stdout.splitlines() if "would deactivate" in line]
    assert len(would) == 1
    assert "Grey Lantern Front (organisation, brookfield-trust B2)" in would[0]
    done = run(cli_env, "flagged", "import", str(second), "--format", "native-csv")
    assert done.returncode == 0, done.stderr
    gone = [line for line in done.stdout.splitlines() if "deactivated:" in line]
    assert len(gone) == 1
    assert gone[0].split("deactivated: ")[1] == would[0].split("would deactivate: ")[1]  # same id too

    local = tmp_path / "local.csv"
    local.write_text(HEADER + "person,Corvin Aldersgate,,local,L1,invented,\n")
    refused = run(cli_env, "flagged", "import", str(local), "--format", "native-csv")
    assert refused.returncode != 0
    assert "kept for entries officers add by hand" in refused.stderr
    assert "nothing was imported" in refused.stderr
    assert "Traceback" not in refused.stderr
