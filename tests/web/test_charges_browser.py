"""Charges in a real browser: the hirer chooses an extra and sees the price of each date and the
total before sending (the charity concession too), the officer verifies the concession as a check
and approves, the hirer finds the invoice on the status page, and the officer records the
payment. Each page is audited with axe-core at 1280 and 375 px."""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pyotp
import pytest
from playwright.sync_api import expect
from sqlalchemy import update
from sqlalchemy.ext.asyncio import async_sessionmaker

from api.db.engine import create_engine
from api.models import User
from tests import factories as f
from tests.factories import next_weekday
from tests.web.conftest import LiveSite, new_context
from tests.web.pages import audit, fill_date, sign_in
from venues.models import Venue

pytestmark = pytest.mark.browser


async def _priced_venue(db_url: str) -> dict[str, Any]:
    """A venue of its own priced by the council's rate card, and an officer of its own (a code
    used by another test's officer within the same minute would be refused as a replay)."""
    engine = create_engine(db_url)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as s:
            venue = await f.make_venue(s, "Testtown Priced Hall")
            room = await f.make_room(s, venue, "Studio", capacity=40, buffer_after=15)
            await s.execute(update(Venue).where(Venue.id == venue.id).values(rate_card_id="council-halls"))
            officer, _ = await f.make_staff(s, "officer", email="treasurer-officer@testshire.example")
            secret = pyotp.random_base32()
            await s.execute(update(User).where(User.id == officer.id).values(totp_secret=secret))
            await s.commit()
        return {"venue": venue, "room": room, "totp": secret}
    finally:
        await engine.dispose()


