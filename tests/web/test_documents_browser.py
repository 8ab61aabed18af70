"""In the browser: a hirer attaches an insurance certificate inside the booking form, then sends a
safeguarding policy from the status page in answer to a request for information; an officer
opens each in the document viewer and accepts it, every check turns green, the officer approves."""

from __future__ import annotations

import asyncio
import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pyotp
import pytest
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from api.db.engine import create_engine
from api.models import User
from tests import factories as f
from tests.documents.conftest import pdf
from tests.web.conftest import LiveSite
from tests.web.pages import audit, fill_date, sign_in
from vetting.models import VettingCase

pytestmark = pytest.mark.browser


async def _officer_with_totp(db_url: str) -> tuple[str, str]:
    """An officer of this test's own, so no other test's one-time code is replayed."""
    engine = create_engine(db_url)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as s:
            actor, _ = await f.make_staff(s, "officer", email="docsofficer@testshire.example")
            user = await s.get(User, actor.id)
            assert user is not None
            user.totp_secret = pyotp.random_base32()
            await s.commit()
            return "docsofficer@testshire.example", user.totp_secret
    finally:
        await engine.dispose()


async def _case_id(db_url: str, reference: str) -> str:
    engine = create_engine(db_url)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as s:
            case = (
                await s.execute(select(VettingCase).where(VettingCase.reference == reference))
            ).scalar_one()
            return str(case.id)
    finally:
        await engine.dispose()


def _fill_the_form(hirer: Any, base: str, venue_id: str, day: str) -> None:
    """The booking form up to its check page, for an evening in Hall B."""
    hirer.goto(base + "/book")
    hirer.get_by_label("Venue").select_option(value=venue_id)
    fill_date(hirer, "Date of the event", dt.date.fromisoformat(day))
    hirer.get_by_label("Start time").fill("18:00")
    hirer.get_by_label("Finish time").fill("20:00")
    hirer.get_by_label("How many people will attend").fill("20")
    hirer.get_by_role("button", name="Find rooms").click()
    hirer.get_by_label("Hall B").check()
    hirer.get_by_role("button", name="Continue").click()
    hirer.get_by_label("Name of the organisation or group").fill("Testtown Ramblers")
    hirer.get_by_label("Type of organisation").select_option("club")
    hirer.get_by_label("Full name").fill("Robin Testwalker")
    hirer.get_by_label("Email address").fill("robin@testtown.example")
    hirer.get_by_role("button", name="Continue").click()
    hirer.locator("#person_0_name").fill("Casey Testhiker")
    hirer.locator("#person_0_role").select_option("officer")
    hirer.get_by_role("button", name="Continue").click()
    hirer.get_by_label("Title of the event").fill("Ramblers' monthly meeting")
    hirer.get_by_label("What will happen at the event?").fill("Planning the month's walks.")
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
    expect(hirer.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before sending your request"
    )


