"""With the live register APIs as the registry ("live"), against local stand-ins: a dissolved
company, one in administration, one proposed for striking off, a removed charity and an unknown
number each need the officer, in the register's words with the date of the answer; a person with
significant control, and a trustee, on the flagged list are referred as such; a second case
reuses the kept answer instead of asking again. On both engines."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.settings import Settings
from tests.api.test_register_checks import _registration_check
from tests.factories import application_payload, bearer, next_weekday
from tests.registers_api_data import stocked
from tests.registers_api_stub import RegistersStub
from vetting.registers.models import RegisterAnswer

Client = AsyncTestClient[Litestar]


@pytest.fixture
def stub() -> Iterator[RegistersStub]:
    with stocked(RegistersStub()).running() as running:
        yield running


@pytest.fixture
def settings(db_url: str, tmp_path: Path, stub: RegistersStub) -> Settings:
    return Settings(
        database_url=db_url,
        secret_key="test-secret-key-" + "x" * 32,
        environment="test",
        base_url="http://testserver.local",
        outbox_dir=tmp_path / "outbox",
        scheduler_enabled=False,
        registry_backend="live",
        companies_house_api_url=stub.url,
        companies_house_api_key="ch-test-key",
        charity_commission_api_url=stub.url + "/register/api",
        charity_commission_api_key="cc-test-key",
    )


async def test_live_register_findings_on_cases(
    client: Client, seeded: dict[str, Any], stub: RegistersStub, session: AsyncSession
) -> None:
    dissolved = await _registration_check(
        client, seeded, 4, name="Granite Front Trading Ltd", type="company", company_number="SC123456"
    )
    assert dissolved["outcome"] == "review", dissolved
    assert "Companies House shows SC123456 as dissolved" in dissolved["needed"]
    assert "Companies House API, answer of " in dissolved["needed"]
    assert "ceased on 2024-09-30" in dissolved["needed"]

    administration = await _registration_check(
        client, seeded, 5, name="Willow Meadow Services Limited", type="company", company_number="07654321"
    )
    assert administration["outcome"] == "review"
    assert "as administration" in administration["needed"]
    assert "insolvency case: in administration" in administration["needed"]

    strike_off = await _registration_check(
        client, seeded, 6, name="Copper Beacon Holdings Limited", type="company", company_number="06543210"
    )
    assert "as active - proposal to strike off" in strike_off["needed"]

    removed = await _registration_check(
        client, seeded, 7, name="Meadow Copper Relief Fund", type="charity", charity_number="1190002"
    )
    assert removed["outcome"] == "review"
    assert "shows 1190002 as removed" in removed["needed"]
    assert "removed on 2024-02-20 (Ceased to exist)" in removed["needed"]

    unknown = await _registration_check(
        client, seeded, 8, name="Nobody Ltd", type="company", company_number="01010101"
    )
    assert "01010101 not found" in unknown["needed"]

    good = await _registration_check(
        client, seeded, 9, name="Lantern Hall CIC", type="company", company_number="09876543"
    )
    assert good["outcome"] == "pass", good  # a previous name is the same company

    # Asked once each: the second case about SC123456 reuses the kept answer.
    asked = stub.count("/company/SC123456")
    again = await _registration_check(
        client, seeded, 10, name="Granite Front Trading Ltd", type="company", company_number="SC123456"
    )
    assert again["outcome"] == "review"
    assert stub.count("/company/SC123456") == asked
    kept = (await session.execute(select(RegisterAnswer.number, RegisterAnswer.answered_at))).all()
    assert {number for number, _at in kept} >= {"SC123456", "07654321", "1190002", "01010101"}


async def test_a_psc_and_a_trustee_on_the_flagged_list_are_referred_and_explained(
    client: Client, seeded: dict[str, Any]
) -> None:
    officer = bearer(seeded["officer_token"])
    for name in ("Corvin Aldersgate", "Ivo Quillfeather"):
        added = await client.post(
            "/api/v1/flagged-entries",
            json={"kind": "person", "name": name, "reason": "invented for a test"},
            headers=officer,
        )
        assert added.status_code == 201, added.text
    payload = application_payload(seeded["hall_a"].id, next_weekday(3, weeks_ahead=4))
    payload["organisation"] = {
        "name": "Lantern Hall Community Limited",
        "type": "company",
        "company_number": "09876543",
        "charity_number": "1190001",
        "address": "2 Test Lane",
    }
    created = await client.post("/api/v1/applications", json=payload)
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "under_review"
    case = (await client.get(f"/api/v1/applications/{created.json()['id']}", headers=officer)).json()
    by_role = {m["subject_role"]: m for m in case["screening"]}
    psc = by_role["person with significant control"]
    assert psc["query_name"] == "Corvin ALDERSGATE"
    assert (
        "Named as a person with significant control of company 09876543 on the Companies House register"
        in psc["explanation"]
    )
    trustee = by_role["trustee on the register"]
    assert trustee["query_name"] == "Ivo Quillfeather"
    assert (
        "Named as a trustee of charity 1190001 on the Charity Commission register (answer of"
        in trustee["explanation"]
    )
    # A PSC who has ceased is not screened.
    assert "Thessaly Marchbank" not in str(case["screening"])
