"""The readable helpers (api.web.readable) on their own, and the pages that use them: no RFC 5545
rule, ISO date, 24-hour time, answer id or policy code in what a person reads."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from api.web.readable import (
    answer_items,
    check_label,
    clock,
    date_time,
    ground_label,
    long_date,
    occurrence_text,
    readable_value,
    repeat_words,
)
from policies import bundled_policy
from policies.checks import CHECK_TYPES
from tests.factories import application_payload, bearer, next_weekday
from tests.security.helpers import refuse
from tests.web.manager_world import Client
from tests.web.sign_in import csrf_of

POLICY = bundled_policy("council-default")
RAW = re.compile(r"FREQ=|UNTIL=|\b\d{4}-\d{2}-\d{2}\b|\b\d{8}\b|\b(?:[01]\d|2[0-3]):[0-5]\d\b")
CLOCK = re.compile(r"^(?:(?:[1-9]|1[0-2])(?::[0-5]\d)?(?:am|pm)|midday|midnight)$")


def visible(html: str) -> str:
    """What a reader sees: the page without its tags and attributes (links carry ids and dates)."""
    body = html.split("<body>", 1)[-1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_dates_and_times_in_the_gov_uk_style() -> None:
    assert long_date(dt.date(2026, 12, 8)) == "Tuesday 8 December 2026"
    assert long_date("2026-12-08") == "Tuesday 8 December 2026"
    assert long_date("2027-03-03T19:30") == "Wednesday 3 March 2027"
    assert long_date(None) == "" and long_date("") == ""
    assert [clock(dt.time(h, m)) for h, m in ((19, 0), (19, 30), (12, 0), (0, 0), (0, 30), (9, 5))] == [
        "7pm", "7:30pm", "midday", "midnight", "12:30am", "9:05am",
    ]  # fmt: skip
    # An instant (UTC) is read on the UK clock: 18:30 UTC in summer is 7:30pm.
    assert date_time("2027-07-01T18:30:00+00:00") == "Thursday 1 July 2027 at 7:30pm"
    assert occurrence_text("2027-01-20T19:00", "2027-01-20T21:00") == "Wednesday 20 January 2027, 7pm to 9pm"
    assert (
        repeat_words("FREQ=WEEKLY;UNTIL=20270303", "2027-01-20T19:00") == "Every Wednesday until 3 March 2027"
    )
    assert repeat_words(None) == "Once"


@given(st.times())
def test_every_time_of_day_reads_as_a_clock_time(moment: dt.time) -> None:
    moment = moment.replace(second=0, microsecond=0)
    text = clock(moment)
    assert CLOCK.match(text), text
    if text not in ("midday", "midnight"):
        parsed = dt.datetime.strptime(text, "%I:%M%p" if ":" in text else "%I%p").time()
        assert parsed == moment


@given(st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)))
def test_every_date_reads_in_words_and_back(day: dt.date) -> None:
    text = long_date(day)
    assert dt.datetime.strptime(text, "%A %d %B %Y").date() == day
    assert not RAW.search(text)


def test_answers_under_their_questions_and_codes_under_their_labels() -> None:
    rows = answer_items(
        {"written_constitution": True, "admission": "ticketed", "retired_question": "x"}, POLICY
    )
    assert rows == [
        ("How will people be admitted?", "Ticketed"),
        ("Does your group have a written constitution or terms of reference?", "Yes"),
        ("A question not in this version of the policy", "x"),
    ]
    assert ground_label("public_safety", POLICY).startswith("The event cannot be held safely")
    assert ground_label("venue_unavailable") == "Venue unavailable"
    for code in CHECK_TYPES:
        assert "_" not in check_label(code) and check_label(code)
    assert readable_value(["2027-01-20", False]) == "Wednesday 20 January 2027, No"


async def _case(client: Client, seeded: dict[str, Any]) -> dict[str, Any]:
    start = next_weekday(2, weeks_ahead=6)
    until = start.date() + dt.timedelta(weeks=3)
    body = application_payload(
        seeded["hall_a"].id,
        start,
        rrule=f"FREQ=WEEKLY;UNTIL={until:%Y%m%d}",
        open_to_public=True,
        answers={"admission": "donation", "alcohol": False},
    )
    created = await client.post("/api/v1/applications", json=body)
    assert created.status_code == 201, created.text
    return created.json() | {"start": start, "until": until}


async def test_case_status_and_queue_pages_read_as_english(
    client: Client, engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    case = await _case(client, seeded)
    officer = bearer(seeded["officer_token"])
    html = (await client.get(f"/officer/cases/{case['id']}", headers=officer)).text
    text = visible(html)
    assert f"Every Wednesday until {case['until'].day} {case['until']:%B %Y}" in text
    assert "How will people be admitted? Donation" in text
    assert "Will alcohol be sold or supplied at the event? No" in text
    assert long_date(case["start"]) + ", 7pm to 9pm" in text
    assert "Name screening" in text and "Notice given" in text
    for raw in ("admission", "alcohol:", "notice_period", "required_answers", "public_or_speakers"):
        assert raw not in text, raw
    assert not RAW.search(text), RAW.search(text)
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), re.findall(r"\b[a-z]+_[a-z_]+\b", text)

    status = visible((await client.get(f"/status/{case['applicant_token']}")).text)
    assert long_date(case["start"]) + ", 7pm to 9pm" in status
    assert not RAW.search(status), RAW.search(status)

    queue = visible((await client.get("/officer", headers=officer)).text)
    assert long_date(case["start"]) in queue and "Public or speakers" in queue
    assert not RAW.search(queue), RAW.search(queue)


async def test_refusal_errors_say_what_to_do_and_name_no_code(app: Litestar, seeded: dict[str, Any]) -> None:
    officer = bearer(seeded["officer_token"])
    # Secure cookies (the CSRF cookie) are only sent over https; one client throughout, because
    # asyncpg's connections must not move between two clients' event loops.
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as web:
        case = await _case(web, seeded)
        url = f"/officer/cases/{case['id']}"
        page = await web.get(url, headers=officer)
        refused = await web.post(
            f"{url}/decision",
            headers=officer,
            data={"outcome": "refuse", "reason": "", "csrf_token": csrf_of(page.text)},
        )
    assert refused.status_code == 400
    text = visible(refused.text)
    assert "Choose a reason for refusing" in text
    assert "Enter the reasons for your decision" in text
    assert "confirmed_legal_bar" not in text and "public_safety" not in text


async def test_decisions_on_the_case_page_name_the_ground_in_the_policy_words(
    client: Client, seeded: dict[str, Any]
) -> None:
    case = await _case(client, seeded)
    await refuse(client, seeded["officer_token"], seeded["officer2_token"], case["id"])
    text = visible(
        (await client.get(f"/officer/cases/{case['id']}", headers=bearer(seeded["officer_token"]))).text
    )
    assert "Refused by" in text
    assert "Ground: The proposed use is not permitted at this venue" in text
    assert "use_not_permitted" not in text and "decision refuse" not in text
    assert not RAW.search(text), RAW.search(text)


async def test_the_hirers_forms_say_what_to_do(app: Litestar, seeded: dict[str, Any]) -> None:
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as web:
        case = await _case(web, seeded)
        await refuse(web, seeded["officer_token"], seeded["officer2_token"], case["id"])
        token = case["applicant_token"]
        page = await web.get(f"/status/{token}")
        sent = await web.post(f"/status/{token}/appeal", data={"text": "", "csrf_token": csrf_of(page.text)})
    assert sent.status_code == 400
    assert "Enter why you think the decision is wrong" in visible(sent.text)
    assert "is required" not in sent.text
