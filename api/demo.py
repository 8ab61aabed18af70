"""Demo data: a county council leading a partnership with a district council, a leisure trust and
a community hall charity; their venues, rooms and staff, and a few booking requests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.demo_orgs import (
    COUNTY,
    DISTRICT,
    HALLS,
    LEISURE,
    DemoOrgs,
    make_partnership,
    make_providers,
    make_staff,
    make_venues,
)
from api.demo_registers import load_demo_registers
from api.users import create_api_token, user_by_email
from casework.input import ApplicationRequest
from casework.workflow import DecisionInput, Workflow
from policies import default_declarations
from venues.models import Venue
from vetting.flagged import add_entry

DEMO_MARKER = "Harrowmere Civic Centre"
LONDON = ZoneInfo("Europe/London")


@dataclass
class DemoResult:
    created: bool
    # (organisation, role, email, password), grouped by organisation
    credentials: list[tuple[str, str, str, str]] = field(default_factory=list)
    api_token: str | None = None
    totp_secrets: dict[str, str] = field(default_factory=dict)


async def load_demo(session: AsyncSession, *, now: dt.datetime | None = None) -> DemoResult:
    if (await session.execute(select(Venue.id).where(Venue.name == DEMO_MARKER))).first():
        return DemoResult(created=False)
    now = now or dt.datetime.now(dt.UTC)
    orgs = DemoOrgs()
    await make_providers(session, orgs)
    await make_venues(session, orgs)
    await make_staff(session, orgs)
    await make_partnership(session, orgs, now.date())
    result = DemoResult(created=True, credentials=orgs.credentials)
    result.api_token = await create_api_token(
        session, await user_by_email(session, "officer@harrowmere.example")
    )
    officer_actor = orgs.officers[DISTRICT]
    # The district council's own additions to the flagged list (shared with its partners under
    # the partnership's agreement).
    await add_entry(
        session,
        officer_actor,
        kind="organisation",
        name="Crimson Dawn Network",
        aliases=["CDN Collective"],
        source="local",
        reason="Demo entry: invented organisation",
        source_ref="demo-1",
    )
    await add_entry(
        session,
        officer_actor,
        kind="person",
        name="Dariusz Velkov",
        aliases=["D. Velkov"],
        source="local",
        reason="Demo entry: invented person",
        source_ref="demo-2",
    )

    # An invented register extract, consulted as the local backend would be (make run sets it).
    await load_demo_registers(session, now)
    workflow = Workflow(session, registry_backend="local")
    today = now.astimezone(LONDON).date()

    def at(days: int, hour: int, minutes: int = 0) -> dt.datetime:
        day = today + dt.timedelta(days=days)
        while day.weekday() != 1:  # Tuesdays: every demo room is open then
            day += dt.timedelta(days=1)
        return dt.datetime(day.year, day.month, day.day, hour, minutes, tzinfo=LONDON)

    def request(
        room_id: object,
        org: str,
        title: str,
        start: dt.datetime,
        hours: int,
        rrule: str | None,
        people: list[dict[str, str]],
        attendance: int = 30,
        public: bool = False,
        organisation: dict[str, str] | None = None,
    ) -> ApplicationRequest:
        return ApplicationRequest.model_validate(
            {
                "room_id": str(room_id),
                "organisation": organisation
                or (
                    {"name": org, "type": "charity", "charity_number": "1098765"}
                    if "Trust" in org
                    else {"name": org, "type": "club"}
                ),
                "contact": {
                    "name": "Robin Ashdown",
                    "email": "robin.ashdown@example.org",
                    "phone": "07700 900123",
                },
                "people": people,
                "event": {
                    "title": title,
                    "description": "",
                    "expected_attendance": attendance,
                    "open_to_public": public,
                },
                "start": start.isoformat(),
                "end": (start + dt.timedelta(hours=hours)).isoformat(),
                "recurrence": {"rrule": rrule} if rrule else None,
                "declarations": default_declarations(),
                "answers": {"admission": "free"} if public else {},
            }
        )

    rooms = orgs.rooms
    committee = rooms["Harrowmere Civic Centre/Committee Room 2"]
    hall_a = rooms["Harrowmere Civic Centre/Main Hall A"]
    main_hall = rooms["Harrowmere Civic Centre/Main Hall (A and B)"]
    study = rooms["Eastgate Library/Study Room"]
    centre_hall = rooms["Millbrook Community Centre/Sports Hall"]
    chess = await workflow.submit(
        request(
            committee.id,
            "Harrowmere Chess Club",
            "Weekly club night",
            at(14, 19),
            2,
            "FREQ=WEEKLY;COUNT=10",
            [{"name": "Priya Lindqvist", "role": "officer"}],
            20,
        ),
        now=now,
    )
    await workflow.decide(
        officer_actor,
        chess.case.id,
        DecisionInput(
            "approve",
            "Routine club booking",
            checks_in_review_confirmed=True,
            checks_in_review_reason="Cover confirmed by phone with the club",
        ),
        now=now,
    )
    choir = await workflow.submit(
        request(
            hall_a.id,
            "Riverside Community Choir Trust",
            "Spring concert rehearsals",
            at(21, 18),
            3,
            "FREQ=WEEKLY;COUNT=6",
            [{"name": "Tomasz Okafor", "role": "officer"}],
            60,
        ),
        now=now,
    )
    await workflow.decide(
        officer_actor,
        choir.case.id,
        DecisionInput(
            "approve",
            "Approved with the standard conditions for a public performance",
            conditions=[{"code": "responsible_person", "rationale": None}],
            checks_in_review_confirmed=True,
            checks_in_review_reason="Cover confirmed by phone with the choir",
        ),
        now=now,
    )
    await workflow.submit(
        request(
            main_hall.id,
            "Harrowmere Residents Forum",
            "Public meeting on the new bus routes",
            at(70, 19),
            2,
            None,
            [{"name": "Amara Fenwick", "role": "speaker"}],
            150,
            True,
        ),
        now=now,
    )
    await workflow.submit(
        request(
            study.id,
            "Eastgate Homework Club",
            "Homework help",
            at(7, 16),
            2,
            "FREQ=WEEKLY;COUNT=8",
            [{"name": "Darius Velkov", "role": "organiser"}],
            10,
        ),
        now=now,
    )
    await workflow.submit(
        request(
            centre_hall.id,
            "Millbrook Youth Football",
            "Indoor training",
            at(10, 18),
            2,
            "FREQ=MONTHLY;BYDAY=1TU;COUNT=4",
            [{"name": "Sefton Adeyemi", "role": "officer"}],
            40,
        ),
        now=now,
    )
    school = await workflow.submit(
        request(
            rooms["Oakfield School Hall/School Hall"].id,
            "Westmarch Youth Orchestra Trust",
            "Summer concert",
            at(35, 18),
            3,
            None,
            [{"name": "Ilse Marchetti", "role": "officer"}],
            120,
            True,
        ),
        now=now,
    )
    await workflow.decide(
        orgs.officers[COUNTY],
        school.case.id,
        DecisionInput(
            "approve",
            "Routine concert booking",
            checks_in_review_confirmed=True,
            checks_in_review_reason="Cover confirmed by the school",
        ),
        now=now,
    )
    await workflow.submit(
        request(
            rooms["Riverside Leisure Centre/Dance Studio"].id,
            "Harrowmere Tap Dance Club",
            "Weekly class",
            at(12, 18),
            1,
            "FREQ=WEEKLY;COUNT=6",
            [{"name": "Nadia Brookfield", "role": "officer"}],
            15,
        ),
        now=now,
    )
    # Requests the invented register extract has something to say about (left for the officer).
    for days, org, number_field, number, kind in (
        (28, "Eastgate Youth Arts Trust", "charity_number", "1176543", "charity"),
        (42, "Harrowmere Events Ltd", "company_number", "08123456", "company"),
        (49, "Harrowmere Heritage Trust", "charity_number", "1187654", "charity"),
        (56, "Sunrise Dance Collective", "company_number", "09345678", "company"),
    ):
        await workflow.submit(
            request(
                hall_a.id,
                org,
                "Community open day",
                at(days, 10),
                3,
                None,
                [{"name": "Robin Ashdown", "role": "organiser"}],
                40,
                organisation={"name": org, "type": kind, number_field: number},
            ),
            now=now,
        )
    assert LEISURE in orgs.providers and HALLS in orgs.providers
    return result
