"""In the browser (issue 17 items 3 and 5): officer A proposes a refusal and sees no countersign
form; officer B countersigns; the hirer appeals; officer C, who took no part, upholds it and
approves the booking again; the hirer's status page says so. Then C cancels one date of a
confirmed series and moves another from the console. Each new page is audited at 1280 and 375 px."""

from __future__ import annotations

import asyncio
import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pyotp
import pytest
from playwright.sync_api import expect
from sqlalchemy.ext.asyncio import async_sessionmaker

from api.db.engine import create_engine
from api.models import User
from tests import factories as f
from tests.web.conftest import LiveSite, new_context
from tests.web.pages import audit, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def _officers(db_url: str) -> dict[str, tuple[str, str, str, str]]:
    """Three officers of the council with a second factor each: (email, secret, name, API token)."""
    engine = create_engine(db_url)
    out: dict[str, tuple[str, str, str, str]] = {}
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as s:
            for key in ("a", "b", "c"):
                email = f"flows-{key}@testshire.example"
                actor, token = await f.make_staff(s, "officer", email=email)
                user = await s.get(User, actor.id)
                assert user is not None
                user.totp_secret = pyotp.random_base32()
                out[key] = (email, user.totp_secret, actor.name, token)
            await s.commit()
    finally:
        await engine.dispose()
    return out


