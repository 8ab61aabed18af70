"""Partnerships and sharing agreements: who may manage them, overdue reviews, the scope a request
gets, the admin page and the command line."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from tests.factories import ADMIN, bearer
from tests.sharing.conftest import NEXT_YEAR, agree
from vetting.actors import HIRER, Actor
from vetting.errors import Forbidden, Invalid
from vetting.providers import SharingAgreement
from vetting.sharing import (
    AgreementState,
    add_member,
    agreement_state,
    create_partnership,
    record_agreement,
    remove_member,
    withdraw_agreement,
)
from vetting.sharing_scope import scope_for_provider, scope_for_request

Client = AsyncTestClient[Litestar]
TOKEN_RE = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


def _staff(role: str, provider: Any) -> Actor:
    return Actor(id=None, name=f"{role} of {provider.name}", role=role, provider_id=provider.id)


async def test_the_lead_councils_administrators_manage_their_partnership_and_no_one_else(
    partners: dict[str, Any], engine: AsyncEngine
) -> None:
    county, brook, farrow = (
        partners["county"],
        partners["brookvale"]["provider"],
        partners["farrowby"]["provider"],
    )
    pid = partners["partnership"].id
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        lead_admin = _staff("admin", county)
        for outsider in (_staff("admin", brook), _staff("officer", county), _staff("officer", brook)):
            with pytest.raises(Forbidden):
                await add_member(s, outsider, pid, farrow.id)
            with pytest.raises(Forbidden):
                await record_agreement(
                    s,
                    outsider,
                    pid,
                    reference="X",
                    review_date=NEXT_YEAR,
                    shares_flagged=True,
                    shares_findings=False,
                )
        await add_member(s, lead_admin, pid, farrow.id)
        agreement = await record_agreement(
            s,
            lead_admin,
            pid,
            reference="TPP-1",
            review_date=NEXT_YEAR,
            shares_flagged=True,
            shares_findings=True,
        )
        with pytest.raises(Forbidden):
            await withdraw_agreement(s, _staff("admin", brook), agreement.id)
        with pytest.raises(Invalid):  # a partnership is led by a council
            await create_partnership(s, ADMIN, name="Trusts", lead_provider_id=brook.id)
        with pytest.raises(Invalid):  # nothing to share
            await record_agreement(
                s,
                ADMIN,
                pid,
                reference="TPP-2",
                review_date=NEXT_YEAR,
                shares_flagged=False,
                shares_findings=False,
            )
        with pytest.raises(Invalid):  # the lead cannot leave
            await remove_member(s, ADMIN, pid, county.id)
        withdrawn = await withdraw_agreement(s, lead_admin, agreement.id)
        assert (
            withdrawn.withdrawn_by == lead_admin.name
            and agreement_state(withdrawn) == AgreementState.WITHDRAWN
        )


async def test_a_request_scope_holds_the_partners_sharing_flagged_entries_while_an_agreement_is_in_force(
    partners: dict[str, Any], engine: AsyncEngine
) -> None:
    brook, mill = partners["brookvale"]["provider"], partners["millbrook"]["provider"]
    county = partners["county"]
    agreement = await agree(engine, partners["partnership"].id, "TPP-OLD", flagged=True, findings=False)
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        # Past its review date: still in force, shown as overdue.
        row = await s.get(SharingAgreement, agreement.id)
        assert row is not None
        row.review_date = dt.date.today() - dt.timedelta(days=1)
        await s.commit()
        assert agreement_state(row) == AgreementState.OVERDUE
        officer = _staff("officer", mill)
        scope = await scope_for_request(s, officer)
        assert scope is not None and scope.providers == {mill.id}
        assert scope.shared_flagged == {brook.id, county.id}
        assert await scope_for_request(s, HIRER) is None
        service = await scope_for_request(s, Actor(id=None, name="service", role="admin"))
        assert service is not None and service.unrestricted and not service.shared_flagged
        await remove_member(s, ADMIN, partners["partnership"].id, brook.id)
        assert (await scope_for_provider(s, mill.id)).shared_flagged == {county.id}
        assert (await scope_for_provider(s, brook.id)).shared_flagged == frozenset()
        await withdraw_agreement(s, ADMIN, agreement.id)
        assert (await scope_for_provider(s, mill.id)).shared_flagged == frozenset()


@pytest.fixture
async def web(app: Litestar) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as c:
        yield c


async def test_the_partnerships_page_records_and_withdraws_agreements(
    web: Client, partners: dict[str, Any], engine: AsyncEngine
) -> None:
    lead = bearer(partners["county_admin_token"])
    page = await web.get("/officer/partnerships", headers=lead)
    assert page.status_code == 200, page.text
    assert "Testshire Prevent Partnership" in page.text and "No agreements: nothing is shared." in page.text
    token = TOKEN_RE.search(page.text)
    assert token
    pid = partners["partnership"].id
    bad = await web.post(
        f"/officer/partnerships/{pid}/agreements",
        headers=lead,
        data={"csrf_token": token.group(1), "reference": "TPP-9", "review_date": "not a date"},
    )
    assert bad.status_code == 400 and "a date such as" in bad.text
    made = await web.post(
        f"/officer/partnerships/{pid}/agreements",
        headers=lead,
        data={
            "csrf_token": token.group(1),
            "reference": "TPP-9",
            "review_date": NEXT_YEAR.isoformat(),
            "shares": "findings",
        },
        follow_redirects=False,
    )
    assert made.status_code == 303, made.text
    listed = await web.get("/officer/partnerships", headers=lead)
    assert "TPP-9" in listed.text and "In force" in listed.text
    agreement_id = re.search(r"/officer/partnerships/agreements/([0-9a-f-]+)/withdraw", listed.text)
    assert agreement_id
    # The page comes to staff of other organisations without forms; posting is refused.
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        from tests.factories import make_staff

        _, partner_admin = await make_staff(s, "admin", provider=partners["brookvale"]["provider"])
        await s.commit()
    theirs = await web.get("/officer/partnerships", headers=bearer(partner_admin))
    assert "TPP-9" in theirs.text and "/withdraw" not in theirs.text
    theirs_token = TOKEN_RE.search(theirs.text)
    assert theirs_token
    refused = await web.post(
        f"/officer/partnerships/agreements/{agreement_id.group(1)}/withdraw",
        headers=bearer(partner_admin),
        data={"csrf_token": theirs_token.group(1)},
    )
    assert refused.status_code == 403
    withdrawn = await web.post(
        f"/officer/partnerships/agreements/{agreement_id.group(1)}/withdraw",
        headers=lead,
        data={"csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert withdrawn.status_code == 303
    assert "Withdrawn" in (await web.get("/officer/partnerships", headers=lead)).text


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_the_command_line_manages_partnerships_and_agreements(cli_env: dict[str, str]) -> None:
    assert _run(cli_env, "db", "upgrade").returncode == 0
    for name, kind in (
        ("Westshire County Council", "county_council"),
        ("Westshire Leisure Trust", "leisure_trust"),
    ):
        assert _run(cli_env, "organisations", "create", "--name", name, "--kind", kind).returncode == 0
    trust_led = _run(
        cli_env, "partnerships", "create", "--name", "Trusts", "--lead", "westshire-leisure-trust"
    )
    assert trust_led.returncode == 1 and "led by a council" in trust_led.stderr
    made = _run(
        cli_env,
        "partnerships",
        "create",
        "--name",
        "Westshire Partnership",
        "--lead",
        "westshire-county-council",
    )
    assert made.returncode == 0, made.stderr
    joined = _run(
        cli_env,
        "partnerships",
        "add-member",
        "--partnership",
        "Westshire Partnership",
        "--organisation",
        "westshire-leisure-trust",
    )
    assert joined.returncode == 0, joined.stderr
    nothing = _run(
        cli_env,
        "sharing",
        "agree",
        "--partnership",
        "Westshire Partnership",
        "--reference",
        "W-1",
        "--review-date",
        NEXT_YEAR.isoformat(),
    )
    assert nothing.returncode == 2 and "--flagged" in nothing.stderr
    agreed = _run(
        cli_env,
        "sharing",
        "agree",
        "--partnership",
        "Westshire Partnership",
        "--reference",
        "W-1",
        "--review-date",
        NEXT_YEAR.isoformat(),
        "--flagged",
        "--findings",
    )
    assert agreed.returncode == 0, agreed.stderr
    listed = _run(cli_env, "partnerships", "list")
    assert (
        "Westshire Leisure Trust (westshire-leisure-trust)" in listed.stdout and "in force" in listed.stdout
    )
    assert _run(cli_env, "sharing", "withdraw", "W-1").returncode == 0
    assert "withdrawn" in _run(cli_env, "sharing", "list").stdout
    again = _run(cli_env, "sharing", "withdraw", "W-1")
    assert again.returncode == 1 and "no agreement in force" in again.stderr


async def test_the_sharing_demo_loads_once(partners: dict[str, Any], engine: AsyncEngine) -> None:
    from api.demo_sharing import load_sharing_demo
    from vetting.sharing import list_partnerships

    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        members = [partners[k]["provider"] for k in ("brookvale", "farrowby")]
        first = await load_sharing_demo(s, lead=partners["county"], members=members, name="Demo Partnership")
        again = await load_sharing_demo(s, lead=partners["county"], members=members, name="Demo Partnership")
        assert first.id == again.id
        (view,) = [v for v in await list_partnerships(s, ADMIN) if v.partnership.name == "Demo Partnership"]
        assert {m.name for m in view.members} == {"Testshire County Council", *(m.name for m in members)}
        assert [(a.shares_flagged, a.shares_findings, a.withdrawn_at) for a in view.agreements] == [
            (True, True, None)
        ]
        farrow_scope = await scope_for_provider(s, partners["farrowby"]["provider"].id)
        assert partners["brookvale"]["provider"].id in farrow_scope.shared_flagged
