"""In the browser: an officer opens the reports page, chooses a period, reads the charts and
tables, downloads a table as CSV and parses it; axe-core at desktop and phone widths."""

from __future__ import annotations

import asyncio
import csv
import io
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pyotp
import pytest
from playwright.sync_api import expect
from sqlalchemy.ext.asyncio import async_sessionmaker

from api.db.engine import create_engine
from api.models import User
from tests import factories as f
from tests.reports import builder as b
from tests.reports.builder import at
from tests.web.conftest import SCREENSHOTS, LiveSite
from tests.web.pages import audit, sign_in

pytestmark = pytest.mark.browser


async def _seed(db_url: str, data: dict[str, Any]) -> tuple[str, str]:
    """An officer of this test's own (no other test's one-time code is replayed) and, at the
    live site's Civic Hall, nine requests made in February 2027: six approved, one approved with
    conditions, two refused (two small counts, so the six is shown)."""
    engine = create_engine(db_url)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as s:
            actor, _ = await f.make_staff(s, "officer", email="reportofficer@testshire.example")
            user = await s.get(User, actor.id)
            assert user is not None
            user.totp_secret = pyotp.random_base32()
            venue, room = data["venue"], data["hall_a"]
            for k in range(9):
                day = f"2027-02-{k + 1:02d}"
                dates = [(at(f"2027-02-{k + 10:02d}", 19), 2.0)]
                case = await b.make_case(s, room, venue, at(day), status="confirmed", dates=dates, held=k < 6)
                if k < 7:
                    conditions = [{"code": "stewards"}] if k == 6 else []
                    await b.decide(s, case, at(f"2027-02-{k + 8:02d}"), "approve", conditions=conditions)
                else:
                    await b.decide(s, case, at(f"2027-02-{k + 8:02d}"), "refuse", ground="public_safety")
            await s.commit()
            return "reportofficer@testshire.example", user.totp_secret
    finally:
        await engine.dispose()


def test_officer_reads_the_report_and_downloads_a_table(live_site: LiveSite, context: Any) -> None:
    base = live_site.url
    with ThreadPoolExecutor(1) as pool:
        email, secret = pool.submit(
            asyncio.run, _seed(live_site.settings.database_url, live_site.data)
        ).result()
    page = context.new_page()
    sign_in(page, base, email, totp_secret=secret)
    page.get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    page.get_by_label("From", exact=True).fill("2027-02-01")
    page.get_by_label("To", exact=True).fill("2027-02-28")
    page.get_by_label("Venue", exact=True).select_option(label="Testtown Civic Hall")
    page.get_by_role("button", name="Show the report").click()
    expect(
        page.get_by_role("heading", name="1 February 2027 to 28 February 2027: Testtown Civic Hall")
    ).to_be_visible()
    decisions = page.get_by_role("table", name="Decisions by outcome")
    expect(decisions.get_by_role("row", name="Approved 6", exact=True)).to_be_visible()
    expect(decisions.get_by_role("row", name="Refused fewer than 5")).to_be_visible()
    expect(page.get_by_role("img", name="Chart: Decisions by outcome")).to_be_visible()
    expect(page.get_by_text("Small numbers are not shown")).to_be_visible()
    audit(page, "60-officer-reports")
    page.locator("#section-decisions").screenshot(path=str(SCREENSHOTS / "60-officer-reports-decisions.png"))

    with page.expect_download() as info:
        page.get_by_role("link", name="Download “Decisions by outcome” (CSV)").click()
    download = info.value
    assert (
        download.suggested_filename
        == "decisions-2027-02-01-to-2027-02-28-" + str(live_site.data["venue"].id) + ".csv"
    )
    path = download.path()
    assert path is not None
    rows = list(csv.reader(io.StringIO(Path(path).read_text(encoding="utf-8"))))
    assert rows[0] == ["Outcome", "Decisions"]
    figures = {r[0]: r[1] for r in rows[1:]}
    assert figures["Approved"] == "6" and figures["Refused"] == "fewer than 5"
    assert figures["Total"] == "9"

    # On a phone the chart and its table stack, and nothing is lost.
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    expect(page.get_by_role("table", name="Room use")).to_be_visible()
    audit(page, "61-officer-reports-375px")
