"""Part comparisons kept between screenings (issue 21, p99): a screener that has screened other
names first answers exactly as a fresh one, and what it keeps stays bounded."""

from __future__ import annotations

from vetting.screening import FlaggedEntry, Screener

ENTRIES = [
    FlaggedEntry("P1", "person", "Tomasz Wrenfield", ["Tom Wrenfeld"]),
    FlaggedEntry("P2", "person", "Ingrid Marlowe Castellan"),
    FlaggedEntry("P3", "person", "Ingrid Castelan"),
    FlaggedEntry("O1", "organisation", "Brackwater Harbour Trust", ["BHT"]),
    FlaggedEntry("O2", "organisation", "Brackwatter Foundation"),
]
QUERIES = [
    ("Tomas Wrenfeld", "person"),
    ("Ingrid Castellan", "person"),
    ("Ingrid Marlow", None),
    ("Brackwater Trust", "organisation"),
    ("Brackwatter Harbor Trust", None),
    ("Wrenfield Tomasz", None),
]


def _answers(screener: Screener, queries: list[tuple[str, str | None]]) -> list[object]:
    return [screener.screen(name, kind) for name, kind in queries]  # type: ignore[arg-type]


def test_a_used_screener_answers_as_a_fresh_one() -> None:
    fresh = [_answers(Screener(ENTRIES), [query]) for query in QUERIES]
    used = Screener(ENTRIES)
    first, second = _answers(used, QUERIES), _answers(used, QUERIES[::-1])
    assert first == [answer for [answer] in fresh]
    assert second == [answer for [answer] in fresh[::-1]]
    assert any(first), "the queries must find something, or the comparison proves nothing"
    assert used._comparisons, "comparisons are kept between screenings"


def test_the_kept_comparisons_stay_bounded() -> None:
    screener = Screener(ENTRIES)
    screener._COMPARISONS_KEPT = 0  # type: ignore[misc]  # the bound reached at once, to see it cleared
    for (name, kind), previous in zip(QUERIES[1:], QUERIES, strict=False):
        alone = Screener(ENTRIES)
        expected = alone.screen(name, kind)  # type: ignore[arg-type]
        screener.screen(*previous)  # type: ignore[arg-type]
        assert screener.screen(name, kind) == expected  # type: ignore[arg-type]
        # What the previous screening kept was dropped first: only this one's comparisons remain.
        assert screener._comparisons == alone._comparisons
