"""The officer queue (casework.queue_tabs): one query behind the API and the pages, sorted by first
date then the case's policy tiers (highest first), open referrals counted in the same statement."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncSession

from api.settings import Settings
from casework.input import ApplicationRequest
from casework.queue_tabs import QueueFilters, tab_rows
from casework.workflow import Workflow
from tests import factories as f
from tests.factories import application_payload, bearer, next_weekday
from tests.security.helpers import flag, submit
from tests.statements import statements_run
from vetting.lifecycle import OPEN_STATUSES
from vetting.models import VettingCase


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The app without background delivery: the statements counted here are the requests' own
    (``counted_statements`` sees every engine, the outbox deliverer's included)."""
    return settings.model_copy(update={"delivery": "off"})


@contextmanager
def counted_statements(target: Any = Engine) -> Iterator[list[str]]:
    """Every SQL statement any engine runs inside the block (the app's own engine included), or
    only `target`'s (a sync engine): background work of other apps still running in this
    process (their outbox deliverers) is then not counted."""
    seen: list[str] = []
    with statements_run(target) as captured:
        try:
            yield seen
        finally:
            # A token's last use is written at most once a while, whatever the request.
            seen.extend(
                statement for statement, _ in captured if not statement.startswith("UPDATE api_token")
            )


async def test_same_start_lists_the_higher_tier_first_and_unknown_tiers_last(
    session: AsyncSession, seeded: dict[str, Any]
) -> None:
    start = next_weekday(4, weeks_ahead=7)
    third = await f.make_room(session, seeded["venue"], "Side Room", capacity=60)
    ids = []
    for room, name in (
        (seeded["hall_a"], "Alpha Group"),
        (seeded["hall_b"], "Beta Group"),
        (third, "Gamma Group"),
    ):
        body = application_payload(room.id, start, organisation=name)
        ids.append((await Workflow(session).submit(ApplicationRequest.model_validate(body))).case.id)
    for case_id, tier in zip(ids, ("standard", "retired-tier", "enhanced"), strict=True):
        await session.execute(update(VettingCase).where(VettingCase.id == case_id).values(tier=tier))
    await session.commit()
    waiting = QueueFilters(statuses=OPEN_STATUSES)
    rows = await tab_rows(session, "all", None, start.date(), waiting, sort="start")
    assert [r.case.tier for r in rows] == ["enhanced", "standard", "retired-tier"]
    assert [r.room_name for r in rows] == ["Side Room", "Hall A", "Hall B"]


async def test_api_queue_costs_the_same_statements_for_more_cases_and_counts_referrals(
    client: Any, seeded: dict[str, Any]
) -> None:
    token = seeded["officer_token"]
    await submit(client, seeded["hall_a"].id, weeks_ahead=4)
    with counted_statements() as few:
        small = await client.get("/api/v1/applications", headers=bearer(token))
    assert small.status_code == 200, small.text
    await flag(client, seeded["admin_token"], "Jordan Plotholder")
    for weeks in (5, 6, 7, 8):
        await submit(client, seeded["hall_b"].id, weeks_ahead=weeks)
    with counted_statements() as many:
        large = await client.get("/api/v1/applications", headers=bearer(token))
    assert large.status_code == 200, large.text
    items = large.json()
    assert len(items) == 5
    # The four later requests name the flagged person; the first came before the flag.
    assert sorted(i["open_referrals"] for i in items) == [0, 1, 1, 1, 1]
    assert len(many) == len(few), (few, many)


async def test_officer_page_queue_lists_the_same_cases_in_constant_statements(
    app: Litestar, seeded: dict[str, Any]
) -> None:
    officer = bearer(seeded["officer_token"])
    # Secure cookies (the CSRF cookie) are only sent over https.
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as web:
        first = await submit(web, seeded["hall_a"].id, weeks_ahead=4)
        with counted_statements() as few:
            small = await web.get("/officer/?status=all", headers=officer)
        assert small.status_code == 200, small.text
        later = [await submit(web, seeded["hall_b"].id, weeks_ahead=w) for w in (5, 6, 7)]
        with counted_statements() as many:
            large = await web.get("/officer/?status=all", headers=officer)
    assert large.status_code == 200, large.text
    for created in (first, *later):
        assert created["reference"] in large.text
    assert len(many) == len(few), (few, many)
