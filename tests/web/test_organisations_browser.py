"""In the browser: the start page under each organisation's own name, colour and logo, and the
partnership oversight page as the lead council's officer."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from uuid import uuid4

import httpx
import pyotp
import pytest
from playwright.sync_api import expect
from sqlalchemy.ext.asyncio import async_sessionmaker

from api.db.engine import create_engine
from api.models import User
from tests import factories as f
from tests.web.conftest import LiveSite
from tests.web.pages import audit, sign_in
from vetting.providers import Partnership, PartnershipMember

pytestmark = pytest.mark.browser

LEAD, PARTNER = "Westvale County Council", "Westvale Leisure Trust"
NEUTRAL = "rgb(177, 180, 182)"  # site.css --border
LOGO_URL = "https://cdn.westvale.example/logo.svg"
# Served by the test in place of the organisation's host (the browser has no network here).
LOGO = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="160" height="40" viewBox="0 0 160 40">'
    b'<rect width="40" height="40" rx="6" fill="#005a30"/>'
    b'<text x="50" y="27" font-family="Arial" font-size="18" fill="#005a30">Westvale</text></svg>'
)


async def _partnership(db_url: str) -> dict[str, Any]:
    """A county council leading a partnership with a leisure trust, each with a venue, and an
    officer of the council of this test's own (so no other test's one-time code is replayed)."""
    engine = create_engine(db_url)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as s:
            lead = await f.make_provider(s, LEAD)
            lead.colour, lead.logo_url = "#005a30", LOGO_URL
            partner = await f.make_provider(s, PARTNER, "partner")
            partner.colour = "#6f2c91"
            partnership = Partnership(
                id=uuid4(), name="Westvale Prevent Partnership", lead_provider_id=lead.id
            )
            s.add(partnership)
            await s.flush()
            for p in (lead, partner):
                s.add(PartnershipMember(id=uuid4(), partnership_id=partnership.id, provider_id=p.id))
            rooms = {}
            for provider, venue_name, kind in ((lead, "Westvale County Hall", "council"),
                                               (partner, "Westvale Leisure Centre", "partner")):  # fmt: skip
                venue = await f.make_venue(s, venue_name, owner_name=provider.name, owner_kind=kind)
                rooms[provider.name] = await f.make_room(s, venue, "Studio")
            officer, _ = await f.make_staff(s, "officer", email="oversight@westvale.example", provider=lead)
            user = await s.get(User, officer.id)
            assert user is not None
            user.totp_secret = pyotp.random_base32()
            await s.commit()
            return {"rooms": rooms, "email": "oversight@westvale.example", "totp": user.totp_secret}
    finally:
        await engine.dispose()


def test_start_page_by_organisation_and_the_lead_councils_oversight(
    live_site: LiveSite, context: Any
) -> None:
    base = live_site.url
    # Sync Playwright keeps an event loop running in this thread: seed from another one.
    with ThreadPoolExecutor(1) as pool:
        data = pool.submit(asyncio.run, _partnership(live_site.settings.database_url)).result()
    for owner, count in ((PARTNER, 6), (LEAD, 2)):
        for k in range(count):
            start = f.next_weekday(4, weeks_ahead=10 + k, hour=10)
            body = f.application_payload(data["rooms"][owner].id, start)
            response = httpx.post(f"{base}/api/v1/applications", json=body, timeout=30)
            assert response.status_code == 201, response.text

    context.route(LOGO_URL, lambda route: route.fulfill(body=LOGO, content_type="image/svg+xml"))
    page = context.new_page()
    page.goto(f"{base}/")
    lead = page.get_by_role("region", name=LEAD)
    partner = page.get_by_role("region", name=PARTNER)
    expect(lead.get_by_role("listitem")).to_have_text(["Westvale County Hall"])
    expect(partner.get_by_role("listitem")).to_have_text(["Westvale Leisure Centre"])
    # The colours come from /branding.css, the logo from the organisation's own address.
    expect(lead).to_have_css("border-left-color", "rgb(0, 90, 48)")
    expect(partner).to_have_css("border-left-color", "rgb(111, 44, 145)")
    assert lead.locator("img.brand__logo").evaluate("img => img.complete && img.naturalWidth > 0")
    # No colour of its own: the neutral bar, not another organisation's colour.
    expect(page.get_by_role("region", name="Testshire Council")).to_have_css("border-left-color", NEUTRAL)
    audit(page, "50-start-organisations")

    sign_in(page, base, data["email"], totp_secret=data["totp"], next_path="/officer/oversight")
    expect(page.get_by_role("heading", name="Partnership oversight")).to_be_visible()
    requests = page.get_by_role("table", name="Requests", exact=True)
    expect(requests.get_by_role("row", name=f"{PARTNER} 6 0% –", exact=True)).to_be_visible()
    expect(requests.get_by_role("rowheader", name=f"{LEAD} (lead)")).to_be_visible()
    expect(page.get_by_role("table", name="Where the requests stand now")).to_be_visible()
    expect(page.get_by_role("table", name="How they were decided")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Testtown Allotment Society")
    # The tables fit the page: nothing runs off to the side.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    audit(page, "51-officer-oversight")
