"""Issue 17 item 5 (dates): in the officer console, cancel or move one date, or cancel the rest of
a series, with a reason and a confirmation step; the hirer and the venue's managers are told, the
feed shows it, and a pending request that wanted a freed slot sees it free."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.app import create_app
from api.settings import Settings
from casework.workflow import Workflow
from tests.factories import application_payload, bearer, next_weekday
from tests.web.sign_in import csrf_of, sign_in_as
from vetting.errors import Conflict, Forbidden
from vetting.outbox_models import OutboxMessage

Client = AsyncTestClient[Litestar]


def _web(settings: Settings) -> Client:
    return AsyncTestClient(app=create_app(settings), base_url="https://testserver.local")


async def _booked_series_and_a_competitor(
    client: Client, seeded: dict[str, Any]
) -> tuple[dict[str, Any], ...]:
    """A weekly series of four evenings, confirmed, and a single request for its third evening
    that arrived while the series was pending (so it is marked as wanting a booked slot)."""
    first = next_weekday(2, weeks_ahead=8)
    series = (
        await client.post(
            "/api/v1/applications",
            json=application_payload(seeded["hall_b"].id, first, rrule="FREQ=WEEKLY;COUNT=4"),
        )
    ).json()
    rival = (
        await client.post(
            "/api/v1/applications",
            json=application_payload(
                seeded["hall_b"].id, first + dt.timedelta(weeks=2), organisation="Testtown Choir"
            ),
        )
    ).json()
    approved = await client.post(
        f"/api/v1/applications/{series['id']}/decision",
        json={"outcome": "approve", "reason": "Fine", "conditions": []},
        headers=bearer(seeded["officer_token"]),
    )
    assert approved.json()["status"] == "confirmed", approved.text
    return series, rival


async def _case(client: Client, seeded: dict[str, Any], case_id: str) -> dict[str, Any]:
    response = await client.get(f"/api/v1/applications/{case_id}", headers=bearer(seeded["officer_token"]))
    return dict(response.json())


async def _mails(session: AsyncSession, template: str) -> list[OutboxMessage]:
    rows = list(
        (await session.execute(select(OutboxMessage).where(OutboxMessage.template == template))).scalars()
    )
    await session.commit()
    return rows


async def _feed_text(client: Client, seeded: dict[str, Any]) -> str:
    feed = await client.post(
        "/api/v1/feeds",
        json={"venue_id": str(seeded["venue"].id), "detail": "busy"},
        headers=bearer(seeded["manager_token"]),
    )
    assert feed.status_code == 201, feed.text
    return (await client.get("/" + feed.json()["url"].split("/", 3)[3])).text


def _exdates(ics: str) -> str:
    return " ".join(line for line in ics.splitlines() if line.startswith("EXDATE"))


def _flat(html: str) -> str:
    return " ".join(html.split())


async def test_cancel_one_date_from_the_console_frees_it_for_the_competing_request(
    client: Client, settings: Settings, seeded: dict[str, Any], session: AsyncSession
) -> None:
    series, rival = await _booked_series_and_a_competitor(client, seeded)
    dates = (await _case(client, seeded, series["id"]))["occurrences"]
    third = dates[2]
    assert [o["status"] for o in (await _case(client, seeded, rival["id"]))["occurrences"]] == ["conflicting"]
    # The series is one event with a repeat rule: a cancelled date becomes an exception date.
    stamp = dt.datetime.fromisoformat(third["local_start"]).strftime("%Y%m%dT%H%M")
    assert not _exdates(await _feed_text(client, seeded))
    url = f"/officer/cases/{series['id']}/dates/{third['id']}/cancel"

    async with _web(settings) as web:
        await sign_in_as(web, session, seeded["officer"])
        case_page = await web.get(f"/officer/cases/{series['id']}")
        assert f'href="{url}"' in case_page.text
        # The rest of the series can be cancelled from any date but the first and the last.
        rest_links = [f"/officer/cases/{series['id']}/dates/{o['id']}/cancel-rest" for o in dates]
        assert [link in case_page.text for link in rest_links] == [False, True, True, False]
        form = await web.get(url)
        assert form.status_code == 200
        token = csrf_of(form.text)
        missing = await web.post(url, data={"csrf_token": token})
        assert missing.status_code == 400
        assert "Choose a reason for cancelling this date" in missing.text
        other = await web.post(url, data={"csrf_token": token, "reason": "other"})
        assert "Enter the reason in your own words" in other.text

        check = await web.post(url, data={"csrf_token": token, "reason": "venue_closed", "details": "Boiler"})
        assert check.status_code == 200
        assert "Check the change and confirm it" in check.text
        assert "The venue is closed that day. Boiler" in check.text
        # Nothing has changed before the officer confirms.
        assert (await _case(client, seeded, series["id"]))["occurrences"][2]["status"] == "held"

        done = await web.post(
            url,
            data={"csrf_token": token, "reason": "venue_closed", "details": "Boiler", "confirm": "yes"},
            follow_redirects=False,
        )
        assert done.status_code == 303, done.text
        shown = await web.get(done.headers["location"])
        assert "The date is cancelled. The hirer has been told." in shown.text

    assert [o["status"] for o in (await _case(client, seeded, series["id"]))["occurrences"]] == [
        "held",
        "held",
        "cancelled",
        "held",
    ]
    (hirer,) = [m for m in await _mails(session, "date_changed") if str(m.case_id) == series["id"]]
    body = _flat(hirer.body)
    assert "cancelled." in body and "Reason: The venue is closed that day. Boiler" in body
    managers = [m for m in await _mails(session, "alert_booking_changed") if str(m.case_id) == series["id"]]
    assert [m.audience for m in managers] == ["staff"]  # the venue's manager: the date held the room
    assert stamp in _exdates(await _feed_text(client, seeded))  # the manager's calendar drops the date

    # The competing request sees the slot free, and can now be approved.
    assert [o["status"] for o in (await _case(client, seeded, rival["id"]))["occurrences"]] == ["requested"]
    approved = await client.post(
        f"/api/v1/applications/{rival['id']}/decision",
        json={"outcome": "approve", "reason": "The hall is free now", "conditions": []},
        headers=bearer(seeded["officer2_token"]),
    )
    assert approved.json()["status"] == "confirmed", approved.text


async def test_cancel_the_rest_of_a_series_and_move_a_date(
    client: Client, settings: Settings, seeded: dict[str, Any], session: AsyncSession
) -> None:
    series, _rival = await _booked_series_and_a_competitor(client, seeded)
    dates = (await _case(client, seeded, series["id"]))["occurrences"]
    base = f"/officer/cases/{series['id']}/dates"
    async with _web(settings) as web:
        await sign_in_as(web, session, seeded["officer"])
        token = csrf_of((await web.get(f"{base}/{dates[0]['id']}/move")).text)

        # The rest from the first date would be the whole booking: refused, with what to do instead.
        whole = await web.post(f"{base}/{dates[0]['id']}/cancel-rest", data={"csrf_token": token})
        assert whole.status_code == 409
        assert "cancel the booking" in whole.text

        form = {"csrf_token": token, "reason": "room_unavailable"}
        listed = await web.post(f"{base}/{dates[2]['id']}/cancel-rest", data=form)
        assert listed.status_code == 200 and "Dates to cancel" in listed.text
        done = await web.post(
            f"{base}/{dates[2]['id']}/cancel-rest", data={**form, "confirm": "yes"}, follow_redirects=False
        )
        assert done.status_code == 303, done.text

        moved_to = dt.datetime.fromisoformat(dates[0]["local_start"]) + dt.timedelta(days=1)
        bad = await web.post(
            f"{base}/{dates[0]['id']}/move",
            data={
                "csrf_token": token,
                "reason": "hirer_asked",
                "new_date": "",
                "new_start": "20:00",
                "new_end": "19:00",
            },
        )
        assert bad.status_code == 400
        assert "Enter the new date" in bad.text and "The end time must be after the start time" in bad.text
        move = {
            "csrf_token": token,
            "reason": "hirer_asked",
            "new_date": moved_to.date().isoformat(),
            "new_start": "19:00",
            "new_end": "21:00",
            "confirm": "yes",
        }
        moved = await web.post(f"{base}/{dates[0]['id']}/move", data=move, follow_redirects=False)
        assert moved.status_code == 303, moved.text

    after = (await _case(client, seeded, series["id"]))["occurrences"]
    assert [o["status"] for o in after] == ["held", "held", "cancelled", "cancelled"]
    assert after[0]["local_start"] == moved_to.isoformat(timespec="minutes")
    mails = [_flat(m.body) for m in await _mails(session, "date_changed") if str(m.case_id) == series["id"]]
    rest_mail = next(m for m in mails if m.count(": cancelled.") == 2)
    assert "Reason: The room cannot be used (repairs or safety)" in rest_mail
    assert any("moved to" in m and "Reason: The hirer asked for the change" in m for m in mails)


async def test_only_officers_change_dates(
    client: Client, settings: Settings, seeded: dict[str, Any], session: AsyncSession
) -> None:
    series, _rival = await _booked_series_and_a_competitor(client, seeded)
    date = (await _case(client, seeded, series["id"]))["occurrences"][1]
    url = f"/officer/cases/{series['id']}/dates/{date['id']}/cancel"
    async with _web(settings) as web:
        anonymous = await web.get(url, follow_redirects=False)
        assert anonymous.status_code in (302, 303) and "/login" in anonymous.headers["location"]
        await sign_in_as(web, session, seeded["manager"])
        assert (await web.get(url)).status_code == 403
    workflow = Workflow(session)
    with pytest.raises(Forbidden):
        await workflow.cancel_rest(seeded["manager"], UUID(series["id"]), UUID(date["id"]), reason="x")
    first = (await _case(client, seeded, series["id"]))["occurrences"][0]
    with pytest.raises(Conflict):
        await workflow.cancel_rest(seeded["officer"], UUID(series["id"]), UUID(first["id"]), reason="x")
    await session.rollback()


async def test_cancelling_the_whole_booking_frees_its_slots_for_the_competing_request(
    client: Client, seeded: dict[str, Any]
) -> None:
    series, rival = await _booked_series_and_a_competitor(client, seeded)
    assert [o["status"] for o in (await _case(client, seeded, rival["id"]))["occurrences"]] == ["conflicting"]
    cancelled = await client.post(
        f"/api/v1/applications/{series['id']}/cancel",
        json={"reason_code": "public_safety", "reason": "Flood damage to the hall"},
        headers=bearer(seeded["officer_token"]),
    )
    assert cancelled.status_code == 200, cancelled.text
    assert [o["status"] for o in (await _case(client, seeded, rival["id"]))["occurrences"]] == ["requested"]
