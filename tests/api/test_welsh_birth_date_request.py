"""The service's request for a date of birth to a hirer who asked in Welsh (issue 18 item 4):
the mail and the status page word it in Welsh (the officer's note as written), while the case keeps
it in English for officers. Through the JSON API and the status page, on both engines."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from casework.birth_date_words import listed, reworded
from casework.deps import utcnow
from casework.reminders_information import remind_unanswered_information
from casework.workflow import Workflow
from tests.factories import application_payload, bearer, next_weekday
from tests.vetting.test_importers_helpers import uk_csv, uk_row
from vetting.outbox_models import OutboxMessage

Client = AsyncTestClient[Litestar]
LISTED = "Quennell Ardwick"  # invented
NOTE = "Ring us on 01632 960000 with any questions."
WELSH = "I orffen ein gwiriadau, rhowch ddyddiad geni Quennell Ardwick."


def test_names_are_joined_in_welsh_with_a_or_ac() -> None:
    assert listed(["Ann Ray", "Bryn Oakes"], "cy") == "Ann Ray a Bryn Oakes"
    assert listed(["Ann Ray", "Ifan Hughes"], "cy") == "Ann Ray ac Ifan Hughes"
    assert listed(["Ann Ray", "Bryn Oakes", "Cai Lloyd"], "en") == "Ann Ray, Bryn Oakes and Cai Lloyd"
    # An officer's own words are never reworded.
    assert reworded("Please send your insurance.", ["Ann Ray"], "cy") == "Please send your insurance."


async def test_a_welsh_hirer_is_asked_for_a_date_of_birth_in_welsh(
    client: Client, seeded: dict[str, Any], engine: AsyncEngine
) -> None:
    officer = bearer(seeded["officer_token"])
    imported = await client.post(
        "/api/v1/flagged-entries/import?format=uk-sanctions-csv",
        content=uk_csv({**uk_row("DOB0001", "ARDWICK", "Quennell"), "D.O.B": "--/--/1958"}),
        headers=officer,
    )
    assert imported.status_code == 200, imported.text
    body = application_payload(
        seeded["hall_a"].id, next_weekday(3, weeks_ahead=5), people=[{"name": LISTED, "role": "speaker"}]
    )
    created = await client.post("/api/v1/applications", json=body | {"language": "cy"})
    assert created.status_code == 201, created.text
    case_id, token = created.json()["id"], created.json()["applicant_token"]
    case = (await client.get(f"/api/v1/applications/{case_id}", headers=officer)).json()
    asked = await client.post(
        f"/api/v1/applications/{case_id}/birth-date-request",
        json={"people": [LISTED], "note": NOTE, "revision": case["revision"]},
        headers=officer,
    )
    assert asked.status_code == 200, asked.text

    async with async_sessionmaker(engine)() as s:
        mails = list((await s.execute(select(OutboxMessage))).scalars())
    (mail,) = [m for m in mails if m.template == "information_requested" and m.audience == "hirer"]
    flat = " ".join(mail.body.split())
    assert WELSH in flat and NOTE in flat
    assert "To finish our checks" not in flat

    page = await client.get(f"/status/{token}?lang=cy")
    assert WELSH in page.text and NOTE in page.text and "To finish our checks" not in page.text
    english = await client.get(f"/status/{token}?lang=en")
    assert "To finish our checks, please give the date of birth of Quennell Ardwick." in english.text
    kept = (await client.get(f"/api/v1/applications/{case_id}", headers=officer)).json()
    assert "To finish our checks" in str(kept)  # officers read the English the case keeps

    # Unanswered: the reminder, then the lapse, quote the request in Welsh too.
    maker = async_sessionmaker(engine, expire_on_commit=False)
    for days in (20, 60):  # well past the working days the policy gives, bank holidays or not
        async with maker() as s:
            await remind_unanswered_information(Workflow(session=s), utcnow() + dt.timedelta(days=days))
            await s.commit()
    async with maker() as s:
        later = {
            m.template: " ".join(m.body.split())
            for m in (await s.execute(select(OutboxMessage))).scalars()
            if m.audience == "hirer"
        }
    for template in ("reminder_information", "lapsed"):
        assert WELSH in later[template] and "To finish our checks" not in later[template], template
