"""The listed-side test before aligning (vetting/names/leftover.py, issue 21): it skips only names
that ``align`` scores below the threshold, so answers are the same with it and without it."""

from __future__ import annotations

import random

import pytest

import vetting.screening as screening
from vetting.names import leftover
from vetting.names.compare import align, part_weight
from vetting.screening import FlaggedEntry, Screener


def _entries() -> list[FlaggedEntry]:
    # Invented names; a few common parts (as Recu in the benchmark) and filler words shared by many
    # names, beside distinctive parts: the shape where the other bounds cannot skip.
    rng = random.Random(3)
    common = ["Varo", "Teshu", "Melin", "Brask"]
    rare = ["".join(rng.choice("bdgklmnprstvz") + rng.choice("aeiou") for _ in range(3)) for _ in range(120)]
    entries = []
    for number in range(300):
        if number % 3:
            last = rng.choice(common + rare).capitalize()
            name = f"{rng.choice(common)} {rng.choice(rare).capitalize()} {last}"
            entries.append(FlaggedEntry(f"P{number}", "person", name))
        else:
            kind = rng.choice(["Trust", "Movement", "Front"])
            name = f"{rng.choice(rare).capitalize()} {rng.choice(common)} {kind}"
            entries.append(FlaggedEntry(f"O{number}", "organisation", name, [f"{name.split()[1]} Network"]))
    return entries


def _queries(entries: list[FlaggedEntry]) -> list[tuple[str, str | None]]:
    rng = random.Random(4)
    names = [name for entry in entries for name in entry.names]
    queries = ["Varo Movement", "Teshu Trust", "Melin Varo", "Brask", "Varo Teshu Front", "V Teshu", "Varo T"]
    for _ in range(120):
        parts = rng.choice(names).split()
        parts[-1] = parts[-1][:-1] + rng.choice("xae")
        queries.append(" ".join(rng.sample(parts, len(parts))))
    return [(query, kind) for query in queries for kind in ("person", "organisation", None)]


def test_it_skips_only_names_align_scores_below_the_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    entries = _entries()
    queries = _queries(entries)
    without = Screener(entries)
    with monkeypatch.context() as patched:
        patched.setattr(screening, "surely_below", lambda *args: False)
        expected = [without.screen(name, kind) for name, kind in queries]  # type: ignore[arg-type]
    skipped = []

    def checked(*args: object) -> bool:
        found = leftover.surely_below(*args)  # type: ignore[arg-type]
        if found:
            skipped.append(args)
        return found

    monkeypatch.setattr(screening, "surely_below", checked)
    screener = Screener(entries)
    assert [screener.screen(name, kind) for name, kind in queries] == expected  # type: ignore[arg-type]
    assert any(expected), "the queries must find something, or the comparison proves little"
    assert len(skipped) >= 20, "the test must skip names, or it says nothing of them"
    for (
        query,
        _index,
        _name_id,
        listed,
        _mask,
        _matched,
        _absorbing,
        _ceiling,
        kind,
        _bar,
        data,
        weights,
        cache,
        *_joined,
    ) in skipped:
        organisation = kind == "organisation"
        query_weights = tuple(part_weight(part.text, organisation, data, weights) for part in query)
        alignment = align(
            query, query_weights, listed.parts, listed.weights, data, weights, cache, person=not organisation
        )
        assert alignment.score < screener.threshold, (listed.raw, kind)


def test_a_name_whose_distinctive_part_nothing_matches_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    # Found through a common part and a filler word only; its distinctive part pairs with nothing.
    entries = [FlaggedEntry(f"O{i}", "organisation", f"Varo Zendrokal{i} Movement") for i in range(5)]
    entries += [FlaggedEntry(f"N{i}", "organisation", f"Varo Pelgrath{i} Trust") for i in range(40)]
    skipped: list[str] = []

    def checked(*args: object) -> bool:
        found = leftover.surely_below(*args)  # type: ignore[arg-type]
        if found:
            skipped.append(args[3].raw)  # type: ignore[attr-defined]
        return found

    monkeypatch.setattr(screening, "surely_below", checked)
    assert Screener(entries).screen("Varo Movement", "organisation") == []
    assert any(raw.startswith("Varo Zendrokal") for raw in skipped)