def _wide_and_narrow(page: Any, name: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    audit(page, f"{name}-1280")
    page.set_viewport_size({"width": 375, "height": 800})
    audit(page, f"{name}-375")
    page.set_viewport_size({"width": 1280, "height": 900})


def _signed_in(browser: Any, base: str, officer: tuple[str, str, str, str], path: str) -> Any:
    context = new_context(browser)
    page = context.new_page()
    sign_in(page, base, officer[0], totp_secret=officer[1], next_path=path)
    return page


def _apply(base: str, room_id: Any, start: dt.datetime, **kw: Any) -> dict[str, Any]:
    response = httpx.post(
        f"{base}/api/v1/applications", json=f.application_payload(room_id, start, **kw), timeout=30
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_refusal_countersigned_appealed_and_approved_again(live_site: LiveSite, browser: Any) -> None:
    base = live_site.url
    with ThreadPoolExecutor(1) as pool:
        officers = pool.submit(asyncio.run, _officers(live_site.settings.database_url)).result()
    case = _apply(
        base,
        live_site.data["hall_a"].id,
        f.next_weekday(4, weeks_ahead=21),
        organisation="Testtown Kite Club",
    )
    url = f"/officer/cases/{case['id']}"

    a = _signed_in(browser, base, officers["a"], url)
    a.check("#outcome-refuse")
    a.locator("#reason").fill("The fire officer's report says the hall cannot hold the planned stage safely")
    a.check("#reason_code-public_safety")
    a.locator("#options-considered").fill("A capacity limit and a smaller stage; neither would be enough")
    a.get_by_role("button", name="Record decision").click()
    expect(a.get_by_text("You proposed this refusal.")).to_be_visible()
    expect(a.get_by_role("button", name="Record countersignature")).to_have_count(0)
    _wide_and_narrow(a, "flows-01-refusal-proposer-no-countersign")

    b = _signed_in(browser, base, officers["b"], url)
    expect(b.get_by_role("button", name="Record countersignature")).to_be_visible()
    _wide_and_narrow(b, "flows-02-countersign-form")
    b.check("#agree-yes")
    b.get_by_role("button", name="Record countersignature").click()
    expect(b.get_by_text("Countersignature recorded.")).to_be_visible()

    hirer = new_context(browser).new_page()
    hirer.goto(f"{base}/status/{case['applicant_token']}")
    hirer.locator("#grounds").fill("We will bring no stage at all; the talk needs only chairs.")
    hirer.get_by_role("button", name="Send appeal").click()
    expect(hirer.get_by_text("We have your appeal.")).to_be_visible()

    b.reload()
    deciders = b.locator("#appeal-deciders")
    expect(deciders).to_contain_text(officers["c"][2])
    expect(deciders).not_to_contain_text(officers["a"][2])
    expect(deciders).not_to_contain_text(officers["b"][2])
    expect(b.get_by_text("You took part in the decision, so you cannot decide its appeal.")).to_be_visible()
    expect(b.get_by_role("button", name="Record appeal decision")).to_have_count(0)

    c = _signed_in(browser, base, officers["c"], url)
    _wide_and_narrow(c, "flows-03-appeal-form")
    c.get_by_role("button", name="Record appeal decision").click()
    expect(c.locator(".govuk-error-summary")).to_contain_text("Choose what the appeal decides")
    _wide_and_narrow(c, "flows-04-appeal-form-errors")
    c.check("#appeal_outcome-reapproved")
    c.locator("#appeal_reason").fill("Without a stage the hall is safe for this talk")
    c.get_by_role("button", name="Record appeal decision").click()
    expect(c.get_by_text("Appeal decision recorded.")).to_be_visible()

    hirer.goto(f"{base}/status/{case['applicant_token']}")
    expect(hirer.locator("#appeal-outcome")).to_have_text(
        "Your appeal was upheld and your booking is approved. It is confirmed."
    )
    expect(
        hirer.get_by_text("The officer's reasons: Without a stage the hall is safe for this talk")
    ).to_be_visible()
    _wide_and_narrow(hirer, "flows-05-status-appeal-upheld-approved")
    for p in (a, b, c, hirer):
        p.context.close()


def test_a_date_is_cancelled_and_another_moved_from_the_console(live_site: LiveSite, browser: Any) -> None:
    base = live_site.url
    with ThreadPoolExecutor(1) as pool:
        officers = pool.submit(asyncio.run, _officers_again(live_site.settings.database_url)).result()
    token = officers["c"][3]
    first = f.next_weekday(3, weeks_ahead=23)
    case = _apply(
        base,
        live_site.data["hall_a"].id,
        first,
        rrule="FREQ=WEEKLY;COUNT=3",
        organisation="Testtown Quilters",
    )
    headers = f.bearer(token)
    approved = httpx.post(
        f"{base}/api/v1/applications/{case['id']}/decision",
        json={"outcome": "approve", "reason": "Fine", "conditions": []},
        headers=headers,
        timeout=30,
    )
    assert approved.status_code == 200, approved.text
    dates = httpx.get(f"{base}/api/v1/applications/{case['id']}", headers=headers, timeout=30).json()[
        "occurrences"
    ]
    url = f"/officer/cases/{case['id']}"

    page = _signed_in(browser, base, officers["c"], url)
    page.locator(f'a[href="{url}/dates/{dates[1]["id"]}/cancel"]').click()
    expect(page.get_by_role("heading", name="Cancel this date")).to_be_visible()
    _wide_and_narrow(page, "flows-06-cancel-date-form")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose a reason for cancelling this date")
    _wide_and_narrow(page, "flows-07-cancel-date-errors")
    page.get_by_label("The venue is closed that day").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check the change and confirm it")).to_be_visible()
    _wide_and_narrow(page, "flows-08-cancel-date-confirm")
    page.get_by_role("button", name="Confirm and tell the hirer").click()
    expect(page.get_by_text("The date is cancelled. The hirer has been told.")).to_be_visible()

    page.locator(f'a[href="{url}/dates/{dates[2]["id"]}/move"]').click()
    expect(page.get_by_role("heading", name="Move this date")).to_be_visible()
    page.get_by_label("Start time").fill("20:00")
    page.get_by_label("End time").fill("22:00")
    page.get_by_label("The hirer asked for the change").check()
    _wide_and_narrow(page, "flows-09-move-date-form")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("20:00 to 22:00")).to_be_visible()
    _wide_and_narrow(page, "flows-10-move-date-confirm")
    page.get_by_role("button", name="Confirm and tell the hirer").click()
    expect(page.get_by_text("The date is moved. The hirer has been told.")).to_be_visible()
    _wide_and_narrow(page, "flows-11-case-dates-after-changes")

    after = httpx.get(f"{base}/api/v1/applications/{case['id']}", headers=headers, timeout=30).json()[
        "occurrences"
    ]
    assert [o["status"] for o in after] == ["held", "cancelled", "held"]
    assert after[2]["local_start"].endswith("T20:00")
    page.context.close()


async def _officers_again(db_url: str) -> dict[str, tuple[str, str, str, str]]:
    """Officers of this test's own (fresh codes: none is replayed from the other test)."""
    engine = create_engine(db_url)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as s:
            actor, token = await f.make_staff(s, "officer", email="flows-dates@testshire.example")
            user = await s.get(User, actor.id)
            assert user is not None
            user.totp_secret = pyotp.random_base32()
            await s.commit()
            return {"c": ("flows-dates@testshire.example", user.totp_secret, actor.name, token)}
    finally:
        await engine.dispose()
