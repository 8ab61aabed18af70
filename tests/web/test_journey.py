"""Whole journeys in a real browser: a hirer, an officer and a venue manager, no shortcuts."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from api.web.readable import long_date
from tests.factories import next_weekday
from tests.web.conftest import LiveSite, new_context
from tests.web.pages import audit, fill_date, sign_in

pytestmark = pytest.mark.browser


def fill_room_step(
    page: Any, venue_id: Any, when: Any, *, repeat: str = "weekly", count: str = "6", attendance: str = "30"
) -> None:
    page.get_by_label("Venue").select_option(value=str(venue_id))
    fill_date(page, "Date of the event", when.date())
    page.get_by_label("Start time").fill(f"{when:%H:%M}")
    page.get_by_label("Finish time").fill(f"{when.hour + 2:02d}:{when:%M}")
    page.locator(f"#repeat-{repeat}").check()
    page.get_by_label("How many times in total").fill(count)
    page.get_by_label("How many people will attend").fill(attendance)
    page.get_by_label("Step-free access").check()


def test_hirer_books_series_officer_approves_hirer_accepts_manager_sees_it(
    live_site: LiveSite, context: Any
) -> None:
    base = live_site.url
    hirer = context.new_page()
    hirer.goto(base + "/")
    audit(hirer, "01-start")
    hirer.get_by_role("button", name="Start now").click()
    expect(hirer.get_by_role("heading", level=1)).to_have_text("When and where do you need a room?")
    audit(hirer, "02-book-room")
    first = next_weekday(1, weeks_ahead=5, hour=19)
    fill_room_step(hirer, live_site.data["venue"].id, first)
    hirer.get_by_role("button", name="Find rooms").click()

    expect(hirer.get_by_role("heading", level=1)).to_have_text("Choose a room")
    expect(hirer.get_by_text("Rooms free on all 6 dates")).to_be_visible()
    audit(hirer, "03-book-choose")
    hirer.get_by_label("Hall A").check()
    hirer.get_by_role("button", name="Continue").click()

    audit(hirer, "04-book-organisation")
    hirer.get_by_label("Name of the organisation or group").fill("Testtown Allotment Society")
    hirer.get_by_label("Type of organisation").select_option("club")
    hirer.get_by_label("Full name").fill("Morgan Testwell")
    hirer.get_by_label("Email address").fill("morgan@testtown.example")
    hirer.get_by_label("Telephone number (optional)").fill("07700 900555")
    hirer.get_by_role("button", name="Continue").click()

    audit(hirer, "05-book-people")
    hirer.locator("#person_0_name").fill("Evgeny Testarov")
    hirer.locator("#person_0_role").select_option("speaker")
    hirer.locator("#person_1_name").fill("Jordan Plotholder")
    hirer.locator("#person_1_role").select_option("officer")
    hirer.get_by_role("button", name="Continue").click()

    audit(hirer, "06-book-event")
    hirer.get_by_label("Title of the event").fill("Allotment society talks")
    hirer.get_by_label("What will happen at the event?").fill(
        "A talk on winter vegetables, then members' business."
    )
    hirer.locator("#open_to_public-no").check()
    hirer.locator("#under_18s-no").check()
    hirer.locator("#adults_at_risk-no").check()
    hirer.get_by_role("button", name="Continue").click()

    expect(hirer.get_by_role("heading", level=1)).to_have_text("A few more questions")
    audit(hirer, "07-book-questions")
    # Only the questions that apply are asked: nothing about admission for a members' event.
    expect(hirer.get_by_text("How will people be admitted?")).to_have_count(0)
    hirer.locator("#q_alcohol-no").check()
    hirer.get_by_role("button", name="Continue").click()

    audit(hirer, "08-book-declarations")
    for box in hirer.locator("input[name=declarations]").all():
        box.check()
    hirer.get_by_role("button", name="Continue").click()

    expect(hirer.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before sending your request"
    )
    audit(hirer, "09-book-check")
    expect(hirer.get_by_text("Evgeny Testarov")).to_be_visible()
    # "Change" goes back to the step and returns to this page.
    hirer.get_by_role("button", name="Change event title").click()
    hirer.get_by_label("Title of the event").fill("Allotment society winter talks")
    hirer.get_by_role("button", name="Continue").click()
    expect(hirer.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before sending your request"
    )
    expect(hirer.get_by_text("Allotment society winter talks")).to_be_visible()
    hirer.get_by_role("button", name="Send request").click()

    expect(hirer.get_by_role("heading", name="Request sent")).to_be_visible()
    audit(hirer, "10-confirmation")
    reference = hirer.locator(".reference").inner_text().strip()
    assert re.fullmatch(r"VH-[A-Z0-9]{4}-[A-Z0-9]{4}", reference)
    status_url = hirer.locator("#status-link").get_attribute("href")
    assert status_url and status_url.startswith("/status/")
    expect(hirer.get_by_text("A council officer decides by")).to_be_visible()
    # The hirer never sees screening detail.
    assert "Yevgeny" not in hirer.content()

    # ---- the officer signs in with a password and a one-time code
    officer = new_context(context.browser).new_page()
    officer.goto(base + "/officer")
    expect(officer).to_have_url(re.compile(r"/login\?next="))
    audit(officer, "11-login")
    officer.get_by_label("Email address").fill("officer@testshire.example")
    officer.get_by_label("Password").fill("correct horse battery staple")
    officer.get_by_role("button", name="Continue").click()
    expect(officer.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    audit(officer, "12-login-code")
    import pyotp

    officer.get_by_label("Security code").fill(pyotp.TOTP(live_site.data["officer_totp"]).now())
    officer.get_by_role("button", name="Sign in").click()
    expect(officer.get_by_role("heading", level=1)).to_have_text("Booking requests")
    audit(officer, "13-officer-queue")
    officer.get_by_role("link", name=reference).click()
    expect(officer.get_by_text("“Evgeny Testarov” (speaker) resembles “Yevgeny Testarov”")).to_be_visible()
    audit(officer, "14-officer-case")
    card = officer.locator(".card", has_text="Evgeny Testarov")
    card.get_by_label("Your reasons").fill("Different person: the speaker's date of birth and address differ")
    card.get_by_role("button", name=re.compile("Clear: not the same")).click()
    expect(officer.get_by_text("Screening disposition recorded.")).to_be_visible()
    officer.locator("#outcome-approve").check()
    officer.get_by_label("Reasons (the hirer sees these").fill("Approved for the society's talks")
    officer.locator("#condition-responsible_person").check()
    officer.locator("#rationale-responsible_person").fill("First booking with an outside speaker")
    # Approving over checks still in review takes a confirmation and a reason (issue 17 item 2).
    expect(officer.locator("#checks-in-review")).to_be_visible()
    officer.get_by_label("I have considered the checks still in review and approve anyway").check()
    officer.get_by_label("Why you approve with checks in review").fill("Insurance seen at the front desk")
    officer.get_by_role("button", name="Record decision").click()
    expect(officer.get_by_text("Decision recorded.")).to_be_visible()
    audit(officer, "15-officer-case-decided")

    # ---- the hirer accepts the condition
    hirer.goto(base + status_url)
    expect(hirer.get_by_text("Approved: waiting for you to accept the conditions")).to_be_visible()
    audit(hirer, "16-status-conditions")
    hirer.get_by_role("button", name="Accept the conditions and confirm the booking").click()
    expect(hirer.get_by_text("You accepted the conditions. Your booking is confirmed.")).to_be_visible()
    expect(hirer.locator(".tag--confirmed")).to_have_text("Confirmed")
    audit(hirer, "17-status-confirmed")

    # ---- the venue manager sees it in the week view and in a feed
    manager = new_context(context.browser).new_page()
    sign_in(
        manager,
        base,
        "manager@testshire.example",
        totp_secret=live_site.data["manager_totp"],
        next_path="/manager",
    )
    manager.goto(f"{base}/manager?week={first.date().isoformat()}")
    booking = manager.locator(".slot", has_text="Testtown Allotment Society")
    expect(booking).to_contain_text("7pm to 9pm")
    expect(booking).to_contain_text("Confirmed")
    audit(manager, "18-manager-week")
    # The caretaker's day sheet carries the room and the conditions.
    manager.get_by_role("link", name=f"Day sheet for {long_date(first)}").click()
    sheet = manager.locator(".day-sheet__table tr", has_text="Testtown Allotment Society")
    expect(sheet).to_contain_text("Hall A")
    expect(sheet).to_contain_text("responsible person", ignore_case=True)
    manager.goto(f"{base}/manager?week={first.date().isoformat()}")
    manager.get_by_role("link", name="Calendar feeds").click()
    audit(manager, "19-manager-feeds")
    manager.get_by_label("Which bookings?").select_option(label="All rooms at Testtown Civic Hall")
    manager.get_by_role("button", name="Create feed").click()
    feed_url = manager.locator("#feed-url").input_value()
    assert feed_url.startswith(base + "/feeds/") and feed_url.endswith(".ics")
    assert manager.locator("#webcal-link").get_attribute("href") == "webcal://" + feed_url.split("://", 1)[1]
    audit(manager, "20-manager-feed-created")
    feed = manager.request.get(feed_url)
    assert feed.status == 200
    body = feed.text()
    assert "BEGIN:VCALENDAR" in body and "Allotment society winter talks" in body
    assert "Yevgeny" not in body and "morgan@testtown.example" not in body
    # Rotating gives a new address and the old one stops working.
    manager.get_by_role("button", name=re.compile("New address")).click()
    new_url = manager.locator("#feed-url").input_value()
    assert new_url != feed_url
    assert manager.request.get(feed_url).status == 404
    assert manager.request.get(new_url).status == 200
    manager.get_by_role("button", name=re.compile("^Revoke")).click()
    expect(manager.get_by_text("Feed revoked.")).to_be_visible()
    assert manager.request.get(new_url).status == 404
