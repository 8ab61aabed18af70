"""Property tests: a listed name always matches itself at 100, whatever the order of its words."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from vetting.screening import FlaggedEntry, Screener

_PARTS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéöçłЖжمحد", min_size=2, max_size=10).filter(
    lambda s: any(c.isalpha() for c in s)
)
_NAMES = st.lists(_PARTS, min_size=1, max_size=4)


@settings(max_examples=60, deadline=None)
@given(parts=_NAMES, kind=st.sampled_from(["person", "organisation"]))
def test_a_listed_name_matches_itself_with_score_100(parts: list[str], kind: str) -> None:
    name = " ".join(parts).title()
    screener = Screener([FlaggedEntry("X", kind, name)])  # type: ignore[arg-type]  # kind is valid
    matches = screener.screen(name, kind=kind)  # type: ignore[arg-type]
    if any(p.isalnum() for p in name):
        assert matches and matches[0].entry_id == "X" and matches[0].score == 100.0


@settings(max_examples=60, deadline=None)
@given(parts=_NAMES, data=st.data())
def test_word_order_does_not_matter(parts: list[str], data: st.DataObject) -> None:
    shuffled = data.draw(st.permutations(parts))
    screener = Screener([FlaggedEntry("X", "person", " ".join(parts))])
    assert [(m.entry_id, m.score) for m in screener.screen(" ".join(shuffled))] == [
        (m.entry_id, m.score) for m in screener.screen(" ".join(parts))
    ]
