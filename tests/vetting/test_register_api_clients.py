"""The live register clients against local stand-ins of the published APIs: paths, auth, headers,
404 as "none", 429 answered by waiting as told (or backing off), the client's own 600-in-5-minutes
window, and what the answers become for the checks."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Iterator

import pytest

from tests.registers_api_data import stocked
from tests.registers_api_stub import RegistersStub
from vetting.identifiers import parse_charity_number, parse_company_number
from vetting.registers.api_clients import (
    CharityCommissionApi,
    CompaniesHouseApi,
    RateWindow,
    RegisterApiError,
)
from vetting.registers.live import PSC_ROLE, TRUSTEE_ROLE, charity_answer, company_answer

DAY = dt.date(2026, 12, 6)


@pytest.fixture
def stub() -> Iterator[RegistersStub]:
    with stocked(RegistersStub()).running() as running:
        yield running


class Waits:
    def __init__(self, stub: RegistersStub | None = None) -> None:
        self.asked: list[float] = []
        self.stub = stub

    async def __call__(self, seconds: float) -> None:
        self.asked.append(seconds)
        if self.stub is not None:
            self.stub.release()  # the window passes, as it would have while waiting


async def test_companies_house_is_asked_with_the_key_as_basic_auth_user(stub: RegistersStub) -> None:
    api = CompaniesHouseApi(base_url=stub.url, api_key="ch-test-key")
    company = await api.company("SC123456")
    assert company is not None and company["company_status"] == "dissolved"
    assert stub.seen[-1].authorization == "Basic " + base64.b64encode(b"ch-test-key:").decode()
    assert await api.company("01010101") is None  # 404: no such company
    assert await api.insolvency("09876543") is None  # 404: no insolvency case
    assert (await api.insolvency("07654321") or {})["status"] == ["in-administration"]
    pscs = await api.persons_with_significant_control("09876543")
    assert [p["name"] for p in pscs] == ["Mr Corvin Aldersgate", "Thessaly Marchbank"]
    assert await api.persons_with_significant_control("SC123456") == []  # 404: none recorded
    assert [s.status for s in stub.seen] == [200, 404, 404, 200, 200, 404]

    wrong = CompaniesHouseApi(base_url=stub.url, api_key="not-the-key")
    with pytest.raises(RegisterApiError, match="answered 401"):
        await wrong.company("SC123456")


async def test_the_charity_commission_is_asked_with_the_subscription_key_header(stub: RegistersStub) -> None:
    api = CharityCommissionApi(base_url=stub.url + "/register/api", subscription_key="cc-test-key")
    charity = await api.charity(1190002)
    assert charity is not None and charity["reg_status"] == "RM"
    assert stub.seen[-1].path == "/register/api/allcharitydetailsV2/1190002/0"
    assert stub.seen[-1].subscription_key == "cc-test-key"
    assert await api.charity(1999999) is None  # 404
    with pytest.raises(RegisterApiError, match="answered 401"):
        await CharityCommissionApi(base_url=stub.url + "/register/api", subscription_key="").charity(1190002)


async def test_a_429_is_waited_out_as_retry_after_says(stub: RegistersStub) -> None:
    stub.limit, stub.retry_after = 2, 17
    waits = Waits(stub)
    api = CompaniesHouseApi(base_url=stub.url, api_key="ch-test-key", sleep=waits, window=None)
    for _ in range(3):
        assert await api.company("09876543") is not None
    assert [s.status for s in stub.seen] == [200, 200, 429, 200]
    assert waits.asked == [17.0]


async def test_without_retry_after_it_waits_for_the_reset_and_gives_up_in_the_end(
    stub: RegistersStub,
) -> None:
    stub.limit = 1
    waits = Waits()  # the window never passes
    api = CompaniesHouseApi(base_url=stub.url, api_key="ch-test-key", sleep=waits, window=None, retries=2)
    assert await api.company("09876543") is not None
    with pytest.raises(RegisterApiError, match="still rate limited or failing after 3 tries"):
        await api.company("09876543")
    assert len(waits.asked) == 2
    assert all(295 <= w <= 300 for w in waits.asked)  # X-Ratelimit-Reset: the window's end


async def test_the_client_keeps_to_600_requests_in_five_minutes_itself() -> None:
    now = [1000.0]
    window = RateWindow(limit=600, period=300.0, clock=lambda: now[0])
    waits = Waits()
    for _ in range(600):
        await window.wait(waits)
    assert waits.asked == []
    now[0] += 100.0
    await window.wait(waits)
    assert waits.asked == [200.0]  # until the first of the 600 is five minutes old


def test_answers_become_records_in_the_register_s_words() -> None:
    company = company_answer(
        parse_company_number("07654321"),
        {"company_name": "WILLOW MEADOW SERVICES LIMITED", "company_status": "administration"},
        {"cases": [{"type": "in-administration"}]},
        [],
        DAY,
    )
    assert company.record.register_status == "administration"
    assert company.record.detail == (
        "Companies House API, answer of Sunday 6 December 2026: status administration; "
        "insolvency case: in administration"
    )
    assert not company.record.in_good_standing
    struck = company_answer(
        parse_company_number("06543210"),
        {
            "company_name": "X",
            "company_status": "active",
            "company_status_detail": "active-proposal-to-strike-off",
        },
        None,
        [],
        DAY,
    )
    assert struck.record.register_status == "active - proposal to strike off"
    assert not struck.record.in_good_standing
    pscs = company_answer(
        parse_company_number("09876543"),
        {"company_name": "Y", "company_status": "active"},
        None,
        [
            {
                "name": "Mr Corvin Aldersgate",
                "name_elements": {"title": "Mr", "forename": "Corvin", "surname": "ALDERSGATE"},
                "kind": "individual-person-with-significant-control",
            },
            {"name": "Copper Holdings Ltd", "kind": "corporate-entity-person-with-significant-control"},
            {
                "name": "Gone Person",
                "kind": "individual-person-with-significant-control",
                "ceased_on": "2020-01-01",
            },
        ],
        DAY,
    )
    assert pscs.people == (
        ("person", PSC_ROLE, "Corvin ALDERSGATE"),
        ("organisation", PSC_ROLE, "Copper Holdings Ltd"),
    )
    removed = charity_answer(
        parse_charity_number("1190002"),
        {
            "charity_name": "Z",
            "reg_status": "RM",
            "date_of_removal": "2024-02-20T00:00:00",
            "removal_reason": "Ceased to exist",
            "trustee_names": [{"trustee_name": "Ivo Quillfeather"}],
        },
        DAY,
    )
    assert removed.record.register_status == "removed"
    assert "removed on 2024-02-20 (Ceased to exist)" in removed.record.detail
    assert removed.people == (("person", TRUSTEE_ROLE, "Ivo Quillfeather"),)
    assert company_answer(parse_company_number("01010101"), None, None, [], DAY).record.status == "not_found"
