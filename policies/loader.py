"""Load and check policy files (TOML, read with the standard library's `tomllib`).

Problems are reported one per line as ``FILE: path.to.field: message``; list positions in the
path count from 0 (``conditions.2`` is the third ``[[conditions]]`` table). TOML syntax errors
are reported as ``FILE: line L, column C: message``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from policies.checks import CHECK_TYPES
from policies.model import Loc, Policy


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a policy document."""

    where: str  # dotted path, or "line L, column C" for syntax errors
    message: str

    def render(self, source: str) -> str:
        return f"{source}: {self.where}: {self.message}"


class PolicyError(ValueError):
    """A policy document that cannot be used, with every problem found."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        return [p.render(self.source) for p in self.problems]


_SYNTAX_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


def _syntax_problem(exc: tomllib.TOMLDecodeError) -> Problem:
    text = str(exc)
    m = _SYNTAX_POSITION.search(text)
    if m:
        return Problem(f"line {m.group(1)}, column {m.group(2)}", f"invalid TOML: {text[: m.start()]}")
    return Problem("line ?", f"invalid TOML: {text}")


def _dotted(loc: Loc) -> str:
    return ".".join(str(part) for part in loc) or "(top level)"


def _problem_from_error(err: Any) -> Problem:
    loc: list[str | int] = list(err["loc"])
    # A tagged union puts the tag in the path (checks.2.capacity.ground); the file has no such level.
    for i in range(len(loc) - 2):
        if loc[i] == "checks" and isinstance(loc[i + 1], int) and loc[i + 2] in CHECK_TYPES:
            del loc[i + 2]
            break
    kind = err["type"]
    if kind == "extra_forbidden":
        message = "unknown key"
    elif kind == "missing":
        message = "required key is missing"
    elif kind == "union_tag_invalid":
        tag = err.get("ctx", {}).get("tag", "?")
        loc.append("type")
        message = f"unknown check type {tag!r}; known types: {', '.join(CHECK_TYPES)}"
    elif kind == "union_tag_not_found":
        message = "a check needs a type"
    elif kind == "string_pattern_mismatch":
        message = "must be lower-case letters, digits and underscores, starting with a letter"
        if loc == ["id"]:
            message = "must be lower-case letters, digits, hyphens and underscores, starting with a letter"
    elif kind == "value_error":
        message = str(err["msg"]).removeprefix("Value error, ")
    else:
        message = str(err["msg"])
    return Problem(_dotted(tuple(loc)), message)


def _validate(data: dict[str, Any], source: str) -> Policy:
    collected: list[tuple[Loc, str]] = []
    try:
        policy = Policy.model_validate(data, context={"problems": collected})
    except ValidationError as exc:
        raise PolicyError(source, [_problem_from_error(e) for e in exc.errors()]) from None
    if collected:
        raise PolicyError(source, [Problem(_dotted(loc), msg) for loc, msg in collected])
    return policy


def load_policy_text(text: str, source: str = "<policy>") -> Policy:
    """Parse and validate a policy from TOML text (for example a stored old version)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(source, [_syntax_problem(exc)]) from None
    return _validate(data, source)


def load_policy(path: str | Path) -> Policy:
    """Load a policy file; raise `PolicyError` listing every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyError(str(path), [Problem("(file)", f"cannot read: {exc.strerror or exc}")]) from None
    except UnicodeDecodeError:
        raise PolicyError(str(path), [Problem("(file)", "not UTF-8 text")]) from None
    return load_policy_text(text, str(path))


def check_policy_file(path: str | Path) -> list[str]:
    """The problems of a policy file, one ``FILE: path.to.field: message`` line each; [] if valid."""
    try:
        load_policy(path)
    except PolicyError as exc:
        return exc.lines()
    return []


def bundled_policy_ids() -> list[str]:
    """Ids of the policies shipped in this package (file names without ``.toml``)."""
    return list(_bundled_policy_ids())


@cache  # the package's files do not change while it runs; every booking request asks
def _bundled_policy_ids() -> tuple[str, ...]:
    return tuple(
        sorted(
            entry.name.removesuffix(".toml")
            for entry in resources.files("policies").iterdir()
            if entry.name.endswith(".toml")
        )
    )


@cache
def bundled_policy_text(policy_id: str) -> str:
    """The TOML text of a bundled policy (to store it as a version).

    Kept after the first read, as `bundled_policy` keeps the parsed policy: the files ship with
    the package and change only with a new release, and every booking request asks for the text.
    """
    if policy_id not in _bundled_policy_ids():
        raise KeyError(f"no bundled policy {policy_id!r}; bundled: {', '.join(bundled_policy_ids())}")
    return resources.files("policies").joinpath(f"{policy_id}.toml").read_text(encoding="utf-8")


@cache
def bundled_policy(policy_id: str) -> Policy:
    """A policy shipped in this package, e.g. ``bundled_policy("council-default")``."""
    return load_policy_text(bundled_policy_text(policy_id), f"{policy_id}.toml")


DEFAULT_POLICY_ID = "council-default"


def default_declarations() -> list[str]:
    """The ids of every declaration the default policy asks a hirer to make, in its order (the demo
    data, benchmarks and tests declare all of them rather than keep their own copy)."""
    return [d.id for d in bundled_policy(DEFAULT_POLICY_ID).declarations]
