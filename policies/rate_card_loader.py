"""Load and check rate cards (TOML files with ``kind = "rate_card"``), reporting problems the way
policy files do: ``FILE: path.to.field: message``."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from policies.loader import PolicyError, Problem, _problem_from_error, _syntax_problem
from policies.rate_card import RateCard

RATE_CARD_KIND = "rate_card"
_FOLDER = "rate_cards"


def is_rate_card(data: dict[str, Any]) -> bool:
    return data.get("kind") == RATE_CARD_KIND


def rate_card_from_data(data: dict[str, Any], source: str) -> RateCard:
    try:
        return RateCard.model_validate(data)
    except ValidationError as exc:
        raise PolicyError(source, [_problem_from_error(e) for e in exc.errors()]) from None


def load_rate_card_text(text: str, source: str = "<rate card>") -> RateCard:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(source, [_syntax_problem(exc)]) from None
    return rate_card_from_data(data, source)


def load_rate_card(path: str | Path) -> RateCard:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(str(path), [Problem("(file)", f"cannot read: {exc}")]) from None
    return load_rate_card_text(text, str(path))


def bundled_rate_card_ids() -> tuple[str, ...]:
    return _bundled_ids()


@cache  # shipped with the package: they change only with a release
def _bundled_ids() -> tuple[str, ...]:
    folder = resources.files("policies").joinpath(_FOLDER)
    return tuple(sorted(e.name.removesuffix(".toml") for e in folder.iterdir() if e.name.endswith(".toml")))


@cache
def bundled_rate_card(card_id: str) -> RateCard:
    """A rate card shipped in ``policies/rate_cards/``, e.g. ``bundled_rate_card("council-halls")``."""
    if card_id not in _bundled_ids():
        raise KeyError(f"no bundled rate card {card_id!r}")
    text = resources.files("policies").joinpath(_FOLDER, f"{card_id}.toml").read_text(encoding="utf-8")
    return load_rate_card_text(text, f"{card_id}.toml")
