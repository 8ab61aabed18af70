"""Demo organisations: a county council (the partnership's lead), a district council, a leisure
trust and a community hall charity, each with venues, rooms and staff; a partnership of all four
with a sharing agreement. Every name and address is invented."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from uuid import UUID, uuid4

from sqlalchemy.ext.asyncio import AsyncSession

from api.users import create_user
from venues.models import Room, Venue
from venues.venue_service import RoomInput, VenueAdmin, VenueInput
from vetting.actors import Actor
from vetting.provider_admin import ProviderFields, create_provider
from vetting.providers import Partnership, PartnershipMember, Provider, SharingAgreement

SERVICE_ADMIN = Actor(id=None, name="demo loader", role="admin")
WEEKDAYS_9_TO_10 = {d: [["09:00", "22:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat")}
LIBRARY_HOURS = {d: [["09:00", "20:00"]] for d in ("mon", "tue", "wed", "thu", "fri")} | {
    "sat": [["10:00", "16:00"]]
}
SCHOOL_HOURS = {d: [["17:30", "22:00"]] for d in ("mon", "tue", "wed", "thu", "fri")} | {
    "sat": [["09:00", "18:00"]]
}
COUNTY, DISTRICT, LEISURE, HALLS = (
    "westmarch-county-council",
    "harrowmere-borough-council",
    "harrowmere-leisure-trust",
    "millbrook-community-trust",
)


@dataclass
class DemoOrgs:
    providers: dict[str, Provider] = field(default_factory=dict)  # by slug
    venues: dict[str, Venue] = field(default_factory=dict)  # by name
    rooms: dict[str, Room] = field(default_factory=dict)  # by "venue/room"
    officers: dict[str, Actor] = field(default_factory=dict)  # first officer, by slug
    credentials: list[tuple[str, str, str, str]] = field(default_factory=list)  # (org, role, email, pw)


def _password() -> str:
    return secrets.token_urlsafe(12)


async def make_providers(session: AsyncSession, orgs: DemoOrgs) -> None:
    specs = [
        (COUNTY, "Westmarch County Council", "county_council", "#1d4f91", "rooms@westmarch.example", []),
        (
            DISTRICT,
            "Harrowmere Borough Council",
            "district_council",
            "#00703c",
            "bookings@harrowmere.example",
            [],
        ),
        (
            LEISURE,
            "Harrowmere Leisure Trust",
            "leisure_trust",
            "#6f2c91",
            "hire@harrowmereleisure.example",
            [],
        ),
        (
            HALLS,
            "Millbrook Community Trust",
            "charity",
            "#b58840",
            "halls@millbrooktrust.example",
            ["partner-example"],
        ),
    ]
    for slug, name, kind, colour, email, policies in specs:
        templates = (
            {"submitted": {"subject": "Millbrook halls: we have your request {reference}"}}
            if slug == HALLS
            else {}
        )
        orgs.providers[slug] = await create_provider(
            session,
            SERVICE_ADMIN,
            ProviderFields(
                name=name,
                kind=kind,
                contact_email=email,
                colour=colour,
                policy_ids=policies,
                message_templates=templates,
            ),
            slug=slug,
        )


async def make_venues(session: AsyncSession, orgs: DemoOrgs) -> None:
    admin = VenueAdmin(session)
    venues = [
        ("Harrowmere Civic Centre", DISTRICT, "1 Market Square, Harrowmere HM1 1AA", "council-default"),
        ("Eastgate Library", DISTRICT, "42 Eastgate, Harrowmere HM2 4QT", "council-default"),
        ("Oakfield School Hall", COUNTY, "Oakfield Road, Harrowmere HM7 9RS", "council-default"),
        ("Westmarch County Hall", COUNTY, "County Way, Westmarch WM1 2CH", "council-default"),
        ("Riverside Leisure Centre", LEISURE, "Riverside Walk, Harrowmere HM3 8RL", "council-default"),
        ("Millbrook Community Centre", HALLS, "Millbrook Lane, Harrowmere HM5 2PL", "partner-example"),
    ]
    for n, (name, slug, address, policy) in enumerate(venues):
        provider = orgs.providers[slug]
        orgs.venues[name] = await admin.create_venue(
            SERVICE_ADMIN,
            VenueInput(
                name,
                "council" if slug in (COUNTY, DISTRICT) else "partner",
                provider.name,
                address,
                contact_email=provider.contact_email,
                contact_phone=f"01632 960{n + 1}00",
                policy_id=policy,
            ),
        )
    # Charges (issue 19): the council venues share one rate card, the partner centre has its own.
    for name, venue in orgs.venues.items():
        venue.rate_card_id = "community-centre" if name == "Millbrook Community Centre" else "council-halls"
    rooms: list[tuple[str, RoomInput]] = [
        ("Harrowmere Civic Centre", RoomInput("Main Hall A", 80, ["step_free", "hearing_loop", "accessible_toilet"], WEEKDAYS_9_TO_10, 15, 15)),  # noqa: E501
        ("Harrowmere Civic Centre", RoomInput("Main Hall B", 80, ["step_free", "hearing_loop", "accessible_toilet"], WEEKDAYS_9_TO_10, 15, 15)),  # noqa: E501
        ("Harrowmere Civic Centre", RoomInput("Committee Room 2", 24, ["step_free", "lift", "accessible_toilet"], WEEKDAYS_9_TO_10, 0, 10)),  # noqa: E501
        ("Harrowmere Civic Centre", RoomInput("Council Chamber", 120, ["step_free", "hearing_loop", "lift"], WEEKDAYS_9_TO_10, 30, 30)),  # noqa: E501
        ("Eastgate Library", RoomInput("Study Room", 12, ["step_free", "large_print"], LIBRARY_HOURS, 0, 0)),
        ("Eastgate Library", RoomInput("Community Room", 40, ["step_free", "hearing_loop", "accessible_toilet"], LIBRARY_HOURS, 10, 10)),  # noqa: E501
        ("Oakfield School Hall", RoomInput("School Hall", 200, ["step_free", "accessible_toilet", "parking"], SCHOOL_HOURS, 15, 30)),  # noqa: E501
        ("Oakfield School Hall", RoomInput("Music Room", 30, ["step_free"], SCHOOL_HOURS, 0, 10)),
        ("Westmarch County Hall", RoomInput("Conference Room", 60, ["step_free", "hearing_loop", "lift"], WEEKDAYS_9_TO_10, 15, 15)),  # noqa: E501
        ("Riverside Leisure Centre", RoomInput("Dance Studio", 30, ["step_free", "accessible_toilet"], WEEKDAYS_9_TO_10, 0, 15)),  # noqa: E501
        ("Riverside Leisure Centre", RoomInput("Function Room", 90, ["step_free", "accessible_toilet", "parking"], WEEKDAYS_9_TO_10, 15, 15)),  # noqa: E501
        ("Millbrook Community Centre", RoomInput("Sports Hall", 150, ["step_free", "accessible_toilet", "changing_places", "parking"], WEEKDAYS_9_TO_10, 30, 30)),  # noqa: E501
        ("Millbrook Community Centre", RoomInput("Kitchen Room", 20, ["step_free"], WEEKDAYS_9_TO_10, 0, 15)),
        ("Millbrook Community Centre", RoomInput("Quiet Room", 10, ["step_free", "quiet_room"], WEEKDAYS_9_TO_10, 0, 0)),  # noqa: E501
    ]  # fmt: skip
    for venue_name, data in rooms:
        orgs.rooms[f"{venue_name}/{data.name}"] = await admin.create_room(
            SERVICE_ADMIN, orgs.venues[venue_name].id, data
        )
    civic = orgs.venues["Harrowmere Civic Centre"].id
    parts = [orgs.rooms[f"Harrowmere Civic Centre/Main Hall {x}"].id for x in ("A", "B")]
    orgs.rooms["Harrowmere Civic Centre/Main Hall (A and B)"] = await admin.create_room(
        SERVICE_ADMIN,
        civic,
        RoomInput(
            "Main Hall (A and B)",
            180,
            ["step_free", "hearing_loop", "accessible_toilet", "parking"],
            WEEKDAYS_9_TO_10,
            30,
            30,
            parts=parts,
        ),
    )
    _directory_details(orgs)


# What the public directory (/venues) shows beyond capacity and access: layouts, facilities and
# how to get to each venue (invented places).
DEMO_DIRECTIONS = {
    "Harrowmere Civic Centre": "Buses 4 and 17 stop in Market Square. Harrowmere station is 10 minutes away.",
    "Eastgate Library": "Bus 4 stops outside. Pay and display parking in Eastgate car park.",
    "Millbrook Community Centre": "Bus 22 stops at Millbrook Lane. Free parking on site.",
}
DEMO_ROOM_DETAILS: dict[str, tuple[dict[str, int], list[str]]] = {
    "Harrowmere Civic Centre/Main Hall (A and B)": (
        {"theatre": 180, "cabaret": 120, "standing": 180},
        ["kitchen", "stage", "sound_system", "projector", "tables_chairs"],
    ),
    "Harrowmere Civic Centre/Committee Room 2": ({"boardroom": 18, "theatre": 24}, ["projector", "wifi"]),
    "Eastgate Library/Community Room": (
        {"theatre": 40, "classroom": 24},
        ["projector", "wifi", "tables_chairs"],
    ),
    "Oakfield School Hall/School Hall": ({"theatre": 200, "cabaret": 120}, ["stage", "sound_system"]),
    "Millbrook Community Centre/Sports Hall": (
        {"standing": 150},
        ["kitchen", "baby_changing", "outdoor_space"],
    ),
    "Millbrook Community Centre/Kitchen Room": ({"cabaret": 20}, ["kitchen", "tables_chairs"]),
}


def _directory_details(orgs: DemoOrgs) -> None:
    for name, directions in DEMO_DIRECTIONS.items():
        orgs.venues[name].directions = directions
    for key, (layouts, facilities) in DEMO_ROOM_DETAILS.items():
        orgs.rooms[key].layouts = layouts
        orgs.rooms[key].facilities = facilities


async def _user(
    session: AsyncSession,
    orgs: DemoOrgs,
    slug: str | None,
    role: str,
    email: str,
    name: str,
    venues: list[str] | None = None,
) -> Actor:
    password = _password()
    provider_id = orgs.providers[slug].id if slug else None
    user = await create_user(
        session,
        email=email,
        name=name,
        role=role,
        password=password,
        provider_id=provider_id,
        venue_ids=[orgs.venues[v].id for v in venues or []],
    )
    org = orgs.providers[slug].name if slug else "The whole service"
    orgs.credentials.append((org, role, email, password))
    actor = Actor(id=user.id, name=user.name, role=role, provider_id=provider_id)
    if role == "officer" and slug:
        orgs.officers.setdefault(slug, actor)
    return actor


async def make_staff(session: AsyncSession, orgs: DemoOrgs) -> None:
    """An officer, an organisation administrator and a venue manager each (two officers at the
    district council, whose logins the tests and the README name), and a service administrator."""
    await _user(session, orgs, None, "admin", "admin@harrowmere.example", "Demo Admin")
    staff: list[tuple[str, str, str, str, list[str] | None]] = [
        (DISTRICT, "officer", "officer@harrowmere.example", "Demo Officer", None),
        (DISTRICT, "officer", "officer2@harrowmere.example", "Second Officer", None),
        (DISTRICT, "admin", "orgadmin@harrowmere.example", "Borough Administrator", None),
        (DISTRICT, "venue_manager", "manager@harrowmere.example", "Demo Venue Manager",
         ["Harrowmere Civic Centre", "Eastgate Library"]),
        (COUNTY, "officer", "officer@westmarch.example", "County Officer", None),
        (COUNTY, "admin", "admin@westmarch.example", "County Administrator", None),
        (COUNTY, "venue_manager", "manager@westmarch.example", "County Venue Manager",
         ["Oakfield School Hall", "Westmarch County Hall"]),
        (LEISURE, "officer", "officer@harrowmereleisure.example", "Leisure Trust Officer", None),
        (LEISURE, "admin", "admin@harrowmereleisure.example", "Leisure Trust Administrator", None),
        (LEISURE, "venue_manager", "manager@harrowmereleisure.example", "Leisure Centre Manager",
         ["Riverside Leisure Centre"]),
        (HALLS, "officer", "officer@millbrooktrust.example", "Community Trust Officer", None),
        (HALLS, "admin", "admin@millbrooktrust.example", "Community Trust Administrator", None),
        (HALLS, "venue_manager", "manager@millbrooktrust.example", "Community Centre Manager",
         ["Millbrook Community Centre"]),
    ]  # fmt: skip
    for slug, role, email, name, venues in staff:
        await _user(session, orgs, slug, role, email, name, venues)


async def make_partnership(session: AsyncSession, orgs: DemoOrgs, today: dt.date) -> Partnership:
    """All four in the county's Prevent partnership, sharing flagged entries and findings."""
    partnership = Partnership(
        id=uuid4(), name="Westmarch Prevent Partnership", lead_provider_id=orgs.providers[COUNTY].id
    )
    session.add(partnership)
    await session.flush()
    for provider in orgs.providers.values():
        session.add(PartnershipMember(id=uuid4(), partnership_id=partnership.id, provider_id=provider.id))
    session.add(
        SharingAgreement(
            id=uuid4(),
            partnership_id=partnership.id,
            reference="WPP-ISA-2026-01",
            review_date=today + dt.timedelta(days=365),
            shares_flagged=True,
            shares_findings=True,
            recorded_by="demo loader",
            note="Demo information sharing agreement (invented).",
        )
    )
    await session.flush()
    return partnership


def provider_id_of(orgs: DemoOrgs, slug: str) -> UUID:
    return orgs.providers[slug].id
