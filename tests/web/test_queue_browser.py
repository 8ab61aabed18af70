"""In the browser: an officer works the queue tabs (issue 17 item 1): the tabs show their counts,
the current one is marked, the officer takes a new request and finds it under "Assigned to me",
and the case page says who has it; axe-core at 1280 and 375 px."""

from __future__ import annotations

import asyncio
import re
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
from tests.factories import application_payload, next_weekday
from tests.web.conftest import LiveSite
from tests.web.pages import audit, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]
GROUPS = ("Quince Tenants Forum", "Rowan Bell Ringers", "Sorrel Film Society")


async def _officer(db_url: str) -> tuple[str, str, str]:
    """An officer of this test's own, so no other test's one-time code is replayed."""
    engine = create_engine(db_url)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as s:
            actor, _ = await f.make_staff(s, "officer", email="queueofficer@testshire.example")
            user = await s.get(User, actor.id)
            assert user is not None
            user.totp_secret = pyotp.random_base32()
            await s.commit()
            return "queueofficer@testshire.example", user.totp_secret, str(user.id)
    finally:
        await engine.dispose()


def _submit(base: str, data: dict[str, Any]) -> list[str]:
    """Three requests through the public API, in weeks no other browser test books."""
    references = []
    for i, group in enumerate(GROUPS):
        body = application_payload(
            data["other_room"].id, next_weekday(3, weeks_ahead=40 + i), organisation=group, people=[]
        )
        answer = httpx.post(f"{base}/api/v1/applications", json=body, timeout=30)
        assert answer.status_code == 201, answer.text
        references.append(answer.json()["reference"])
    return references


def _tab(page: Any, label: str) -> Any:
    return page.get_by_role("navigation", name="Work queues").get_by_role(
        "link", name=re.compile(f"^{label} ")
    )


def test_officer_works_the_queue_tabs(live_site: LiveSite, context: Any) -> None:
    base = live_site.url
    with ThreadPoolExecutor(1) as pool:
        email, secret, user_id = pool.submit(asyncio.run, _officer(live_site.settings.database_url)).result()
    references = _submit(base, live_site.data)
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, base, email, totp_secret=secret)
    expect(page.get_by_role("heading", level=1)).to_have_text("Booking requests")

    # The landing tab is "New", marked as the current one, with its count.
    new_tab = _tab(page, "New")
    expect(new_tab).to_have_attribute("aria-current", "page")
    new_count = int(new_tab.locator(".queue-tabs__count").inner_text().split()[0])
    assert new_count >= len(GROUPS)
    expect(_tab(page, "Assigned to me")).to_contain_text("0")
    for tab in ("Awaiting information", "Referrals to resolve", "Awaiting my countersignature",
                "Appeals I may decide", "Due soon or overdue"):  # fmt: skip
        expect(_tab(page, tab)).to_be_visible()
    row = page.get_by_role("row").filter(has_text=references[1])
    expect(row).to_contain_text("Rowan Bell Ringers")
    expect(row).to_contain_text("Nobody")

    # Take it: back on "New", which no longer lists it; it is under "Assigned to me".
    row.get_by_role("button", name=f"Assign to me {references[1]}").click()
    expect(page.get_by_text("Assignment recorded.")).to_be_visible()
    expect(_tab(page, "New")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("row").filter(has_text=references[1])).to_have_count(0)
    expect(_tab(page, "New").locator(".queue-tabs__count")).to_have_text(re.compile(f"^{new_count - 1}\\b"))
    _tab(page, "Assigned to me").click()
    mine = _tab(page, "Assigned to me")
    expect(mine).to_have_attribute("aria-current", "page")
    expect(mine.locator(".queue-tabs__count")).to_have_text(re.compile(r"^1\b"))
    expect(page.get_by_role("heading", level=2, name="Assigned to me")).to_be_visible()
    table = page.get_by_role("table", name="Assigned to me")
    expect(table.get_by_role("row")).to_have_count(2)  # the header and the case taken
    expect(table.get_by_role("row").filter(has_text=references[1])).to_contain_text("You")
    audit(page, "70-officer-queue-assigned-to-me")

    # The "assigned to" filter finds it too, and the case page says who has it.
    _tab(page, "All requests").click()
    page.get_by_label("Assigned to").select_option(value=user_id)
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("row").filter(has_text=references[1])).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=references[0])).to_have_count(0)
    page.get_by_role("link", name=references[1]).click()
    assignment = page.get_by_role("region", name="Assigned to")
    expect(assignment).to_contain_text("You, since")
    audit(page, "71-officer-case-assigned")

    # On a phone: the tabs wrap, the table scrolls sideways inside its own region.
    page.goto(f"{base}/officer/?tab=mine")
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    expect(_tab(page, "Assigned to me")).to_have_attribute("aria-current", "page")
    audit(page, "72-officer-queue-375px")
    _tab(page, "New").click()
    expect(_tab(page, "New")).to_have_attribute("aria-current", "page")
    audit(page, "73-officer-queue-new-375px")
