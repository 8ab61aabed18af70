"""The officer's import page in the browser (accessibility audit included): OFAC's three files
chosen together, a UK list whose bad row is named, then skipped and listed in the preview.
Nothing is confirmed, so the shared site's flagged list is left as it was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyotp
import pytest
from playwright.sync_api import expect

from tests.vetting.test_importers_helpers import SAMPLES, uk_csv, uk_row
from tests.web.conftest import PASSWORD, LiveSite
from tests.web.pages import audit

pytestmark = pytest.mark.browser


def _sign_in(page: Any, live_site: LiveSite) -> None:
    page.goto(live_site.url + "/login?next=/officer/flagged/import")
    page.get_by_label("Email address").fill("officer@testshire.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Security code").fill(pyotp.TOTP(live_site.data["officer_totp"]).now())
    page.get_by_role("button", name="Sign in").click()


def test_an_officer_previews_real_lists(live_site: LiveSite, context: Any, tmp_path: Path) -> None:
    page = context.new_page()
    _sign_in(page, live_site)
    page.goto(live_site.url + "/officer/flagged/import")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import a published list")

    page.get_by_label("OFAC SDN list, legacy CSV", exact=False).check()
    page.get_by_label("File", exact=True).set_input_files([str(SAMPLES / "ofac" / "sdn.csv")])
    page.get_by_role("button", name="Preview the changes").click()
    expect(page.locator("#file-error")).to_contain_text("alt.csv and sdn_comments.csv are missing")
    audit(page, "70-flagged-import-ofac-missing-files")

    page.get_by_label("File", exact=True).set_input_files(
        [str(SAMPLES / "ofac" / name) for name in ("sdn.csv", "alt.csv", "sdn_comments.csv")]
    )
    page.get_by_role("button", name="Preview the changes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")
    expect(page.locator("body")).to_contain_text("The file has 5 entries")
    expect(page.locator("body")).to_contain_text(
        "AL-BAYAN CHARITABLE ASSOCIATION (organisation, ofac-sdn): 2 low-quality aliases"
    )

    bad = tmp_path / "UK_Sanctions_List.csv"
    bad.write_bytes(
        uk_csv(uk_row("A1", "EXAMPLOV"), {**uk_row("B2", "SECONDOV"), "Date Designated": "31/02/2027"})
    )
    page.goto(live_site.url + "/officer/flagged/import")
    page.get_by_label("UK Sanctions List (FCDO)", exact=False).check()
    page.get_by_label("File", exact=True).set_input_files(str(bad))
    page.get_by_role("button", name="Preview the changes").click()
    expect(page.locator("#file-error")).to_contain_text(
        "UK_Sanctions_List.csv line 4: Date Designated '31/02/2027' is not a real date"
    )
    page.get_by_label("Skip them and import the rest", exact=False).check()
    page.get_by_label("File", exact=True).set_input_files(str(bad))
    page.get_by_role("button", name="Preview the changes").click()
    expect(page.get_by_role("heading", name="Rows that will be skipped")).to_be_visible()
    expect(page.locator("#skipped-rows")).to_contain_text(
        "line 4: Date Designated '31/02/2027' is not a real date"
    )
    audit(page, "71-flagged-import-preview-skipped-rows")
