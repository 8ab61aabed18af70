"""Staff pages in the browser: enrolling a second factor, venues, users, the flagged list and imports."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pyotp
import pytest
from playwright.sync_api import expect

from tests.web.conftest import PASSWORD, LiveSite
from tests.web.pages import audit

pytestmark = pytest.mark.browser


def test_admin_enrols_a_second_factor_and_uses_every_console_page(
    live_site: LiveSite, context: Any, tmp_path: Path
) -> None:
    base = live_site.url
    page = context.new_page()
    page.goto(base + "/login")
    page.get_by_label("Email address").fill("admin@testshire.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your security code")
    audit(page, "23-login-enrol")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "").strip()
    uri = page.locator("#totp-uri").text_content() or ""
    assert uri.startswith("otpauth://totp/") and f"secret={secret}" in uri
    # A wrong code is refused, the page says why.
    page.get_by_label("Security code").fill("000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The code is not right")
    page.get_by_label("Security code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Booking requests")

    page.get_by_role("link", name="Venues").click()
    audit(page, "24-admin-venues")
    page.get_by_label("Name of the venue").fill("Testtown Scout Hut")
    page.locator("#owner-kind-partner").check()
    page.get_by_label("Name of the owner").fill("Testtown Scouts Trust")
    page.get_by_label("Address").fill("3 Test Road, Testtown")
    page.get_by_role("button", name="Add venue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Testtown Scout Hut")
    page.get_by_label("Name of the room").fill("Hut")
    page.get_by_label("Capacity (people)").fill("25")
    page.get_by_label("Monday").fill("18:00-21:00")
    page.get_by_label("Tuesday").fill("not hours")
    page.get_by_role("button", name="Add room").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Tuesday's hours")
    page.get_by_label("Tuesday").fill("")
    page.get_by_role("button", name="Add room").click()
    # The room's row header (its name with its Edit and Photos links); "Room added: Hut" in the
    # venue's history is another cell that merely contains the name.
    expect(page.locator("th[scope=row]", has_text="Hut").first).to_be_visible()
    page.get_by_label("First day closed").fill("2030-12-24")
    page.get_by_label("Last day closed").fill("2030-12-27")
    page.get_by_label("Reason").fill("Christmas")
    page.get_by_role("button", name="Add closure").click()
    expect(
        page.locator(
            "ul.closures li", has_text="Tuesday 24 December 2030 to Friday 27 December 2030: Christmas"
        )
    ).to_be_visible()
    audit(page, "25-admin-venue")

    page.goto(base + f"/officer/venues/{live_site.data['venue'].id}")
    expect(page.locator(f"#parts-{live_site.data['main'].id}-{live_site.data['hall_a'].id}")).to_be_checked()

    page.get_by_role("link", name="Users").click()
    audit(page, "26-admin-users")
    page.get_by_label("Email address").fill("newofficer@testshire.example")
    page.get_by_label("Full name").fill("Test New Officer")
    page.locator("#role-officer").check()
    page.get_by_label("Organisation").select_option(label="Testshire Council")
    page.get_by_label("First password").fill("password")
    page.get_by_role("button", name="Add user").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("too common")
    expect(page.locator("#email")).to_have_value("newofficer@testshire.example")
    audit(page, "27-admin-users-error")
    page.get_by_label("First password").fill("a long and unusual passphrase")
    page.get_by_role("button", name="Add user").click()
    expect(page.get_by_text("User created.")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("newofficer@testshire.example"))
    row.get_by_role("button", name=re.compile("Disable")).click()
    expect(page.get_by_text("User disabled.")).to_be_visible()

    page.get_by_role("link", name="Flagged list").click()
    audit(page, "28-officer-flagged")
    page.locator("#kind-organisation").check()
    page.get_by_label("Name", exact=True).fill("Testland Liberation Front")
    page.get_by_label("Reason and source").fill("Invented entry for the tests")
    page.get_by_role("button", name="Add entry").click()
    expect(page.get_by_text("Entry added.")).to_be_visible()
    page.get_by_label("Search by name or reference").fill("liberation")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("row", name=re.compile("Testland Liberation Front"))).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Testland Liberation Front"))
    row.get_by_label("Why remove it").fill("Entered by mistake")
    row.get_by_role("button", name=re.compile("Remove")).click()
    expect(page.get_by_text("Entry removed from the list.")).to_be_visible()

    page.get_by_role("link", name="Import a published list").click()
    audit(page, "29-officer-import")
    upload = tmp_path / "list.csv"
    upload.write_text(
        "kind,name,aliases,source,source_ref,reason,listed_date\n"
        "person,Testo Example,,uk-sanctions,T1,invented,2024-01-01\n"
        "organisation,Testland Front,TF,uk-sanctions,T2,invented,2024-01-01\n"
    )
    page.locator("#format-native-csv").check()
    page.get_by_label("File").set_input_files(str(upload))
    page.get_by_role("button", name="Preview the changes").click()
    expect(page.locator("#count-added")).to_have_text("2")
    audit(page, "30-officer-import-preview")
    # Nothing is saved by the preview.
    other = context.new_page()
    other.goto(base + "/officer/flagged?q=Testo")
    expect(other.get_by_text("No entries match")).to_be_visible()
    other.close()
    page.get_by_role("button", name="Import and re-screen upcoming bookings").click()
    expect(page.get_by_role("heading", name="List imported")).to_be_visible()
    audit(page, "31-officer-import-done")
    page.goto(base + "/officer/flagged?q=Testo")
    expect(page.get_by_role("row", name=re.compile("Testo Example"))).to_be_visible()

    page.goto(base + "/officer?status=all")
    audit(page, "32-officer-queue-all")
    page.goto(base + "/no-such-page")
    audit(page, "33-not-found")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    page.goto(base + "/officer")
    page.get_by_role("button", name=re.compile("Sign out")).click()
    expect(page).to_have_url(re.compile(r"/login"))
    page.goto(base + "/officer")
    expect(page).to_have_url(re.compile(r"/login\?next="))
