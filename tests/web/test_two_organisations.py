"""In the browser (issue 24): officers of two organisations, signed in side by side, each see
only their own organisation's queue, and the other's case is a plain 404 page."""

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
from tests import factories as f
from tests.web.conftest import LiveSite, new_context
from tests.web.pages import audit, sign_in

pytestmark = pytest.mark.browser
ORGANISATIONS = (("Ashcombe", "council"), ("Zyxford", "partner"))


async def _seed(db_url: str) -> dict[str, dict[str, Any]]:
    """Per organisation: a venue with a room and an officer with a second factor."""
    engine = create_engine(db_url)
    out: dict[str, dict[str, Any]] = {}
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as s:
            for marker, kind in ORGANISATIONS:
                provider = await f.make_provider(s, f"{marker} Borough {kind.title()}", kind)
                venue = await f.make_venue(s, f"{marker} Hall", owner_kind=kind, owner_name=provider.name)
                room = await f.make_room(s, venue, f"{marker} Room")
                email = f"officer@{marker.lower()}.example"
                actor, _ = await f.make_staff(s, "officer", email=email, provider=provider)
                user = await s.get(User, actor.id)
                assert user is not None
                user.totp_secret = pyotp.random_base32()
                out[marker] = {"room": room.id, "email": email, "totp": user.totp_secret}
            await s.commit()
    finally:
        await engine.dispose()
    return out


def test_officers_of_two_organisations_each_see_only_their_own_queue(
    live_site: LiveSite, browser: Any
) -> None:
    base = live_site.url
    # Sync Playwright keeps an event loop running in this thread: seed from another one.
    with ThreadPoolExecutor(1) as pool:
        orgs = pool.submit(asyncio.run, _seed(live_site.settings.database_url)).result()
    cases: dict[str, dict[str, str]] = {}
    for weeks, marker in enumerate(orgs, start=11):
        body = f.application_payload(
            orgs[marker]["room"], f.next_weekday(3, weeks_ahead=weeks), organisation=f"{marker} Film Society"
        )
        response = httpx.post(f"{base}/api/v1/applications", json=body, timeout=30)
        assert response.status_code == 201, response.text
        cases[marker] = response.json()

    contexts = {marker: new_context(browser) for marker in orgs}
    try:
        pages = {marker: ctx.new_page() for marker, ctx in contexts.items()}
        for marker, page in pages.items():
            sign_in(page, base, orgs[marker]["email"], totp_secret=orgs[marker]["totp"])
            expect(page.get_by_role("heading", name="Booking requests")).to_be_visible()
        for marker, page in pages.items():
            other = next(m for m in orgs if m != marker)
            page.goto(f"{base}/officer?status=all")
            queue = page.locator("main")
            expect(queue).to_contain_text(cases[marker]["reference"])
            expect(queue).to_contain_text(f"{marker} Film Society")
            expect(queue).not_to_contain_text(cases[other]["reference"])
            expect(queue).not_to_contain_text(other)
            # The venue filter offers only their own venues.
            expect(page.get_by_label("Venue")).not_to_contain_text(other)
            audit(page, f"60-queue-of-{marker.lower()}")
            # The other organisation's case by its address: the page any missing case gets.
            answer = page.goto(f"{base}/officer/cases/{cases[other]['id']}")
            assert answer is not None and answer.status == 404
            expect(page.locator("main")).not_to_contain_text(other)
            audit(page, f"61-other-organisations-case-from-{marker.lower()}")
            own = page.goto(f"{base}/officer/cases/{cases[marker]['id']}")
            assert own is not None and own.status == 200
            expect(page.locator("main")).to_contain_text(cases[marker]["reference"])
    finally:
        for ctx in contexts.values():
            ctx.close()
