"""The `venue-hire` command line, run as a real process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[1] / "vetting" / "samples"


def run(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_help_lists_the_commands(cli_env: dict[str, str]) -> None:
    result = run(cli_env, "--help")
    assert result.returncode == 0
    for command in ("serve", "db", "demo", "users", "api-token", "flagged", "rescreen", "policies"):
        assert command in result.stdout


@pytest.mark.parametrize(
    "args",
    [("frobnicate",), ("users", "create", "--email", "a@b.example"), ("serve", "--port", "eighty"), ()],
)
def test_bad_arguments_give_a_message_and_exit_2(cli_env: dict[str, str], args: tuple[str, ...]) -> None:
    result = run(cli_env, *args)
    assert result.returncode == 2
    assert "error:" in result.stderr
    assert "Traceback" not in result.stderr


def test_upgrade_demo_users_tokens_and_imports(cli_env: dict[str, str], tmp_path: Path) -> None:
    assert run(cli_env, "db", "upgrade").returncode == 0
    first = run(cli_env, "demo", "load")
    assert first.returncode == 0, first.stderr
    assert "officer@harrowmere.example" in first.stdout
    second = run(cli_env, "demo", "load")
    assert second.returncode == 0
    assert "already loaded" in second.stdout

    weak = run(
        cli_env,
        "users",
        "create",
        "--email",
        "x@testshire.example",
        "--role",
        "officer",
        "--password-stdin",
        stdin="password1\n",
    )
    assert weak.returncode == 1
    assert "too common" in weak.stderr
    made = run(
        cli_env,
        "users",
        "create",
        "--email",
        "x@testshire.example",
        "--role",
        "officer",
        "--organisation",
        "harrowmere-borough-council",
        "--password-stdin",
        stdin="a long and uncommon passphrase\n",
    )
    assert made.returncode == 0, made.stderr
    token = run(cli_env, "api-token", "create", "--email", "x@testshire.example")
    assert token.returncode == 0
    assert len(token.stdout.strip().splitlines()[-1]) >= 43
    missing = run(cli_env, "api-token", "create", "--email", "nobody@testshire.example")
    assert missing.returncode == 1
    assert "Traceback" not in missing.stderr

    imported = run(
        cli_env,
        "flagged",
        "import",
        str(SAMPLES / "proscribed_organisations.txt"),
        "--format",
        "proscribed-text",
    )
    assert imported.returncode == 0, imported.stderr
    assert "added 6" in imported.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("kind,name\nperson,\n")
    failed = run(cli_env, "flagged", "import", str(bad), "--format", "native-csv")
    assert failed.returncode == 2
    assert "line 2" in failed.stderr
    assert "nothing was imported" in failed.stderr
    rescreen = run(cli_env, "rescreen")
    assert rescreen.returncode == 0
    assert "Re-screened" in rescreen.stdout


def test_policies_check_reports_each_problem(cli_env: dict[str, str], tmp_path: Path) -> None:
    good = run(cli_env, "policies", "check", "policies/council-default.toml", "policies/partner-example.toml")
    assert good.returncode == 0, good.stdout + good.stderr
    broken = tmp_path / "broken.toml"
    text = Path("policies/council-default.toml").read_text()
    broken.write_text(text.replace('code = "stewarding"', 'code = "responsible_person"', 1))
    result = run(cli_env, "policies", "check", str(broken))
    assert result.returncode != 0
    assert f"{broken}: conditions." in result.stdout + result.stderr
    assert "duplicate" in (result.stdout + result.stderr)


def test_venue_room_part_and_closure_administration(cli_env: dict[str, str]) -> None:
    assert run(cli_env, "db", "upgrade").returncode == 0
    venue = run(
        cli_env,
        "venues",
        "create",
        "--name",
        "Quarry Hall",
        "--owner-kind",
        "partner",
        "--owner-name",
        "Quarry Trust",
        "--address",
        "1 Quarry Lane",
    )
    assert venue.returncode == 0, venue.stderr
    venue_id = venue.stdout.strip().rsplit(" ", 1)[1]
    ids = []
    for name in ("East", "West"):
        room = run(
            cli_env,
            "rooms",
            "create",
            "--venue",
            venue_id,
            "--name",
            name,
            "--capacity",
            "30",
            "--opening-hours",
            '{"mon": [["09:00", "22:00"]]}',
            "--accessibility",
            "step_free",
        )
        assert room.returncode == 0, room.stderr
        ids.append(room.stdout.strip().rsplit(" ", 1)[1])
    whole = run(
        cli_env,
        "rooms",
        "create",
        "--venue",
        venue_id,
        "--name",
        "Whole",
        "--capacity",
        "60",
        "--part",
        ids[0],
        "--part",
        ids[1],
    )
    assert whole.returncode == 0, whole.stderr
    whole_id = whole.stdout.strip().rsplit(" ", 1)[1]
    cycle = run(cli_env, "rooms", "parts", ids[0], "--part", whole_id)
    assert cycle.returncode == 1
    assert "Traceback" not in cycle.stderr
    closure = run(
        cli_env, "closures", "add", "--venue", venue_id, "--start", "2027-02-01", "--reason", "Boiler"
    )
    assert closure.returncode == 0, closure.stderr
    bad_hours = run(
        cli_env,
        "rooms",
        "create",
        "--venue",
        venue_id,
        "--name",
        "X",
        "--capacity",
        "3",
        "--opening-hours",
        "{not json",
    )
    assert bad_hours.returncode == 2
    listing = run(cli_env, "venues", "list")
    assert "Quarry Hall" in listing.stdout
    assert "Whole, capacity 60" in listing.stdout
