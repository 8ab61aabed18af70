"""`venue-hire organisations update|show`: good values saved, bad ones refused with a message.

The commands run in this process through the CLI's own entry point (a process each would take
minutes here); one refusal also runs as a real process, for its exit status and stderr.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from api.cli import main
from api.settings import get_settings
from tests.api.test_cli import run


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


Cli = Callable[..., Result]


@pytest.fixture(scope="module")
def org_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """One database for the module: the update test edits Testvale Hall Trust, the refusal tests
    try to edit Brookside Trust."""
    path = tmp_path_factory.mktemp("orgs-cli") / "cli.sqlite3"
    env = {
        "VENUE_HIRE_DATABASE_URL": f"sqlite+aiosqlite:///{path}",
        "VENUE_HIRE_SECRET_KEY": "cli-test-secret-" + "y" * 32,
    }
    with pytest.MonkeyPatch.context() as mp:
        for key, value in env.items():
            mp.setenv(key, value)
        get_settings.cache_clear()
        assert main(["db", "upgrade"]) == 0
        for name in ("Testvale Hall Trust", "Brookside Trust"):
            assert main(["organisations", "create", "--name", name, "--kind", "charity"]) == 0
    get_settings.cache_clear()
    return env


@pytest.fixture
def cli(
    org_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[Cli]:
    for key, value in org_env.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    capsys.readouterr()

    def call(*args: str) -> Result:
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse refusing the arguments
            code = int(exc.code or 0)
        out = capsys.readouterr()
        return Result(code, out.out, out.err)

    yield call
    get_settings.cache_clear()


def _show(cli: Cli, slug: str) -> dict[str, str]:
    result = cli("organisations", "show", slug)
    assert result.returncode == 0, result.stderr
    return {
        label.strip(): value.strip()
        for label, _, value in (line.partition(":") for line in result.stdout.splitlines())
    }


def test_update_changes_only_what_is_given_and_show_prints_it(cli: Cli, tmp_path: Path) -> None:
    before = _show(cli, "testvale-hall-trust")
    assert before["base URL"] == "(the service's own)" and before["policies"] == "(any)"
    templates = tmp_path / "templates.json"
    templates.write_text(
        json.dumps({"submitted": {"subject": "Testvale halls: {reference}"}}), encoding="utf-8"
    )
    result = cli(
        "organisations", "update", "testvale-hall-trust",
        "--colour", "#6F2C91", "--base-url", "https://rooms.testvale.example/",
        "--logo-url", "https://cdn.testvale.example/logo.png", "--contact-email", "hire@testvale.example",
        "--policy", "partner-example", "--templates", str(templates),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Updated Testvale Hall Trust (testvale-hall-trust)."
    shown = _show(cli, "testvale-hall-trust")
    assert shown == {
        "slug": "testvale-hall-trust",
        "name": "Testvale Hall Trust",
        "kind": "charity",
        "active": "yes",
        "contact email": "hire@testvale.example",
        "contact phone": "",
        "logo URL": "https://cdn.testvale.example/logo.png",
        "colour": "#6f2c91",
        "base URL": "https://rooms.testvale.example",
        "policies": "partner-example",
        "message templates": "submitted",
    }

    # Only the options given change; an empty value clears an optional field.
    renamed = cli(
        "organisations", "update", "testvale-hall-trust", "--name", "Testvale Halls", "--logo-url", "",
        "--inactive",
    )  # fmt: skip
    assert renamed.returncode == 0, renamed.stderr
    after = _show(cli, "testvale-hall-trust")
    assert after["name"] == "Testvale Halls" and after["logo URL"] == "" and after["active"] == "no"
    assert after["colour"] == "#6f2c91" and after["base URL"] == "https://rooms.testvale.example"
    listing = cli("organisations", "list")
    assert "testvale-hall-trust" in listing.stdout and "Testvale Halls (inactive)" in listing.stdout


BAD_VALUES = [
    (("--colour", "purple"), 2, "colour: must be a colour like #1d70b8"),
    (("--base-url", "http://rooms.brookside.example"), 2, "base_url: must be an https address"),
    (
        ("--base-url", "https://rooms.brookside.example/?x=1"),
        2,
        "base_url: must be an address without a query",
    ),
    (("--logo-url", "javascript:alert(1)"), 2, "logo_url: must be an https address"),
    (("--contact-email", "not an address"), 2, "contact_email"),
    (("--policy", "no-such-policy"), 1, "no-such-policy"),
    (("--kind", "empire"), 2, "invalid choice: 'empire'"),
    (("--templates", "/nonexistent/templates.json"), 2, "cannot read /nonexistent/templates.json"),
]


def test_update_refuses_bad_values_with_a_message(cli: Cli) -> None:
    for args, code, message in BAD_VALUES:
        result = cli("organisations", "update", "brookside-trust", "--name", "Renamed", *args)
        assert result.returncode == code, (args, result.stderr)
        assert message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr, args
    shown = _show(cli, "brookside-trust")
    assert shown["name"] == "Brookside Trust" and shown["colour"] == "" and shown["policies"] == "(any)"


def test_bad_template_files_and_unknown_organisations_are_refused(cli: Cli, tmp_path: Path) -> None:
    cases = {
        "broken.json": ("{not json", "is not JSON"),
        "list.json": ("[]", "must hold an object"),
        "unknown.json": (json.dumps({"frobnicated": {"subject": "x"}}), "unknown message 'frobnicated'"),
        "attribute.json": (json.dumps({"submitted": {"body": "{reference.__class__}"}}), "submitted"),
    }
    for name, (text, message) in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        result = cli("organisations", "update", "brookside-trust", "--templates", str(path))
        assert result.returncode == 2, (name, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr, (name, result.stderr)
    assert _show(cli, "brookside-trust")["message templates"] == "(the default texts)"
    for command in ("show", "update"):
        unknown = cli("organisations", command, "no-such-trust")
        assert unknown.returncode == 2
        assert "no organisation 'no-such-trust'" in unknown.stderr and "Traceback" not in unknown.stderr


def test_a_refusal_as_a_real_process(org_env: dict[str, str]) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VENUE_HIRE_")} | org_env
    result = run(env, "organisations", "update", "brookside-trust", "--colour", "#12345")
    assert result.returncode == 2
    assert result.stderr.startswith("venue-hire: error: colour: must be a colour like #1d70b8")
    assert "Traceback" not in result.stderr and result.stdout == ""
