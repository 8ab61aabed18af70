"""The reports page, its CSV downloads and `GET /api/v1/reports` through the real app: figures,
suppression as shown, formula-safe CSV, the role guard and the organisation's own data only."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import User
from tests.factories import bearer
from tests.reports import scenario
from tests.web.sign_in import Client, sign_in_as
from venues.models import Room, Venue

PERIOD = {"start": "2027-02-01", "end": "2027-03-31"}


@pytest.fixture
async def web(app: Litestar) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as c:
        yield c


@pytest.fixture
async def world(session: AsyncSession) -> scenario.Scenario:
    return await scenario.build(session)


def table_of(html: str, key: str) -> dict[str, list[str]]:
    found = re.search(rf'<table class="table" id="table-{key}">(.*?)</table>', html, re.S)
    assert found, f"no table {key}"
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", found.group(1), re.S)
    return {name: re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S) for name, cells in rows}


def parse_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


async def test_the_page_shows_each_section_with_a_chart_a_table_and_the_rule(
    web: Client, session: AsyncSession, world: scenario.Scenario
) -> None:
    await sign_in_as(web, session, world.officer)
    page = await web.get("/officer/reports", params=PERIOD)
    assert page.status_code == 200, page.text[:2000]
    html = page.text
    # The staff menu marks the page it is on.
    assert re.search(r'href="/officer/reports" aria-current="page">\s*(<strong[^>]*>)?Reports<', html)
    assert "Small numbers are not shown" in html and "fewer than 5" in html
    for key in ("requests-by-month", "requests-by-status", "decisions", "grounds", "time-to-decision",
                "referrals", "appeals", "room-use"):  # fmt: skip
        assert f'id="table-{key}"' in html and f"download?table={key}&amp;start=2027-02-01" in html
        assert f'aria-labelledby="chart-{key}-title" aria-describedby="chart-{key}-desc"' in html
    assert table_of(html, "requests-by-month") == {
        "February 2027": ["6"], "March 2027": ["6"], "Total": ["12"]
    }  # fmt: skip
    decisions = table_of(html, "decisions")
    assert decisions["Approved"] == ["5"] and decisions["Refused"] == ["fewer than 5"]
    assert decisions["Total"] == ["13"]
    timing = table_of(html, "time-to-decision")
    assert timing["Median (working days)"] == ["2.5"] and timing["90th percentile (working days)"] == ["10"]
    rooms = table_of(html, "room-use")
    assert rooms["Civic Hall"] in (["Hall", "7", "825", "0.8"], ["Studio", "1.5", "63", "2.4"])
    assert rooms["All rooms"] == ["", "10.5", "1,743", "0.6"]
    # Grounds in words; never the policy's code.
    assert "The event cannot be held safely" in html and "public_safety" not in html
    # Another organisation's venue is not offered, nor counted.
    assert "Other Hall" not in html and "Othershire" not in html
    # A single venue; and another organisation's venue is refused as unknown.
    annexe = await web.get("/officer/reports", params=PERIOD | {"venue": str(world.annexe.id)})
    assert annexe.status_code == 200 and "March 2027" in annexe.text and ": Annexe</h2>" in annexe.text
    theirs = await web.get("/officer/reports", params=PERIOD | {"venue": str(world.other.id)})
    assert theirs.status_code == 400 and "Choose a venue from the list" in theirs.text
    assert "Other Hall" not in theirs.text


async def test_bad_filters_are_form_errors_not_crashes(
    web: Client, session: AsyncSession, world: scenario.Scenario
) -> None:
    await sign_in_as(web, session, world.officer)
    for params, message in (
        ({"start": "31/01/2027"}, "Enter a real date, like 2027-01-31"),
        ({"end": "2027-02-30"}, "Enter a real date, like 2027-12-31"),
        ({"start": "2027-03-01", "end": "2027-02-01"}, "The period must end after it starts"),
        ({"start": "2020-01-01", "end": "2027-02-01"}, "last at most three years"),
        ({"venue": "not-an-id"}, "Choose a venue from the list"),
        ({"start": "0001-01-01", "end": "0001-12-31"}, "Choose a date from 2000 to 2099"),
        ({"start": "9999-01-01", "end": "9999-12-31"}, "Choose a date from 2000 to 2099"),
    ):
        page = await web.get("/officer/reports", params=params)
        assert page.status_code == 400 and message in page.text, params
        assert 'class="error-summary"' in page.text or "error-summary" in page.text
    bad = await web.get("/officer/reports/download", params=PERIOD | {"table": "nonsense"})
    assert bad.status_code == 400 and "Choose one of the report's tables" in bad.text
    # The default period (no filters) answers too, whatever today is.
    assert (await web.get("/officer/reports")).status_code == 200


async def test_csv_downloads_parse_and_hold_what_the_page_shows(
    web: Client, session: AsyncSession, world: scenario.Scenario
) -> None:
    await sign_in_as(web, session, world.officer)
    answer = await web.get("/officer/reports/download", params=PERIOD | {"table": "decisions"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert answer.headers["content-disposition"] == (
        'attachment; filename="decisions-2027-02-01-to-2027-03-31.csv"'
    )
    rows = parse_csv(answer.text)
    assert rows[0] == ["Outcome", "Decisions"]
    as_dict = {r[0]: r[1] for r in rows[1:]}
    assert as_dict["Approved"] == "5" and as_dict["Refused"] == "fewer than 5" and as_dict["Total"] == "13"
    rooms = parse_csv(
        (await web.get("/officer/reports/download", params=PERIOD | {"table": "room-use"})).text
    )
    assert rooms[0][:3] == ["Venue", "Room", "Booked hours"]
    assert ["Civic Hall", "Studio", "1.5", "63.0", "2.4"] in rooms


DANGEROUS = ["=HYPERLINK(\"http://x.example\",\"x\")", "+SUM(1,2)", "-2+3", "@cmd", "\tTabbed", "\rReturn",
             "  =lead spaces"]  # fmt: skip


async def test_csv_cells_never_start_a_formula(
    web: Client, session: AsyncSession, world: scenario.Scenario
) -> None:
    # Administrators type venue and room names: any of them may start like a formula.
    await session.execute(update(Venue).where(Venue.id == world.civic.id).values(name=DANGEROUS[0]))
    await session.execute(update(Room).where(Room.id == world.hall.id).values(name=DANGEROUS[1]))
    await session.execute(update(Room).where(Room.id == world.studio.id).values(name=DANGEROUS[2]))
    await session.commit()
    await sign_in_as(web, session, world.officer)
    text = (await web.get("/officer/reports/download", params=PERIOD | {"table": "room-use"})).text
    cells = [cell for row in parse_csv(text) for cell in row]
    assert "'" + DANGEROUS[0] in cells and "'+SUM(1,2)" in cells and "'-2+3" in cells
    for cell in cells:
        assert not cell.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r")), cell
    # Text cells are quoted; numbers are not.
    assert '"\'=HYPERLINK(""http://x.example"",""x"")"' in text and ",10.5," in text


def test_safe_text_covers_every_formula_start() -> None:
    from api.web.officer.report_tables import safe_text

    for value in DANGEROUS:
        assert safe_text(value).startswith("'")
    assert safe_text("Civic Hall") == "Civic Hall" and safe_text("") == ""


async def test_json_api_gives_the_same_figures_to_officers_and_admins_only(
    client: Client, world: scenario.Scenario
) -> None:
    answer = await client.get("/api/v1/reports", params=PERIOD, headers=bearer(world.tokens["officer"]))
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    assert body["suppression_threshold"] == 5 and body["venue_id"] is None
    assert body["requests"]["total"] == {"value": 12, "suppressed": False}
    by_outcome = {r["key"]: r["count"] for r in body["decisions"]["by_outcome"]}
    assert by_outcome["approved"] == {"value": 5, "suppressed": False}
    assert by_outcome["refused"] == {"value": None, "suppressed": True}
    assert body["time_to_decision"]["median_working_days"] == 2.5
    assert body["time_to_decision"]["p90_working_days"] == 10
    assert body["room_use"]["booked_hours"] == 10.5 and body["room_use"]["open_hours"] == 1743.0
    assert {g["code"] for g in body["decisions"]["by_ground"]} == {
        "public_safety", "confirmed_legal_bar", "use_not_permitted"
    }  # fmt: skip
    assert "Other" not in answer.text
    venue = await client.get(
        "/api/v1/reports",
        params=PERIOD | {"venue_id": str(world.annexe.id)},
        headers=bearer(world.tokens["admin"]),
    )
    assert venue.status_code == 200 and venue.json()["requests"]["total"]["suppressed"] is True
    # Another organisation's venue is unknown; the other organisation sees only its own.
    other_venue = await client.get(
        "/api/v1/reports",
        params=PERIOD | {"venue_id": str(world.other.id)},
        headers=bearer(world.tokens["officer"]),
    )
    assert other_venue.status_code == 422
    theirs = await client.get("/api/v1/reports", params=PERIOD, headers=bearer(world.tokens["other"]))
    assert theirs.json()["requests"]["total"]["value"] == 10
    assert [r["venue"] for r in theirs.json()["room_use"]["rooms"]] == ["Other Hall"]
    # Venue managers and anonymous callers are refused.
    manager = await client.get("/api/v1/reports", params=PERIOD, headers=bearer(world.tokens["manager"]))
    assert manager.status_code == 403
    assert (await client.get("/api/v1/reports", params=PERIOD)).status_code == 401
    bad = await client.get(
        "/api/v1/reports",
        params={"start": "2027-03-01", "end": "2027-01-01"},
        headers=bearer(world.tokens["officer"]),
    )
    assert bad.status_code == 422
    for far in ({"start": "0001-01-01", "end": "0001-02-01"}, {"start": "9999-12-01", "end": "9999-12-31"}):
        assert (
            await client.get("/api/v1/reports", params=far, headers=bearer(world.tokens["officer"]))
        ).status_code == 422


async def test_venue_managers_do_not_get_the_page_or_the_downloads(
    web: Client, session: AsyncSession, world: scenario.Scenario
) -> None:

    from tests.web.sign_in import email_of  # noqa: F401  (sign-in helpers shared with other tests)

    manager_id = (await session.execute(select(User.id).where(User.role == "venue_manager"))).scalar_one()
    await session.commit()
    manager = type("M", (), {"id": manager_id})()
    await sign_in_as(web, session, manager)
    assert (await web.get("/officer/reports")).status_code == 403
    assert (await web.get("/officer/reports/download", params={"table": "decisions"})).status_code == 403
    assert "/officer/reports" not in (await web.get("/manager")).text
