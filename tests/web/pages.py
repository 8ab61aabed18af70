"""Helpers for the browser tests: the accessibility audit with screenshots, and signing in."""

from __future__ import annotations

import json
from typing import Any

import pyotp
from playwright.sync_api import Error as PlaywrightError

from tests.factories import next_weekday
from tests.web.conftest import AXE, PASSWORD, SCREENSHOTS

AUDITED: dict[str, str] = {}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def _screenshot(page: Any, path: str) -> None:
    """A full-page screenshot. Chromium now and then answers one taken just after the viewport
    changed with "Unable to capture screenshot" (once in CI, two test workers beside PostgreSQL):
    the page is there, so it is asked again, at most twice."""
    for attempt in range(3):
        try:
            page.screenshot(path=path, full_page=True)
            return
        except PlaywrightError as error:
            if "Unable to capture screenshot" not in str(error) or attempt == 2:
                raise
            page.wait_for_timeout(250)


def audit(page: Any, name: str, lang: str = "en-GB") -> None:
    """Save a screenshot of the page and fail on any serious or critical axe-core violation."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    _screenshot(page, str(path))
    AUDITED[name] = page.url
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document,"
        " {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    bad = [
        v
        for v in (_without_known_reveal_issue(v) for v in result["violations"])
        if v["nodes"] and v.get("impact") in ("serious", "critical")
    ]
    summary = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"][:5]],
        }
        for v in bad
    ]
    assert not bad, f"axe-core found serious or critical problems on {name} ({page.url}):\n" + json.dumps(
        summary, indent=2
    )
    assert page.locator("html").get_attribute("lang") == lang
    assert page.title().strip(), f"{name} has no title"


def _without_known_reveal_issue(violation: dict[str, Any]) -> dict[str, Any]:
    """The violation less govuk-frontend's conditional reveals' aria-expanded on a radio or
    checkbox: a known issue the Design System keeps on purpose, because screen readers announce
    it (alphagov/govuk-frontend#979). Only that attribute, only on those inputs, is let through."""
    if violation["id"] != "aria-allowed-attr":
        return violation
    kept = [
        n
        for n in violation["nodes"]
        if not (
            'aria-controls="conditional-' in n.get("html", "")
            and ('class="govuk-radios__input"' in n["html"] or 'class="govuk-checkboxes__input"' in n["html"])
            and n.get("failureSummary", "").count("not allowed: aria-expanded=") == 1
            and n["failureSummary"].count("not allowed:") == 1
        )
    ]
    return violation | {"nodes": kept}


def sign_in(
    page: Any, base: str, email: str, *, totp_secret: str | None = None, next_path: str = "/officer"
) -> None:
    page.goto(f"{base}{next_path}")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    if totp_secret is not None:
        page.get_by_label("Security code").fill(pyotp.TOTP(totp_secret).now())
        page.get_by_role("button", name="Sign in").click()


def date_fields(prefix: str, day: Any) -> dict[str, str]:
    """A date as the booking form's date input posts it: day, month and year fields."""
    return {f"{prefix}-day": str(day.day), f"{prefix}-month": str(day.month), f"{prefix}-year": str(day.year)}


def fill_date(page: Any, legend: str, day: Any) -> None:
    """Type a date into a Design System date input found by its legend."""
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def booking_form_steps(seeded: dict[str, Any], weekday: int) -> list[dict[str, Any]]:
    """The booking form's pages up to the event, filled in for one evening in Hall B."""
    when = next_weekday(weekday, weeks_ahead=5, hour=18)
    return [
        {
            "step": "room",
            "venue_id": str(seeded["venue"].id),
            **date_fields("date", when.date()),
            "start_time": "18:00",
            "end_time": "19:30",
            "repeat": "none",
            "attendance": "12",
        },
        {"step": "choose", "room_id": str(seeded["hall_b"].id)},
        {
            "step": "organisation",
            "org_name": "Testtown Chess Club",
            "org_type": "club",
            "contact_name": "Sam Testplayer",
            "contact_email": "sam@testtown.example",
        },
        {"step": "people", "person_0_name": "Alex Testrook", "person_0_role": "officer"},
        {
            "step": "event",
            "title": "Chess evening",
            "expected_attendance": "12",
            "open_to_public": "no",
            "under_18s": "no",
            "adults_at_risk": "no",
        },
    ]
