"""The officer's queue tabs and case assignment (issue 17 item 1): what each tab holds for whom,
who may assign, the filters and sorts, and statements that do not grow with the cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from api.settings import Settings
from casework.queue_tabs import TABS, QueueFilters, tab_counts, tab_rows
from tests.casework.test_queue import counted_statements
from tests.factories import bearer, make_provider, make_staff
from tests.security.helpers import flag, submit
from vetting.models import VettingCase

Client = AsyncTestClient[Litestar]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"delivery": "off"})


async def _tabs(client: Client, token: str, **params: str) -> dict[str, int]:
    answer = await client.get("/api/v1/queue-tabs", params=params, headers=bearer(token))
    assert answer.status_code == 200, answer.text
    return {t["key"]: t["count"] for t in answer.json()["tabs"]}


async def _refs(client: Client, token: str, **params: str) -> list[str]:
    answer = await client.get("/api/v1/applications", params=params, headers=bearer(token))
    assert answer.status_code == 200, answer.text
    return [item["reference"] for item in answer.json()]


async def _post(client: Client, token: str, url: str, body: dict[str, Any]) -> Any:
    answer = await client.post(url, json=body, headers=bearer(token))
    assert answer.status_code == 200, answer.text
    return answer.json()


async def test_each_tab_holds_what_needs_that_officer(client: Client, seeded: dict[str, Any]) -> None:
    officer, officer2, admin = seeded["officer_token"], seeded["officer2_token"], seeded["admin_token"]
    hall_a, hall_b = seeded["hall_a"].id, seeded["hall_b"].id
    new = await submit(client, hall_a, weeks_ahead=4, organisation="Alder Reading Circle")
    info = await submit(client, hall_a, weeks_ahead=5, organisation="Birch Walking Club")
    await _post(
        client, officer, f"/api/v1/applications/{info['id']}/decision",
        {"outcome": "request_information", "reason": "Say how many stewards you will have"},
    )  # fmt: skip
    proposed = await submit(client, hall_a, weeks_ahead=6, organisation="Cedar Model Railway")
    await _post(
        client, officer, f"/api/v1/applications/{proposed['id']}/decision",
        {"outcome": "refuse", "reason": "Not a permitted use", "reason_code": "use_not_permitted",
         "options_considered": "Another room"},
    )  # fmt: skip
    appealed = await submit(client, hall_b, weeks_ahead=4, organisation="Damson Chess Club")
    await _post(
        client, officer, f"/api/v1/applications/{appealed['id']}/decision",
        {"outcome": "refuse", "reason": "Not a permitted use", "reason_code": "use_not_permitted",
         "options_considered": "Another room"},
    )  # fmt: skip
    await _post(client, officer2, f"/api/v1/applications/{appealed['id']}/countersign", {"agree": True})
    lodged = await client.post(
        f"/api/v1/applicant/{appealed['applicant_token']}/appeal", json={"grounds": "It is a permitted use"}
    )
    assert lodged.status_code == 200, lodged.text
    await flag(client, admin, "Jordan Plotholder")  # every request names Jordan Plotholder
    referred = await submit(client, hall_b, weeks_ahead=5, organisation="Elm Choir")
    mine = await submit(client, hall_b, weeks_ahead=6, organisation="Fir Quilters")
    taken = await _post(
        client,
        officer,
        f"/api/v1/applications/{mine['id']}/assignment",
        {"assignee_id": str(seeded["officer"].id)},
    )
    assert taken["assigned_to"] == seeded["officer"].name

    first = await _tabs(client, officer)
    second = await _tabs(client, officer2)
    boss = await _tabs(client, admin)
    # new: being reviewed and nobody has it (the proposed refusal's case is still being reviewed)
    assert first["new"] == second["new"] == 3
    assert set(await _refs(client, officer, tab="new")) == {new["reference"], proposed["reference"],
                                                             referred["reference"]}  # fmt: skip
    assert (first["mine"], second["mine"]) == (1, 0)
    assert await _refs(client, officer, tab="mine") == [mine["reference"]]
    assert first["information"] == 1 and await _refs(client, officer2, tab="information") == [
        info["reference"]
    ]
    # Referrals: the two requests made after the flag name the flagged person.
    assert set(await _refs(client, officer, tab="referrals")) == {referred["reference"], mine["reference"]}
    # A refusal waits for a second officer: never its proposer's.
    assert (first["countersign"], second["countersign"]) == (0, 1)
    assert await _refs(client, officer2, tab="countersign") == [proposed["reference"]]
    # The appeal: both officers took part in the refusal appealed; the administrator did not.
    assert (first["appeals"], second["appeals"], boss["appeals"]) == (0, 0, 1)
    assert await _refs(client, admin, tab="appeals") == [appealed["reference"]]
    assert await _refs(client, officer, tab="appeals") == []
    assert first["all"] == 6
    # Filters apply to the counts too.
    only_b = await _tabs(client, officer, venue_id=str(seeded["venue"].id), assigned_to="none")
    assert only_b["mine"] == 0 and only_b["all"] == 5


async def test_due_soon_counts_working_days_and_marks_overdue(
    session: AsyncSession, client: Client, seeded: dict[str, Any]
) -> None:
    made = [
        await submit(client, seeded["hall_a"].id, weeks_ahead=w, organisation=f"Group {w}")
        for w in (4, 5, 6, 7)
    ]
    friday = dt.date(2027, 3, 5)
    targets = (
        dt.date(2027, 3, 4),  # yesterday: overdue
        dt.date(2027, 3, 10),  # three working days on (Mon, Tue, Wed): due soon
        dt.date(2027, 3, 11),  # four working days on: not yet
        None,
    )
    for created, target in zip(made, targets, strict=True):
        await session.execute(update(VettingCase).where(VettingCase.reference == created["reference"])
                              .values(target_date=target))  # fmt: skip
    await session.commit()
    counts = await tab_counts(session, seeded["officer"].id, friday)
    assert counts["due"] == 2
    rows = await tab_rows(session, "due", seeded["officer"].id, friday)
    assert [(r.case.reference, r.overdue) for r in rows] == [
        (made[0]["reference"], True),
        (made[1]["reference"], False),
    ]
    # Sorted by decide-by date, cases without one last.
    everything = await tab_rows(session, "all", None, friday, sort="due")
    assert [r.case.target_date for r in everything] == list(targets)
    # By the next Thursday all but the undated one are due.
    assert (await tab_counts(session, None, dt.date(2027, 3, 11)))["due"] == 3


async def test_sort_by_tier_puts_the_highest_tier_first(
    session: AsyncSession, client: Client, seeded: dict[str, Any]
) -> None:
    made = [
        await submit(client, seeded["hall_a"].id, weeks_ahead=w, organisation=f"Tier {w}") for w in (4, 5, 6)
    ]
    for created, tier in zip(made, ("standard", "retired-tier", "enhanced"), strict=True):
        await session.execute(
            update(VettingCase).where(VettingCase.reference == created["reference"]).values(tier=tier)
        )
    await session.commit()
    rows = await tab_rows(session, "all", None, dt.date(2027, 1, 4), sort="tier")
    assert [r.case.tier for r in rows] == ["enhanced", "standard", "retired-tier"]
    only = await tab_rows(session, "all", None, dt.date(2027, 1, 4), QueueFilters(tier="enhanced"))
    assert [r.case.reference for r in only] == [made[2]["reference"]]


async def test_who_may_assign_and_the_history_keeps_who_and_when(
    client: Client, seeded: dict[str, Any], engine: AsyncEngine
) -> None:
    officer, officer2, admin = seeded["officer_token"], seeded["officer2_token"], seeded["admin_token"]
    case = await submit(client, seeded["hall_a"].id)
    url = f"/api/v1/applications/{case['id']}/assignment"
    me, other = str(seeded["officer"].id), str(seeded["officer2"].id)
    # An officer may not give a case to someone else...
    answer = await client.post(url, json={"assignee_id": other}, headers=bearer(officer))
    assert answer.status_code == 403, answer.text
    # ...but may take it.
    assert (await _post(client, officer, url, {"assignee_id": me}))["assigned_to_id"] == me
    # Another officer may not take it from them, nor give it back for them.
    for body in ({"assignee_id": other}, {"assignee_id": None}):
        answer = await client.post(url, json=body, headers=bearer(officer2))
        assert answer.status_code == 403, answer.text
    # An administrator may reassign; only to an active officer of the case's council or partner.
    answer = await client.post(url, json={"assignee_id": str(seeded["manager"].id)}, headers=bearer(admin))
    assert answer.status_code == 422, answer.text
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        elsewhere = await make_provider(s, "Otherton Leisure Trust", "partner")
        outsider, outsider_token = await make_staff(s, "officer", provider=elsewhere)
        await s.commit()
    answer = await client.post(url, json={"assignee_id": str(outsider.id)}, headers=bearer(admin))
    assert answer.status_code == 422, answer.text
    # An officer of another organisation does not find the case at all.
    answer = await client.post(url, json={"assignee_id": str(outsider.id)}, headers=bearer(outsider_token))
    assert answer.status_code == 404, answer.text
    moved = await _post(client, admin, url, {"assignee_id": other})
    assert moved["assigned_to"] == seeded["officer2"].name
    view = (await client.get(f"/api/v1/applications/{case['id']}", headers=bearer(officer))).json()
    assert view["assignment"]["officer"] == seeded["officer2"].name
    assert view["assignment"]["by"] == seeded["admin"].name
    given = [e for e in view["history"] if e["action"] == "assigned"]
    assert [(e["actor"], e["detail"]["to"], e["detail"]["from"]) for e in given] == [
        (seeded["officer"].name, seeded["officer"].name, None),
        (seeded["admin"].name, seeded["officer2"].name, seeded["officer"].name),
    ]
    assert all(e["at"] for e in given)
    # The "assigned to" filter of the list.
    assert await _refs(client, officer, assigned_to=other) == [case["reference"]]
    assert await _refs(client, officer, assigned_to=me) == []
    assert await _refs(client, officer, assigned_to="none") == []
    # The assignee gives it back.
    assert (await _post(client, officer2, url, {"assignee_id": None}))["assigned_to"] is None
    assert await _refs(client, officer, assigned_to="none") == [case["reference"]]


async def test_a_bad_tab_or_sort_is_a_422_naming_the_parameter(
    client: Client, seeded: dict[str, Any]
) -> None:
    for params in ({"tab": "everything"}, {"sort": "random"}, {"assigned_to": "x" * 80}):
        answer = await client.get(
            "/api/v1/applications", params=params, headers=bearer(seeded["officer_token"])
        )
        assert answer.status_code == 422, answer.text
        assert set(answer.json()["errors"]) == set(params)


async def test_every_tab_costs_the_same_statements_for_more_cases(
    app: Litestar, seeded: dict[str, Any]
) -> None:
    own = app.state.db_config.get_engine().sync_engine
    officer = bearer(seeded["officer_token"])
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as web:
        await submit(web, seeded["hall_a"].id, weeks_ahead=4)
        before: dict[str, int] = {}
        for tab in TABS:
            with counted_statements(own) as seen:
                assert (await web.get(f"/officer/?tab={tab}", headers=officer)).status_code == 200
            before[tab] = len(seen)
            with counted_statements(own) as seen:
                assert (await web.get(f"/api/v1/applications?tab={tab}", headers=officer)).status_code == 200
            before[f"api {tab}"] = len(seen)
        await flag(web, seeded["admin_token"], "Jordan Plotholder")
        for weeks in (5, 6, 7, 8, 9):
            created = await submit(web, seeded["hall_b"].id, weeks_ahead=weeks)
            taken = await web.post(
                f"/api/v1/applications/{created['id']}/assignment",
                json={"assignee_id": str(seeded["officer"].id)},
                headers=officer,
            )
            assert taken.status_code == 200, taken.text
        after: dict[str, int] = {}
        for tab in TABS:
            with counted_statements(own) as seen:
                answer = await web.get(f"/officer/?tab={tab}", headers=officer)
            assert answer.status_code == 200
            after[tab] = len(seen)
            with counted_statements(own) as seen:
                assert (await web.get(f"/api/v1/applications?tab={tab}", headers=officer)).status_code == 200
            after[f"api {tab}"] = len(seen)
        mine = await web.get("/officer/?tab=mine", headers=officer)
    assert mine.text.count("/officer/cases/") >= 5
    assert after == before, (before, after)


async def test_the_page_offers_to_take_only_what_the_officer_may_take(
    app: Litestar, seeded: dict[str, Any]
) -> None:
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as web:
        taken = await submit(web, seeded["hall_a"].id, weeks_ahead=4, organisation="Gorse Knitting Circle")
        free = await submit(web, seeded["hall_a"].id, weeks_ahead=5, organisation="Hazel Cycling Club")
        await _post(
            web,
            seeded["officer_token"],
            f"/api/v1/applications/{taken['id']}/assignment",
            {"assignee_id": str(seeded["officer"].id)},
        )
        pages = {
            who: (await web.get("/officer/?tab=all", headers=bearer(seeded[f"{who}_token"]))).text
            for who in ("officer", "officer2", "admin")
        }

    def offered(text: str, reference: str) -> bool:
        return f'<span class="visually-hidden"> {reference}</span></button>' in text

    assert not offered(pages["officer"], taken["reference"])  # already theirs
    assert not offered(pages["officer2"], taken["reference"])  # another officer's
    assert offered(pages["admin"], taken["reference"])  # an administrator may take it over
    assert all(offered(text, free["reference"]) for text in pages.values())
    assert seeded["officer"].name in pages["officer2"]
