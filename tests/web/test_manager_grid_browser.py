"""The venue manager's room grid and the caretaker's day sheet in Chromium: at desktop width and
at 375 px (one room at a time through the room links), printed without the menus, and audited
with axe-core (screenshots under test-artifacts/screenshots/)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pyotp
import pytest
from playwright.sync_api import expect
from sqlalchemy.ext.asyncio import async_sessionmaker

from api.db.engine import create_engine
from api.models import User
from api.web.readable import long_date
from tests import factories as f
from tests.factories import application_payload, bearer, next_weekday
from tests.web.conftest import LiveSite
from tests.web.pages import audit, sign_in

pytestmark = pytest.mark.browser


async def _staff(db_url: str, venue_id: Any) -> dict[str, Any]:
    """An officer (API token) and a venue manager (second factor) of this test's own, so no other
    browser test's sign-in can make this one's security code a replay."""
    engine = create_engine(db_url)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as s:
            _officer, token = await f.make_staff(s, "officer", email="grid-officer@testshire.example")
            manager, _ = await f.make_staff(
                s, "venue_manager", email="grid-manager@testshire.example", venue_ids=[venue_id]
            )
            secret = pyotp.random_base32()
            user = await s.get(User, manager.id)
            assert user is not None
            user.totp_secret = secret
            await s.commit()
    finally:
        await engine.dispose()
    return {"officer_token": token, "manager_totp": secret}


def _seed(live_site: LiveSite) -> dict[str, Any]:
    """Staff (in a thread of its own: Playwright's loop runs in this one), then three requests
    through the API: confirmed, waiting for acceptance, undecided, on one Thursday."""
    venue = live_site.data["venue"]
    with ThreadPoolExecutor(1) as pool:
        staff = pool.submit(asyncio.run, _staff(live_site.settings.database_url, venue.id)).result()
    start = next_weekday(3, weeks_ahead=11, hour=18)
    made = {}
    with httpx.Client(base_url=live_site.url, timeout=30) as http:
        for key, room, when, org in (
            ("confirmed", "hall_a", start, "Brackenholt Model Railway Club"),
            ("awaiting", "main", start.replace(hour=10, minute=30), "Tarnside Reading Group"),
            ("pending", "hall_b", start.replace(hour=14), "Wildmere Ukulele Band"),
        ):
            body = application_payload(live_site.data[room].id, when, organisation=org)
            answer = http.post("/api/v1/applications", json=body)
            assert answer.status_code == 201, answer.text
            made[key] = answer.json()
        conditions = [{"code": "responsible_person", "text": None, "rationale": None}]
        for key in ("confirmed", "awaiting"):
            decided = http.post(
                f"/api/v1/applications/{made[key]['id']}/decision",
                json={"outcome": "approve", "reason": "Approved", "conditions": conditions},
                headers=bearer(staff["officer_token"]),
            )
            assert decided.status_code == 200, decided.text
        accepted = http.post(f"/api/v1/applicant/{made['confirmed']['applicant_token']}/accept-conditions")
        assert accepted.status_code == 200, accepted.text
    return staff | {"day": start.date()}


def test_manager_reads_the_grid_at_desktop_and_phone_width_and_prints_the_day_sheet(
    live_site: LiveSite, context: Any
) -> None:
    world = _seed(live_site)
    base, day = live_site.url, world["day"]
    venue = live_site.data["venue"].id
    page = context.new_page()
    sign_in(
        page,
        base,
        "grid-manager@testshire.example",
        totp_secret=world["manager_totp"],
        next_path=f"/manager/venues/{venue}/week?week={day.isoformat()}",
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Week beginning")
    grid = page.locator("table.room-grid")
    expect(grid.locator("thead th")).to_have_text(["Day", "Hall A", "Hall B", "Main Hall"])
    for org, label in (
        ("Brackenholt Model Railway Club", "Confirmed"),
        ("Tarnside Reading Group", "Approved: hirer to accept conditions"),
        ("Wildmere Ukulele Band", "Request: not yet decided"),
    ):
        expect(grid.locator(".slot", has_text=org)).to_contain_text(label)
    expect(grid.locator(".slot", has_text="Brackenholt")).to_contain_text("6pm to 8pm")
    audit(page, "manager-week-grid")

    # A phone: the whole grid scrolls sideways; one room at a time reads without scrolling.
    page.set_viewport_size({"width": 375, "height": 800})
    audit(page, "manager-week-grid-375")
    page.get_by_role("navigation", name="Rooms").get_by_role("link", name="Hall B").click()
    expect(grid.locator("thead th")).to_have_text(["Day", "Hall B"])
    expect(grid).to_contain_text("Wildmere Ukulele Band")
    expect(grid).not_to_contain_text("Brackenholt")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"one room at a time still scrolls sideways ({width}px)"
    audit(page, "manager-week-one-room-375")

    page.get_by_role("link", name=f"Day view for {long_date(day)}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(long_date(day))
    expect(page.locator("table.room-grid thead th")).to_have_text(["Time", "Hall B"])
    audit(page, "manager-day-one-room-375")
    page.set_viewport_size({"width": 1200, "height": 900})
    page.get_by_role("navigation", name="Rooms").get_by_role("link", name="All rooms").click()
    busy = page.locator("td.room-grid__busy", has_text="Brackenholt")
    assert busy.get_attribute("rowspan") == "4"
    audit(page, "manager-day-grid")
    page.set_viewport_size({"width": 375, "height": 800})
    audit(page, "manager-day-grid-375")
    page.set_viewport_size({"width": 1200, "height": 900})

    page.get_by_role("link", name="Day sheet for the caretaker").click()
    sheet = page.locator(".day-sheet__table")
    row = sheet.locator("tbody tr", has_text="Brackenholt Model Railway Club")
    expect(row).to_contain_text("Hall A")
    expect(row).to_contain_text("Set up from 6pm")
    expect(row).to_contain_text("Cleared by 8:15pm")
    expect(row).to_contain_text("Morgan Testwell")
    expect(row).to_contain_text("responsible person", ignore_case=True)
    expect(sheet).to_contain_text("Tarnside Reading Group")
    expect(sheet).not_to_contain_text("Wildmere")  # undecided: not the caretaker's business
    audit(page, "manager-day-sheet")
    page.set_viewport_size({"width": 375, "height": 800})
    audit(page, "manager-day-sheet-375")
    page.set_viewport_size({"width": 1200, "height": 900})
    page.emulate_media(media="print")
    expect(page.locator("header.header")).to_be_hidden()
    expect(page.locator("nav.pager")).to_be_hidden()
    expect(row).to_be_visible()
    page.screenshot(path=str(_shots() / "manager-day-sheet-print.png"), full_page=True)
    pdf = page.pdf(format="A4", landscape=True)
    assert pdf.startswith(b"%PDF")  # Chromium prints it (its own print path, print CSS applied)


def _shots() -> Any:
    from tests.web.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
