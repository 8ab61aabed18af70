"""In Chromium: a venue manager decides a request the partner policy delegates to them (approve
with a condition from the catalogue), and an administrator edits a room's opening hours and adds
a closure from the console; every page audited with axe-core at 1280 and 375 px wide.

Each test seeds a partner venue and staff of its own, so no other browser test's data or
sign-in is disturbed. Invented names only."""

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
from tests.factories import application_payload, next_weekday
from tests.web.conftest import LiveSite
from tests.web.pages import audit, sign_in

pytestmark = pytest.mark.browser


async def _partner(db_url: str, prefix: str) -> dict[str, Any]:
    """A partner venue under the partner policy, a room, and a manager and an administrator
    who each have a second factor."""
    engine = create_engine(db_url)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as s:
            venue = await f.make_venue(
                s,
                f"{prefix} Community Centre",
                owner_kind="partner",
                owner_name=f"{prefix} Halls Trust",
                policy_id="partner-example",
            )
            room = await f.make_room(s, venue, "Garden Room", capacity=80)
            manager, _ = await f.make_staff(
                s, "venue_manager", email=f"{prefix.lower()}-manager@testshire.example", venue_ids=[venue.id]
            )
            admin, _ = await f.make_staff(s, "admin", email=f"{prefix.lower()}-admin@testshire.example")
            secrets = {}
            for key, actor in (("manager", manager), ("admin", admin)):
                secrets[key] = pyotp.random_base32()
                user = await s.get(User, actor.id)
                assert user is not None
                user.totp_secret = secrets[key]
            await s.commit()
    finally:
        await engine.dispose()
    return {"venue": venue, "room": room, "manager_totp": secrets["manager"], "admin_totp": secrets["admin"]}


def _seed(live_site: LiveSite, prefix: str) -> dict[str, Any]:
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, _partner(live_site.settings.database_url, prefix)).result()


def test_a_venue_manager_approves_a_delegated_request_with_a_condition(
    live_site: LiveSite, context: Any
) -> None:
    world = _seed(live_site, "Brookfield")
    start = next_weekday(1, weeks_ahead=7, hour=18)
    body = application_payload(
        world["room"].id, start, open_to_public=True, answers={}, organisation="Larchway Beekeepers"
    )
    with httpx.Client(base_url=live_site.url, timeout=30) as http:
        made = http.post("/api/v1/applications", json=body)
        assert made.status_code == 201, made.text
    reference = made.json()["reference"]
    page = context.new_page()
    sign_in(
        page,
        live_site.url,
        "brookfield-manager@testshire.example",
        totp_secret=world["manager_totp"],
        next_path="/manager/cases",
    )
    expect(page.get_by_role("heading", name="Requests to decide")).to_be_visible()
    audit(page, "manager-cases")
    page.set_viewport_size({"width": 375, "height": 800})
    audit(page, "manager-cases-375")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, (
        "the list scrolls sideways on a phone"
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", name="Larchway Beekeepers: Monthly meeting")).to_be_visible()
    expect(page.get_by_text("No possible match needs an officer")).to_be_visible()
    audit(page, "manager-case")
    page.set_viewport_size({"width": 375, "height": 800})
    audit(page, "manager-case-375")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, (
        "the case scrolls sideways on a phone"
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("Approve (with any conditions ticked below)").check()
    page.get_by_label("Reasons (the hirer sees these").fill(
        "A well-run local group; a first public talk here."
    )
    page.get_by_label("The centre manager or a council officer may attend.").check()
    page.locator("#rationale-officer_may_attend").fill("Their first public event at the centre.")
    page.get_by_label("I have considered the checks still in review and approve anyway").check()
    page.locator("#checks-in-review-reason").fill("Their insurance certificate was shown at the desk.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded.")).to_be_visible()
    expect(page.get_by_text("Approved by", exact=False).first).to_be_visible()
    expect(
        page.locator("li li", has_text="The centre manager or a council officer may attend.")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Record decision")).to_have_count(0)
    audit(page, "manager-case-decided")
    with httpx.Client(base_url=live_site.url, timeout=30) as http:
        status = http.get(f"/api/v1/applicant/{made.json()['applicant_token']}")
    assert status.json()["status"] == "awaiting_acceptance"


def test_an_administrator_edits_a_rooms_hours_and_adds_a_closure(live_site: LiveSite, context: Any) -> None:
    world = _seed(live_site, "Kestrelford")
    venue = world["venue"]
    page = context.new_page()
    sign_in(
        page,
        live_site.url,
        "kestrelford-admin@testshire.example",
        totp_secret=world["admin_totp"],
        next_path=f"/officer/venues/{venue.id}",
    )
    expect(page.get_by_role("heading", name="Kestrelford Community Centre")).to_be_visible()
    page.get_by_role("link", name="Edit Garden Room").click()
    expect(page.get_by_role("heading", name="Edit Garden Room")).to_be_visible()
    audit(page, "officer-room-edit")
    page.set_viewport_size({"width": 375, "height": 800})
    audit(page, "officer-room-edit-375")
    page.set_viewport_size({"width": 1280, "height": 900})
    # A mistake first: told what to do, nothing saved.
    page.get_by_label("Monday").fill("nine till five")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("link", name="Enter Monday's hours like 09:00-22:00")).to_be_visible()
    audit(page, "officer-room-edit-error")
    page.get_by_label("Monday").fill("10:00-16:00")
    page.get_by_label("Sunday").fill("")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    expect(page.get_by_text("Monday: 10am to 4pm")).to_be_visible()
    expect(page.get_by_text("Sunday: closed")).to_be_visible()
    day = next_weekday(4, weeks_ahead=9).date()
    page.get_by_label("First day closed").fill(day.isoformat())
    page.get_by_label("Reason").fill("Floor sanding")
    page.get_by_role("button", name="Add closure").click()
    expect(page.locator(".closures li", has_text=f"{long_date(day)}: Floor sanding")).to_be_visible()
    changes = page.locator("#changes + table")
    expect(changes.get_by_text("Closure added")).to_be_visible()
    expect(changes.get_by_text("Room edited: Garden Room")).to_be_visible()
    expect(changes.get_by_text("Monday's hours from 8am to 11pm to 10am to 4pm", exact=False)).to_be_visible()
    expect(changes.get_by_text("Sunday's hours from 8am to 11pm to closed", exact=False)).to_be_visible()
    audit(page, "officer-venue-changes")
    page.set_viewport_size({"width": 375, "height": 800})
    audit(page, "officer-venue-changes-375")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Edit the venue's details").click()
    expect(page.get_by_role("heading", name="Edit the venue's details")).to_be_visible()
    audit(page, "officer-venue-edit")
    page.set_viewport_size({"width": 375, "height": 800})
    audit(page, "officer-venue-edit-375")