def test_hirer_sends_a_certificate_officer_verifies_it_and_approves(
    live_site: LiveSite, context: Any, tmp_path: Path
) -> None:
    base = live_site.url
    certificate = tmp_path / "Ramblers insurance 2027.pdf"
    # A real PDF (one blank page drawn by Pillow), so the browser's viewer shows it.
    Image.new("RGB", (595, 842), (255, 255, 255)).save(certificate, format="PDF")

    # ---- the certificate attached inside the booking form, before "Send request"
    hirer = context.new_page()
    hirer.set_viewport_size({"width": 1280, "height": 900})  # axe at 1280 and 375 px
    day = f.next_weekday(3, weeks_ahead=11).date().isoformat()
    _fill_the_form(hirer, base, str(live_site.data["venue"].id), day)
    expect(hirer.get_by_role("heading", name="Documents (optional)")).to_be_visible()
    # Uploading without a file says what to do.
    hirer.get_by_label("Public liability insurance certificate").check()
    hirer.get_by_role("button", name="Upload document").click()
    expect(hirer.locator(".govuk-error-summary")).to_contain_text("Choose the file to send")
    hirer.get_by_label("Public liability insurance certificate").check()
    hirer.get_by_label("Upload the file").set_input_files(str(certificate))
    hirer.get_by_label("Name of the insurer (insurance only)").fill("Testshire Mutual")
    hirer.get_by_label("Amount of cover in pounds (insurance only)").fill("5000000")
    hirer.get_by_label("Expiry date").fill("2099-03-31")
    hirer.get_by_role("button", name="Upload document").click()
    attached = hirer.get_by_role("table", name="Documents sent with this request")
    expect(attached).to_contain_text("Ramblers insurance 2027.pdf")
    expect(attached).to_contain_text("Testshire Mutual")
    audit(hirer, "60-form-document-attached")
    hirer.set_viewport_size({"width": 375, "height": 900})
    audit(hirer, "60-form-document-attached-375")
    hirer.set_viewport_size({"width": 1280, "height": 900})
    hirer.get_by_role("button", name="Send request").click()
    expect(hirer.get_by_role("heading", name="Request sent")).to_be_visible()
    reference = hirer.locator(".reference").inner_text().strip()
    status_url = hirer.locator("#status-link").get_attribute("href")
    assert status_url
    expect(hirer.get_by_role("table", name="Documents you have sent")).to_contain_text(
        "Waiting to be checked"
    )
    audit(hirer, "60-status-document-sent")
    with ThreadPoolExecutor(1) as pool:
        case_id = pool.submit(asyncio.run, _case_id(live_site.settings.database_url, reference)).result()
    created = {"id": case_id, "applicant_token": status_url.rsplit("/", 1)[1].split("?")[0]}

    with ThreadPoolExecutor(1) as pool:
        email, secret = pool.submit(asyncio.run, _officer_with_totp(live_site.settings.database_url)).result()
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, base, email, totp_secret=secret, next_path=f"/officer/cases/{created['id']}")
    insurance_row = page.locator("#check-row-insurance")
    expect(insurance_row.locator(".tag")).to_have_text("Needs review")
    expect(page.locator("#documents")).to_be_visible()
    page.get_by_role("link", name="Open the documents").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Documents")
    expect(page.get_by_text("No virus scanner is configured")).to_be_visible()
    page.get_by_role("link", name="Show Ramblers insurance 2027.pdf").click()
    expect(page.locator("iframe.document-viewer")).to_be_visible()
    audit(page, "61-officer-documents")
    page.set_viewport_size({"width": 375, "height": 900})
    audit(page, "61-officer-documents-375")
    page.set_viewport_size({"width": 1280, "height": 900})
    # The list without the open viewer (the PDF viewer's frame takes clicks while it loads).
    page.goto(page.url.split("/documents")[0])  # the case page (the viewer's frame may swallow a click)
    page.get_by_role("link", name="Open the documents").click()
    page.locator("label", has_text="Yes, accept it").click()
    expect(page.get_by_label("Yes, accept it")).to_be_checked()
    page.get_by_label("What you found").fill("Certificate names the group; cover £5m to March 2099")
    page.get_by_role("button", name="Record your check of Ramblers insurance 2027.pdf").click()
    expect(page.get_by_text("Document accepted. The check it answers now passes.")).to_be_visible()
    audit(page, "62-officer-documents-verified")

    page.get_by_role("link", name="Back to").click()
    expect(insurance_row.locator(".tag")).to_have_text("Passed")
    expect(page.locator("#check-insurance-officer")).to_contain_text(
        "Automatic: needs review. Officer: satisfied"
    )
    page.set_viewport_size({"width": 375, "height": 900})
    audit(page, "63-officer-case-check-green-375")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The officer asks for the safeguarding policy; the hirer sends it in answer.
    page.locator("#outcome-request_information").check()
    page.get_by_label("Reasons (the hirer sees these", exact=False).fill(
        "Please send your safeguarding policy"
    )
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded. The hirer has been told.")).to_be_visible()
    policy = tmp_path / "Ramblers safeguarding policy.pdf"
    policy.write_bytes(pdf("Testtown Ramblers safeguarding policy"))
    hirer.goto(f"{base}/status/{created['applicant_token']}")
    expect(hirer.get_by_text("Please send your safeguarding policy")).to_be_visible()
    hirer.get_by_label("Safeguarding policy").check()
    hirer.get_by_label("Upload the file").set_input_files(str(policy))
    hirer.get_by_role("button", name="Send document").click()
    expect(hirer.get_by_text("Thank you. We have your document")).to_be_visible()
    audit(hirer, "65-status-document-in-answer")

    page.goto(f"{base}/officer/cases/{created['id']}/documents")
    expect(page.get_by_role("heading", level=1)).to_have_text("Documents")
    page.locator("label", has_text="Yes, accept it").click()
    expect(page.get_by_label("Yes, accept it")).to_be_checked()
    page.get_by_label("What you found").fill("Signed policy naming a safeguarding lead")
    page.get_by_role("button", name="Record your check of Ramblers safeguarding policy.pdf").click()
    expect(page.get_by_text("Document accepted.")).to_be_visible()

    # Any check still in review (for example unanswered questions) is settled from the evidence.
    page.goto(f"{base}/officer/cases/{created['id']}")
    for _ in range(10):
        row = page.locator("tr[id^=check-row-]").filter(has=page.locator(".tag--check-review")).first
        if not row.count():
            break
        row.locator("summary", has_text="Record the outcome").click()
        row.locator("label", has_text="Yes, satisfied").click()
        row.get_by_label("What the evidence showed").fill("Confirmed in the safeguarding policy and by phone")
        row.get_by_role("button", name="Record outcome").click()
        expect(page.get_by_role("heading", name="Checks")).to_be_visible()
    expect(page.locator("tr[id^=check-row-] .tag--check-review")).to_have_count(0)
    expect(page.locator("tr[id^=check-row-] .tag--check-fail")).to_have_count(0)
    expect(page.locator("#checks-in-review")).to_have_count(0)
    page.locator("#outcome-approve").check()
    page.get_by_label("Reasons (the hirer sees these", exact=False).fill("Approved for the ramblers' meeting")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded. The hirer has been told.")).to_be_visible()
    audit(page, "64-officer-approved-after-evidence")
