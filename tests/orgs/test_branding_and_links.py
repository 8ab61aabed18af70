"""Each organisation's own name, colour, logo and address on the public pages, feeds and links."""

from __future__ import annotations

import re
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests import factories as f
from vetting.providers import Provider

TRUST = "Testvale Hall Trust"
LOGO = "https://cdn.testvale.example/brand/logo.png"


async def _trust(session: AsyncSession, **fields: Any) -> tuple[Provider, Any]:
    """A partner with its own venue and room, its branding set as an administrator saved it."""
    provider = await f.make_provider(session, TRUST, "partner")
    for name, value in fields.items():
        setattr(provider, name, value)
    venue = await f.make_venue(session, "Testvale Village Hall", owner_name=TRUST, owner_kind="partner")
    room = await f.make_room(session, venue, "Village Hall")
    await session.commit()
    return provider, room


def _groups(html: str) -> dict[str, list[str]]:
    """Start page: organisation heading -> its venues, in the page's order."""
    heading = r'<h3 class="govuk-heading-s" id="org-\d+">(.*?)</h3>'
    sections = re.findall(heading + r"\s*<ul[^>]*>(.*?)</ul>", html, re.S)
    return {name: re.findall(r"<li>(.*?)</li>", venues) for name, venues in sections}


def _optgroups(html: str) -> dict[str, list[str]]:
    """Room step: optgroup label -> its venues' names."""
    groups = re.findall(r'<optgroup label="(.*?)">(.*?)</optgroup>', html, re.S)
    return {label: re.findall(r"<option [^>]*>(.*?) \(", options) for label, options in groups}


def _img_src(policy: str) -> str:
    found = re.search(r"img-src ([^;]*)", policy)
    assert found, policy
    return found.group(1).strip()


async def test_start_page_and_room_step_group_venues_under_their_organisations(
    client: AsyncTestClient[Litestar], session: AsyncSession, seeded: dict[str, Any]
) -> None:
    await _trust(session, colour="#6f2c91", logo_url=LOGO)
    closed = await f.make_provider(session, "Closedvale Trust", "partner")
    closed.active = False
    await f.make_venue(session, "Closedvale Hut", owner_name="Closedvale Trust", owner_kind="partner")
    await session.commit()

    start = await client.get("/")
    assert start.status_code == 200
    # By organisation name; an inactive organisation's venues are not offered.
    assert _groups(start.text) == {
        "Testshire Council": ["Testtown Civic Hall"],
        TRUST: ["Testvale Village Hall"],
    }
    assert "Closedvale" not in start.text
    assert '<section class="brand brand--testvale-hall-trust"' in start.text
    assert '<section class="brand" aria-labelledby="org-1">' in start.text  # no colour: no class
    assert f'<img class="brand__logo" src="{LOGO}"' in start.text
    assert '<link rel="stylesheet" href="/branding.css">' in start.text
    # The page may load images from the logo's origin and nowhere else new.
    assert _img_src(start.headers["content-security-policy"]) == "'self' data: https://cdn.testvale.example"

    step = await client.get("/book")
    assert step.status_code == 200
    assert _optgroups(step.text) == {
        "Testshire Council": ["Testtown Civic Hall"],
        TRUST: ["Testvale Village Hall"],
    }
    assert "Closedvale" not in step.text


async def test_a_page_without_logos_keeps_the_strict_policy(
    client: AsyncTestClient[Litestar], seeded: dict[str, Any]
) -> None:
    start = await client.get("/")
    assert _img_src(start.headers["content-security-policy"]) == "'self' data:"
    assert "<img" not in start.text


async def test_branding_css_has_a_class_per_coloured_organisation_and_nothing_unsafe(
    client: AsyncTestClient[Litestar], session: AsyncSession, seeded: dict[str, Any]
) -> None:
    await _trust(session, colour="#6f2c91")
    # Saved around the validation (an old row, a hand edit): the stylesheet re-checks it.
    rogue = await f.make_provider(session, "Roguevale Trust", "partner")
    rogue.colour = "red;}a{"  # fits the column (7), is no colour
    await session.commit()
    sheet = await client.get("/branding.css")
    assert sheet.status_code == 200
    assert sheet.headers["content-type"].startswith("text/css")
    # First the council's own colour (settings) as govuk-frontend's brand colour.
    assert sheet.text == (
        ":root { --govuk-brand-colour: #1d70b8; }\n"
        ".brand--testvale-hall-trust { border-left: 10px solid #6f2c91; padding-left: 15px; }\n"
    )


async def test_status_page_link_uses_the_organisations_own_address(
    client: AsyncTestClient[Litestar], session: AsyncSession, seeded: dict[str, Any]
) -> None:
    _provider, room = await _trust(session, base_url="https://rooms.testvale.example")
    links = {}
    for name, room_id, weeks in (("trust", room.id, 4), ("council", seeded["small"].id, 5)):
        body = f.application_payload(room_id, f.next_weekday(1, weeks_ahead=weeks, hour=10))
        made = await client.post("/api/v1/applications", json=body)
        assert made.status_code == 201, made.text
        token = made.json()["applicant_token"]
        page = await client.get(f"/status/{token}", params={"sent": "1"})
        assert page.status_code == 200
        found = re.search(r'<a href="/status/[^"]+" id="status-link">(.*?)</a>', page.text)
        assert found, page.text[:2000]
        links[name] = (found.group(1), token)
    assert links["trust"][0] == f"https://rooms.testvale.example/status/{links['trust'][1]}"
    # An organisation without its own host name: the service's address.
    assert links["council"][0] == f"http://testserver.local/status/{links['council'][1]}"


async def test_feeds_carry_the_owner_organisations_name_and_address(
    client: AsyncTestClient[Litestar], session: AsyncSession, seeded: dict[str, Any]
) -> None:
    _provider, room = await _trust(session, base_url="https://rooms.testvale.example")
    _manager, token = await f.make_staff(session, "venue_manager", venue_ids=[room.venue_id])
    await session.commit()
    made = await client.post(
        "/api/v1/feeds", json={"room_id": str(room.id), "detail": "busy"}, headers=f.bearer(token)
    )
    assert made.status_code == 201, made.text
    url = made.json()["url"]
    assert re.fullmatch(r"https://rooms\.testvale\.example/feeds/[^/]+\.ics", url)
    assert made.json()["webcal_url"] == "webcal://" + url.removeprefix("https://")
    calendar = await client.get(url.removeprefix("https://rooms.testvale.example"))
    assert calendar.status_code == 200
    text = calendar.text.replace("\r\n ", "")  # unfold long lines
    assert f"PRODID:-//{TRUST}//" in text
    assert f"Room bookings from {TRUST}'s venue hire service" in text
    assert "Example Borough Council" not in text

    # The council's manager, whose organisation has no host name: the service's own.
    council_feed = await client.post(
        "/api/v1/feeds",
        json={"room_id": str(seeded["small"].id), "detail": "busy"},
        headers=f.bearer(seeded["manager_token"]),
    )
    assert council_feed.status_code == 201, council_feed.text
    assert council_feed.json()["url"].startswith("http://testserver.local/feeds/")
    council_calendar = await client.get(council_feed.json()["url"].removeprefix("http://testserver.local"))
    assert "PRODID:-//Testshire Council//" in council_calendar.text
