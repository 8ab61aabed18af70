"""With the local copy of the registers as the registry ("local"), a case's registration check
says what the register says: a dissolved company, a company in administration and a removed
charity each need the officer's attention, in the register's words with the extract's date; a
company in good standing passes. On both engines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from api.settings import Settings
from tests.factories import application_payload, bearer, next_weekday
from vetting.registers import charity_commission, companies_house
from vetting.registers.load import load_table
from vetting.registers.tables import table_named

Client = AsyncTestClient[Litestar]
SAMPLES = Path(__file__).parents[1] / "vetting" / "samples" / "registers"
NOW = dt.datetime(2026, 12, 6, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=db_url,
        secret_key="test-secret-key-" + "x" * 32,
        environment="test",
        base_url="http://testserver.local",
        outbox_dir=tmp_path / "outbox",
        scheduler_enabled=False,
        registry_backend="local",
    )


async def _load_samples(session: AsyncSession) -> None:
    name = "BasicCompanyDataAsOneFile-2026-12-01.csv"
    with (SAMPLES / name).open(encoding="utf-8-sig", newline="") as stream:
        await load_table(
            session,
            table_named("register_company"),
            companies_house.company_rows(stream, name),
            register=companies_house.REGISTER,
            file_name=name,
            extract_date=companies_house.extract_date_of(name),
            now=NOW,
        )
    for name in (
        "publicextract.charity.json",
        "publicextract.charity_event_history.json",
        "publicextract.charity_other_names.json",
        "publicextract.charity_trustee.txt",
    ):
        with (SAMPLES / name).open(encoding="utf-8-sig", newline="") as stream:
            table, rows, dates = charity_commission.read_extract_file(stream, name)
            await load_table(
                session,
                table_named(table),
                rows,
                register=charity_commission.REGISTER,
                file_name=name,
                extract_date=None,
                now=NOW,
                dates_found=dates,
            )
    await session.commit()


async def _registration_check(client: Client, seeded: dict[str, Any], weeks: int, **organisation: str) -> Any:
    payload = application_payload(seeded["hall_a"].id, next_weekday(3, weeks_ahead=weeks))
    payload["organisation"] = {"address": "2 Test Lane", **organisation}
    created = await client.post("/api/v1/applications", json=payload)
    assert created.status_code == 201, created.text
    officer = bearer(seeded["officer_token"])
    case = (await client.get(f"/api/v1/applications/{created.json()['id']}", headers=officer)).json()
    return next(c for c in case["checks"] if c["check"] == "registry_numbers")


async def test_register_findings_on_cases(
    client: Client, seeded: dict[str, Any], session: AsyncSession
) -> None:
    await _load_samples(session)
    dissolved = await _registration_check(
        client, seeded, 4, name="Granite Front Trading Ltd", type="company", company_number="SC123456"
    )
    assert dissolved["outcome"] == "review", dissolved
    assert "Companies House shows SC123456 as dissolved" in dissolved["needed"]
    assert (
        "Companies House extract of Tuesday 1 December 2026: status Dissolved; "
        "dissolved on Monday 30 September 2024" in dissolved["needed"]
    )

    administration = await _registration_check(
        client, seeded, 5, name="Willow Meadow Services Limited", type="company", company_number="07654321"
    )
    assert administration["outcome"] == "review"
    assert "as in administration" in administration["needed"]

    removed = await _registration_check(
        client, seeded, 6, name="Meadow Copper Relief Fund", type="charity", charity_number="1190002"
    )
    assert removed["outcome"] == "review"
    assert "shows 1190002 as removed" in removed["needed"]
    assert "removed on Tuesday 20 February 2024 (Ceased to exist)" in removed["needed"]

    insolvent = await _registration_check(
        client, seeded, 7, name="Willow Granite CIO", type="cio", charity_number="1190003"
    )
    assert insolvent["outcome"] == "review"
    assert "registered, insolvent, in administration" in insolvent["needed"]

    good = await _registration_check(
        client, seeded, 8, name="Lantern Hall Community Limited", type="company", company_number="09876543"
    )
    assert good["outcome"] == "pass", good
    (number,) = good["evidence"]["numbers"]
    assert (number["lookup"], number["registered_name"]) == ("found", "LANTERN HALL COMMUNITY LIMITED")
    assert "previously named LANTERN HALL CIC, OLD LANTERN HALL LTD" in number["register_detail"]

    unknown = await _registration_check(
        client, seeded, 9, name="Nobody Ltd", type="company", company_number="01010101"
    )
    assert unknown["outcome"] == "review"
    assert "01010101 not found" in unknown["needed"]


async def test_a_number_quoted_with_another_organisation_s_name_is_a_finding(
    client: Client, seeded: dict[str, Any], session: AsyncSession
) -> None:
    await _load_samples(session)
    borrowed = await _registration_check(
        client, seeded, 4, name="Iron Standard Youth Network", type="charity", charity_number="1190001"
    )
    assert borrowed["outcome"] == "review", borrowed
    assert (
        "Charity Commission for England and Wales gives 1190001 to 'Lantern Hall Community Trust' "
        "(also known as Lantern Hall, Testtown Lantern Society), not to 'Iron Standard Youth Network'"
        in borrowed["needed"]
    )
    # A former name on the register is the same organisation, not a finding.
    former = await _registration_check(
        client, seeded, 5, name="Testtown Lantern Society", type="charity", charity_number="1190001"
    )
    assert former["outcome"] == "pass", former
    previous = await _registration_check(
        client, seeded, 6, name="Old Lantern Hall Ltd", type="company", company_number="09876543"
    )
    assert previous["outcome"] == "pass", previous


async def test_a_trustee_on_the_register_who_is_on_the_flagged_list_is_referred_and_explained(
    client: Client, seeded: dict[str, Any], session: AsyncSession
) -> None:
    await _load_samples(session)
    officer = bearer(seeded["officer_token"])
    added = await client.post(
        "/api/v1/flagged-entries",
        json={"kind": "person", "name": "Corvin Aldersgate", "reason": "invented for a test"},
        headers=officer,
    )
    assert added.status_code == 201, added.text
    payload = application_payload(seeded["hall_a"].id, next_weekday(3, weeks_ahead=4))
    payload["organisation"] = {
        "name": "Lantern Hall Community Trust",
        "type": "charity",
        "charity_number": "1190001",
        "address": "2 Test Lane",
    }
    created = await client.post("/api/v1/applications", json=payload)
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "under_review"
    case = (await client.get(f"/api/v1/applications/{created.json()['id']}", headers=officer)).json()
    (match,) = case["screening"]
    assert (match["query_name"], match["subject_role"]) == ("Corvin Aldersgate", "trustee on the register")
    assert match["explanation"].endswith(
        "Named as a trustee of charity 1190001 on the Charity Commission register "
        "(extract of Tuesday 1 December 2026), not by the hirer."
    )
    # The hirer named neither trustee; the other, not on the list, is not referred.
    assert "Thessaly Marchbank" not in str(case["screening"])
