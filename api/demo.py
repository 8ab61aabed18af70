"""Demo data: an invented council with four venues, a dozen rooms, staff and a few bookings."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.users import create_api_token, create_user
from casework.input import ApplicationRequest
from casework.workflow import DecisionInput, Workflow
from policies import default_declarations
from venues.models import Venue
from venues.venue_service import RoomInput, VenueAdmin, VenueInput
from vetting.actors import Actor
from vetting.flagged import add_entry

DEMO_MARKER = "Harrowmere Civic Centre"
WEEKDAYS_9_TO_10 = {d: [["09:00", "22:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat")}
LIBRARY_HOURS = {d: [["09:00", "20:00"]] for d in ("mon", "tue", "wed", "thu", "fri")} | {
    "sat": [["10:00", "16:00"]]
}
SCHOOL_HOURS = {d: [["17:30", "22:00"]] for d in ("mon", "tue", "wed", "thu", "fri")} | {
    "sat": [["09:00", "18:00"]]
}
LONDON = ZoneInfo("Europe/London")


@dataclass
class DemoResult:
    created: bool
    credentials: list[tuple[str, str, str]] = field(default_factory=list)  # (role, email, password)
    api_token: str | None = None
    totp_secrets: dict[str, str] = field(default_factory=dict)


def _password() -> str:
    return secrets.token_urlsafe(12)


async def load_demo(session: AsyncSession, *, now: dt.datetime | None = None) -> DemoResult:
    if (await session.execute(select(Venue.id).where(Venue.name == DEMO_MARKER))).first():
        return DemoResult(created=False)
    now = now or dt.datetime.now(dt.UTC)
    system_admin = Actor(id=None, name="demo loader", role="admin")
    admin = VenueAdmin(session)
    civic = await admin.create_venue(
        system_admin,
        VenueInput(
            "Harrowmere Civic Centre",
            "council",
            "Harrowmere Borough Council",
            "1 Market Square, Harrowmere HM1 1AA",
            contact_email="bookings@harrowmere.example",
            contact_phone="01632 960100",
        ),
    )
    library = await admin.create_venue(
        system_admin,
        VenueInput(
            "Eastgate Library",
            "council",
            "Harrowmere Borough Council",
            "42 Eastgate, Harrowmere HM2 4QT",
            contact_phone="01632 960200",
        ),
    )
    centre = await admin.create_venue(
        system_admin,
        VenueInput(
            "Millbrook Community Centre",
            "partner",
            "Millbrook Community Trust",
            "Millbrook Lane, Harrowmere HM5 2PL",
            contact_phone="01632 960300",
            policy_id="partner-example",
        ),
    )
    school = await admin.create_venue(
        system_admin,
        VenueInput(
            "Oakfield School Hall",
            "partner",
            "Harrowmere Learning Trust",
            "Oakfield Road, Harrowmere HM7 9RS",
            contact_phone="01632 960400",
        ),
    )
    hall_a = await admin.create_room(
        system_admin,
        civic.id,
        RoomInput(
            "Main Hall A", 80, ["step_free", "hearing_loop", "accessible_toilet"], WEEKDAYS_9_TO_10, 15, 15
        ),
    )
    hall_b = await admin.create_room(
        system_admin,
        civic.id,
        RoomInput(
            "Main Hall B", 80, ["step_free", "hearing_loop", "accessible_toilet"], WEEKDAYS_9_TO_10, 15, 15
        ),
    )
    main_hall = await admin.create_room(
        system_admin,
        civic.id,
        RoomInput(
            "Main Hall (A and B)",
            180,
            ["step_free", "hearing_loop", "accessible_toilet", "parking"],
            WEEKDAYS_9_TO_10,
            30,
            30,
            parts=[hall_a.id, hall_b.id],
        ),
    )
    committee = await admin.create_room(
        system_admin,
        civic.id,
        RoomInput(
            "Committee Room 2", 24, ["step_free", "lift", "accessible_toilet"], WEEKDAYS_9_TO_10, 0, 10
        ),
    )
    await admin.create_room(
        system_admin,
        civic.id,
        RoomInput("Council Chamber", 120, ["step_free", "hearing_loop", "lift"], WEEKDAYS_9_TO_10, 30, 30),
    )
    study = await admin.create_room(
        system_admin,
        library.id,
        RoomInput("Study Room", 12, ["step_free", "large_print"], LIBRARY_HOURS, 0, 0),
    )
    await admin.create_room(
        system_admin,
        library.id,
        RoomInput(
            "Community Room", 40, ["step_free", "hearing_loop", "accessible_toilet"], LIBRARY_HOURS, 10, 10
        ),
    )
    centre_hall = await admin.create_room(
        system_admin,
        centre.id,
        RoomInput(
            "Sports Hall",
            150,
            ["step_free", "accessible_toilet", "changing_places", "parking"],
            WEEKDAYS_9_TO_10,
            30,
            30,
        ),
    )
    await admin.create_room(
        system_admin, centre.id, RoomInput("Kitchen Room", 20, ["step_free"], WEEKDAYS_9_TO_10, 0, 15)
    )
    await admin.create_room(
        system_admin,
        centre.id,
        RoomInput("Quiet Room", 10, ["step_free", "quiet_room"], WEEKDAYS_9_TO_10, 0, 0),
    )
    await admin.create_room(
        system_admin,
        school.id,
        RoomInput("School Hall", 200, ["step_free", "accessible_toilet", "parking"], SCHOOL_HOURS, 15, 30),
    )
    await admin.create_room(
        system_admin, school.id, RoomInput("Music Room", 30, ["step_free"], SCHOOL_HOURS, 0, 10)
    )

    result = DemoResult(created=True)
    officer_pw, second_pw, admin_pw, manager_pw = _password(), _password(), _password(), _password()
    officer = await create_user(
        session,
        email="officer@harrowmere.example",
        name="Demo Officer",
        role="officer",
        password=officer_pw,
        provider_id=civic.provider_id,
    )
    second = await create_user(
        session,
        email="officer2@harrowmere.example",
        name="Second Officer",
        role="officer",
        password=second_pw,
        provider_id=civic.provider_id,
    )
    await create_user(
        session, email="admin@harrowmere.example", name="Demo Admin", role="admin", password=admin_pw
    )
    await create_user(
        session,
        email="manager@harrowmere.example",
        name="Demo Venue Manager",
        role="venue_manager",
        password=manager_pw,
        venue_ids=[civic.id, library.id],
    )
    result.credentials = [
        ("officer", officer.email, officer_pw),
        ("officer", second.email, second_pw),
        ("admin", "admin@harrowmere.example", admin_pw),
        ("venue_manager", "manager@harrowmere.example", manager_pw),
    ]
    result.api_token = await create_api_token(session, officer)

    officer_actor = Actor(id=officer.id, name=officer.name, role="officer")
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

    workflow = Workflow(session)
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
    ) -> ApplicationRequest:
        return ApplicationRequest.model_validate(
            {
                "room_id": str(room_id),
                "organisation": {"name": org, "type": "charity", "charity_number": "1098765"}
                if "Trust" in org
                else {"name": org, "type": "club"},
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
        officer_actor, chess.case.id, DecisionInput("approve", "Routine club booking"), now=now
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
    return result