def _wide_and_narrow(page: Any, name: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    audit(page, name)
    page.set_viewport_size({"width": 375, "height": 800})
    audit(page, f"{name}-375")
    page.set_viewport_size({"width": 1280, "height": 900})


def _run(coro: Any) -> Any:
    # Sync Playwright keeps an event loop running in this thread: the database work gets its own.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def test_price_before_sending_invoice_on_status_page_payment_by_staff(
    live_site: LiveSite, context: Any
) -> None:
    base = live_site.url
    priced = _run(_priced_venue(live_site.settings.database_url))
    when = next_weekday(2, weeks_ahead=6, hour=16)  # Wednesdays 4pm to 6pm: off-peak, then peak

    hirer = context.new_page()
    hirer.goto(base + "/book")
    hirer.get_by_label("Venue").select_option(value=str(priced["venue"].id))
    fill_date(hirer, "Date of the event", when.date())
    hirer.get_by_label("Start time").fill("16:00")
    hirer.get_by_label("Finish time").fill("18:00")
    hirer.locator("#repeat-weekly").check()
    hirer.get_by_label("How many times in total").fill("3")
    hirer.get_by_label("How many people will attend").fill("20")
    hirer.get_by_role("button", name="Find rooms").click()
    hirer.get_by_label("Studio").check()
    hirer.get_by_label("Projector and screen: £20.00 a date (VAT 20%)").check()
    _wide_and_narrow(hirer, "charges-00-room-and-extras")
    hirer.get_by_role("button", name="Continue").click()
    hirer.get_by_label("Name of the organisation or group").fill("Testtown Brass Band Trust")
    hirer.get_by_label("Type of organisation").select_option("charity")
    hirer.get_by_label("Registered charity number (if it has one)").fill("1234567")
    hirer.get_by_label("Full name").fill("Robin Testcornet")
    hirer.get_by_label("Email address").fill("robin@testtown.example")
    hirer.get_by_role("button", name="Continue").click()
    hirer.locator("#person_0_name").fill("Casey Testtrombone")
    hirer.locator("#person_0_role").select_option("officer")
    hirer.get_by_role("button", name="Continue").click()
    hirer.get_by_label("Title of the event").fill("Band practice")
    hirer.get_by_label("What will happen at the event?").fill("Weekly rehearsal of the band.")
    hirer.locator("#open_to_public-no").check()
    hirer.locator("#under_18s-no").check()
    hirer.locator("#adults_at_risk-no").check()
    hirer.get_by_role("button", name="Continue").click()
    if hirer.get_by_role("heading", level=1).inner_text() == "A few more questions":
        hirer.locator("#q_alcohol-no").check()
        hirer.get_by_role("button", name="Continue").click()
    for box in hirer.locator("input[name=declarations]").all():
        box.check()
    hirer.get_by_role("button", name="Continue").click()

    # ---- the price, date by date and line by line, before sending
    expect(hirer.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before sending your request"
    )
    expect(hirer.get_by_role("heading", name="Price")).to_be_visible()
    price = hirer.locator("#price")
    # 1 hour off-peak at £24.00 and 1 hour peak at £32.00, less 40% for a registered charity: £33.60
    expect(price.get_by_text("Off-peak hire, 4pm to 5pm: 1 hour at £24.00 an hour")).to_have_count(3)
    expect(price.get_by_text("Peak hire, 5pm to 6pm: 1 hour at £32.00 an hour")).to_have_count(3)
    expect(price.get_by_text("Registered charity: 40% off hire")).to_have_count(3)
    # the projector, £20.00 and VAT at 20% on each date: £100.80 of hire and £72.00 of extras
    expect(price.get_by_text("Projector and screen")).to_have_count(3)
    expect(price.get_by_text("VAT 20%: £4.00")).to_have_count(3)
    expect(price.locator("[data-total]")).to_have_text("£172.80")
    expect(price.get_by_text("refundable damage deposit of £50.00", exact=False)).to_be_visible()
    expect(price.get_by_text("if it does not, the standard rate is charged", exact=False)).to_be_visible()
    _wide_and_narrow(hirer, "charges-01-price-before-sending")
    hirer.get_by_role("button", name="Send request").click()
    expect(hirer.get_by_role("heading", name="Request sent")).to_be_visible()
    reference = hirer.locator(".reference").inner_text().strip()
    status_url = hirer.locator("#status-link").get_attribute("href")
    assert status_url

    # ---- the officer sees the quote and the concession to check, and approves
    officer = new_context(context.browser).new_page()
    sign_in(officer, base, "treasurer-officer@testshire.example", totp_secret=priced["totp"])
    expect(officer.get_by_role("heading", level=1)).to_have_text("Booking requests")
    officer.get_by_role("link", name=reference).click()
    expect(officer.get_by_text("Concession claimed: Registered charity.")).to_be_visible()
    officer.get_by_text(re.compile("Price quoted to the hirer: £172.80")).click()
    _wide_and_narrow(officer, "charges-02-officer-case-quote")
    # the concession is a check in review: the officer records it satisfied from the register
    row = officer.locator("#check-row-concession")
    expect(row.get_by_text("Registered charity rate claimed: 40% off the hire.")).to_be_visible()
    row.locator("summary", has_text="Record the outcome").click()
    row.locator("label", has_text="Yes, satisfied").click()
    row.get_by_label("What the evidence showed").fill("Charity 1234567 is on the register under this name")
    row.get_by_role("button", name="Record outcome").click()
    expect(officer.locator("#check-concession-officer")).to_contain_text("Officer: satisfied")
    officer.locator("#outcome-approve").check()
    officer.get_by_label("Reasons (the hirer sees these").fill("Approved: the charity is on the register")
    # The insurance check is still in review: approving over it takes a confirmation and a reason.
    officer.get_by_label("I have considered the checks still in review and approve anyway").check()
    officer.locator("#checks-in-review-reason").fill("Insurance certificate seen at the desk")
    officer.get_by_role("button", name="Record decision").click()
    expect(officer.get_by_role("link", name="Invoice, payments and credit notes")).to_be_visible()

    # ---- the hirer finds the invoice on the status page
    hirer.goto(base + status_url)
    expect(hirer.get_by_role("heading", name="Invoice")).to_be_visible()
    number = hirer.locator("#invoice + dl .summary-list__value").first.inner_text().strip()
    assert re.fullmatch(r"INV-\d{6}", number)
    _wide_and_narrow(hirer, "charges-03-status-invoice")
    hirer.get_by_role("link", name=f"View invoice {number}").click()
    expect(hirer.get_by_role("heading", level=1)).to_have_text(f"Invoice {number}")
    expect(hirer.locator("[data-total]")).to_have_text("£172.80")
    _wide_and_narrow(hirer, "charges-04-invoice-page")
    with hirer.expect_download() as download:
        hirer.get_by_role("link", name="Download this invoice as a PDF").click()
    assert download.value.suggested_filename == f"{number}.pdf"

    # ---- the officer records the payment
    officer.get_by_role("link", name="Invoice, payments and credit notes").click()
    officer.get_by_label("How it was paid").select_option("bacs")
    officer.get_by_label("Amount received, in pounds").fill("172.80")
    officer.get_by_label("Bank or cheque reference (optional)").fill("BAND TRUST 0117")
    officer.get_by_role("button", name="Record payment").click()
    expect(officer.get_by_text("The payment is recorded.")).to_be_visible()
    expect(officer.locator("#paid")).to_have_text("£172.80")
    _wide_and_narrow(officer, "charges-05-payment-recorded")
    hirer.goto(base + status_url)
    expect(hirer.get_by_text("Left to pay")).to_be_visible()
    expect(hirer.locator("#invoice + dl").get_by_text("£0.00")).to_be_visible()
