"""Hand-added flagged entries are screened under any policy, whatever origin the officer named."""

from __future__ import annotations

from uuid import uuid4

from sqlalchemy.ext.asyncio import AsyncSession

from policies import bundled_policy_text, load_policy_text
from vetting.actors import Actor
from vetting.case_screening import screen_names
from vetting.flagged import add_entry
from vetting.screener_cache import SCREENERS
from vetting.screening import ScreeningWeights

OFFICER = Actor(id=None, name="Test Officer", role="officer")


async def test_hand_added_entries_are_screened_whatever_the_sources(session: AsyncSession) -> None:
    entry = await add_entry(
        session,
        OFFICER,
        kind="person",
        name="Ottoline Brackwater",
        aliases=[],
        source="council records",
        reason="invented",
    )
    # Even a caller that asks only for a published list's entries gets the hand-added ones.
    _, screener = await SCREENERS.get(
        session, threshold=85.0, weights=ScreeningWeights(), sources=["uk-sanctions"]
    )
    assert [m.entry_id for m in screener.screen("Ottoline Brackwater", kind="person")] == [str(entry.id)]
    # And a policy whose file forgets "local" refers the name too.
    text = bundled_policy_text("council-default").replace(
        'sources = ["uk-sanctions", "ofac-sdn", "proscribed", "local"]', 'sources = ["proscribed"]', 1
    )
    policy = load_policy_text(text, "council-default.toml")
    screened = await screen_names(session, uuid4(), [("person", "speaker", "Ottoline Brackwater")], policy)
    assert [row.entry_id for row in screened.rows] == [entry.id]
    assert (entry.source, getattr(entry, "source_detail", None)) == ("local", "council records")
