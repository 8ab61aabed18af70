"""The alert choices page over HTTP: what it offers, saving, the two alerts that cannot be turned
off (even by a forged form), a bad time, and the CSRF token."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from casework.alert_models import AlertDigestTime, AlertPreference
from tests.web.sign_in import csrf_of, sign_in_as

Client = AsyncTestClient[Litestar]


@pytest.fixture
async def web(app: Litestar) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as c:
        yield c


def _options(html: str, kind: str) -> list[str]:
    return re.findall(rf'name="{kind}" type="radio" value="(\w+)"', html)


async def test_the_page_offers_and_saves_choices(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    await sign_in_as(web, session, seeded["officer"])
    page = await web.get("/account/alerts")
    assert page.status_code == 200
    assert _options(page.text, "alert_new_request") == ["immediately", "digest", "off"]
    assert _options(page.text, "referral") == ["immediately", "digest"]
    assert _options(page.text, "alert_countersignature") == ["immediately", "digest"]
    form = {
        "csrf_token": csrf_of(page.text),
        "alert_new_request": "digest",
        "alert_appeal_lodged": "off",
        "referral": "digest",
        "digest_at": "17:30",
    }
    saved = await web.post("/account/alerts", data=form, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == "/account/alerts?done=saved"
    rows = dict(
        (
            await session.execute(
                select(AlertPreference.kind, AlertPreference.delivery).where(
                    AlertPreference.user_id == seeded["officer"].id
                )
            )
        )
        .tuples()
        .all()
    )
    assert rows == {"alert_new_request": "digest", "alert_appeal_lodged": "off", "referral": "digest"}
    at = (await session.execute(select(AlertDigestTime.digest_at))).scalar_one()
    assert f"{at:%H:%M}" == "17:30"
    await session.commit()
    again = await web.get("/account/alerts?done=saved")
    assert "Your alert choices are saved." in again.text
    assert re.search(r'value="digest" checked', again.text)


async def test_a_forged_off_for_referrals_is_refused(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    await sign_in_as(web, session, seeded["officer"])
    page = await web.get("/account/alerts")
    form = {"csrf_token": csrf_of(page.text), "referral": "off", "digest_at": "25:99"}
    refused = await web.post("/account/alerts", data=form, follow_redirects=False)
    assert refused.status_code == 400
    assert "Enter a time such as 08:00" in refused.text
    form["digest_at"] = "08:00"
    refused = await web.post("/account/alerts", data=form, follow_redirects=False)
    assert refused.status_code == 400 and "cannot be turned off" in refused.text
    assert (await session.execute(select(AlertPreference))).first() is None


async def test_without_the_csrf_token_nothing_is_saved(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    await sign_in_as(web, session, seeded["manager"])
    refused = await web.post("/account/alerts", data={"alert_booking_changed": "off"}, follow_redirects=False)
    assert refused.status_code == 403
    assert (await session.execute(select(AlertPreference))).first() is None


async def test_signed_out_visitors_are_sent_to_sign_in(web: Client) -> None:
    answer = await web.get("/account/alerts", follow_redirects=False)
    assert answer.status_code in (302, 303, 401)


async def test_a_service_administrator_sees_their_own_saved_choices(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    await sign_in_as(web, session, seeded["admin"])
    page = await web.get("/account/alerts")
    form = {"csrf_token": csrf_of(page.text), "alert_decision_due": "off", "digest_at": "06:45"}
    saved = await web.post("/account/alerts", data=form, follow_redirects=False)
    assert saved.status_code == 303
    again = await web.get("/account/alerts")
    assert re.search(
        r'id="alert_decision_due-off" name="alert_decision_due" type="radio" value="off" checked', again.text
    )
    assert 'value="06:45"' in again.text
