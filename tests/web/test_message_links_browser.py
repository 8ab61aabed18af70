"""In a browser: the hirer gets a private link by email after each event and follows it; a hirer
who lost the link gets a new one from the start page; old links stop when the hirer says so.

Mail goes to the live site's outbox folder (.eml files), read here as the hirer's mailbox."""

from __future__ import annotations

import asyncio
import re
import time
from concurrent.futures import ThreadPoolExecutor
from email.message import EmailMessage
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect
from sqlalchemy.ext.asyncio import async_sessionmaker

from api.db.engine import create_engine
from casework.decide import DecisionInput
from casework.message_catalogue import samples_for
from casework.message_wording import Message, compose
from casework.workflow import Workflow
from tests.factories import application_payload, next_weekday
from tests.mail_parsing import parse
from tests.web.conftest import SCREENSHOTS, LiveSite
from tests.web.pages import audit

pytestmark = pytest.mark.browser

HIRER = "river.testbank@testtown.example"
LINK = re.compile(r"https?://[^\s]+/status/[A-Za-z0-9_-]{20,}")


def _mailbox(site: LiveSite, subject: str, *, count: int = 1, wait: float = 10.0) -> list[EmailMessage]:
    deadline = time.monotonic() + wait
    while True:
        found: list[EmailMessage] = []
        for path in sorted(site.settings.outbox_dir.glob("*.eml")):
            mail = parse(path.read_bytes())
            if mail["To"] == HIRER and subject in str(mail["Subject"]):
                found.append(mail)
        if len(found) >= count or time.monotonic() > deadline:
            assert len(found) >= count, f"no mail {subject!r} for the hirer"
            return found
        time.sleep(0.05)


def _link_in(mail: EmailMessage) -> str:
    found = LINK.search(mail.get_content())
    assert found, "the mail has no status link"
    return found.group(0)


async def _officer_asks_for_information(site: LiveSite, case_id: str) -> None:
    """The officer's decision, made through the use case as the officer's page would make it."""
    engine = create_engine(site.settings.database_url)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as session:
            # The message goes to the outbox; the live site's own deliverer writes the .eml.
            workflow = Workflow(session, base_url=site.url)
            reason = "Please tell us how many tables you need."
            await workflow.decide(site.data["officer"], case_id, DecisionInput("request_information", reason))
            await session.commit()
    finally:
        await engine.dispose()


def test_the_hirer_follows_the_link_of_each_email_and_recovers_a_lost_one(
    live_site: LiveSite, context: Any
) -> None:
    base = live_site.url
    payload = application_payload(
        live_site.data["hall_b"].id,
        next_weekday(4, weeks_ahead=9, hour=14),
        contact={"name": "River Testbank", "email": HIRER, "phone": None},
    )
    created = httpx.post(f"{base}/api/v1/applications", json=payload, timeout=30)
    assert created.status_code == 201, created.text
    reference, case_id = created.json()["reference"], created.json()["id"]
    first_link = _link_in(_mailbox(live_site, "We have your booking request")[0])

    # An officer asks for information: the email carries a new link, and the hirer follows it.
    # In a thread of its own: sync Playwright keeps an event loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, _officer_asks_for_information(live_site, case_id)).result()
    asked = _mailbox(live_site, "More information needed")[0]
    second_link = _link_in(asked)
    assert second_link != first_link
    hirer = context.new_page()
    hirer.goto(second_link)
    expect(hirer.get_by_text(f"Reference {reference}")).to_be_visible()
    expect(hirer.get_by_text("Please tell us how many tables you need.")).to_be_visible()
    hirer.get_by_label("Your answer").fill("Six tables and twenty chairs")
    hirer.get_by_role("button", name="Send answer").click()
    expect(hirer.get_by_text("Thank you. We have your answer")).to_be_visible()

    # The acknowledgement has a link of its own, which opens the request too.
    third_link = _link_in(_mailbox(live_site, "We have your answer")[0])
    hirer.goto(third_link)
    expect(hirer.get_by_text(f"Reference {reference}")).to_be_visible()

    # Lost every email: the start page mails a new link to the request's address.
    stranger = context.new_page()
    stranger.goto(base + "/")
    audit(stranger, "h2-00-start-lost-link-form")
    stranger.get_by_label("Booking reference").fill(reference.lower())
    stranger.get_by_label("Email address").fill(HIRER.upper())
    stranger.get_by_role("button", name="Email me a new link").click()
    expect(stranger.get_by_role("heading", level=1)).to_have_text("Check your email")
    audit(stranger, "h2-01-lost-link-sent")
    recovered_link = _link_in(_mailbox(live_site, "Your private link to booking request")[0])
    stranger.goto(recovered_link)
    expect(stranger.get_by_text(f"Reference {reference}")).to_be_visible()
    expect(stranger.get_by_text("Waiting for information from you")).to_have_count(0)
    audit(stranger, "h2-02-status-from-recovered-link")

    # The hirer stops every other link: the older ones no longer open the request.
    stranger.get_by_role("button", name="Stop all other links").click()
    expect(stranger.get_by_text("Every other private link to this request is stopped")).to_be_visible()
    audit(stranger, "h2-03-other-links-stopped")
    for old in (first_link, second_link, third_link):
        assert httpx.get(old, timeout=30).status_code == 404
    assert httpx.get(recovered_link, timeout=30).status_code == 200


def test_an_email_as_html_reads_well(context: Any) -> None:
    """The HTML part of a message as a mail client shows it (a screenshot to look at)."""
    page = context.new_page()
    page.set_content(
        compose(Message("approved_with_conditions", samples_for("approved_with_conditions"))).html
    )
    expect(page.get_by_role("link", name="Open your booking request")).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "h2-04-email-html.png"), full_page=True)
