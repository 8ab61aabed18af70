"""Organisations managed by service administrators; organisation administrators keep to their own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import User
from tests import factories as f
from tests.web.sign_in import Client, csrf_of, sign_in_as
from venues.venue_service import VenueAdmin, VenueInput
from vetting.actors import Actor
from vetting.errors import Invalid
from vetting.provider_directory import provider_by_slug
from vetting.providers import Provider


@pytest.fixture
async def web(app: Litestar) -> AsyncIterator[Client]:
    # https: the session cookie is Secure.
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as c:
        yield c


VALID = {
    "name": "Testvale Leisure Trust",
    "slug": "",
    "kind": "leisure_trust",
    "contact_email": "hire@testvale.example",
    "contact_phone": "",
    "logo_url": "https://testvale.example/logo.png",
    "colour": "#6F2C91",
    "base_url": "https://rooms.testvale.example/",
    "policy_ids": "partner-example",
    "active": "yes",
    "tpl-submitted-subject": "Testvale: we have {reference}",
}


async def test_service_admin_creates_and_edits_an_organisation(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    await sign_in_as(web, session, seeded["admin"])
    listing = await web.get("/officer/organisations")
    assert listing.status_code == 200 and "Testshire Council" in listing.text
    bad = await web.post(
        "/officer/organisations",
        data=VALID
        | {
            "colour": "purple",
            "logo_url": "http://testvale.example/logo.png",
            "tpl-referral-body": "see {case_url.__class__}",
            "csrf_token": csrf_of(listing.text),
        },
    )
    assert bad.status_code == 400
    assert "must be a colour like #1d70b8" in bad.text
    assert "must be an https address" in bad.text
    assert "cannot be filled in" in bad.text
    made = await web.post(
        "/officer/organisations", data=VALID | {"csrf_token": csrf_of(listing.text)}, follow_redirects=False
    )
    assert made.status_code == 303, made.text
    await session.rollback()
    provider = await provider_by_slug(session, "testvale-leisure-trust")
    assert provider.colour == "#6f2c91"
    assert provider.base_url == "https://rooms.testvale.example"
    assert provider.policy_ids == ["partner-example"]
    assert provider.message_templates == {"submitted": {"subject": "Testvale: we have {reference}"}}
    await session.commit()  # SQLite: every transaction holds the write lock, and the app needs it

    edit = await web.get(made.headers["location"])
    assert edit.status_code == 200 and 'value="#6f2c91"' in edit.text
    saved = await web.post(
        f"/officer/organisations/{provider.id}",
        data=VALID | {"name": "Testvale Leisure", "active": "", "csrf_token": csrf_of(edit.text)},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    session.expunge_all()
    changed = await session.get(Provider, provider.id)
    assert changed is not None and changed.name == "Testvale Leisure" and changed.active is False
    assert changed.slug == "testvale-leisure-trust"


async def test_an_organisation_admin_cannot_reach_organisations_and_adds_only_own_staff(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    own = await f.make_provider(session)
    other = await f.make_provider(session, "Othershire Council")
    org_admin, _ = await f.make_staff(session, "admin", provider=own)
    await session.commit()
    await sign_in_as(web, session, org_admin)
    assert (await web.get("/officer/organisations")).status_code == 404
    assert (await web.get(f"/officer/organisations/{other.id}")).status_code == 404
    assert (await web.get(f"/officer/organisations/{own.id}")).status_code == 404
    users = await web.get("/officer/users")
    assert users.status_code == 200
    assert "Othershire Council" not in users.text  # no choice of organisation for them
    made = await web.post(
        "/officer/users",
        data={
            "email": "new.officer@testshire.example",
            "name": "New Officer",
            "role": "officer",
            # Naming another organisation changes nothing: their staff are their own.
            "organisation": str(other.id),
            "password": "a long and uncommon passphrase",
            "csrf_token": csrf_of(users.text),
        },
        follow_redirects=False,
    )
    assert made.status_code == 303, made.text
    await session.rollback()
    user = (
        await session.execute(select(User).where(User.email == "new.officer@testshire.example"))
    ).scalar_one()
    assert user.provider_id == own.id


async def test_service_admin_picks_the_new_users_organisation(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    other = await f.make_provider(session, "Othershire Council")
    await session.commit()
    await sign_in_as(web, session, seeded["admin"])
    users = await web.get("/officer/users")
    assert "Othershire Council" in users.text
    base = {
        "name": "Other Officer",
        "role": "officer",
        "password": "a long and uncommon passphrase",
        "csrf_token": csrf_of(users.text),
    }
    # Two organisations now: an officer's must be named.
    unnamed = await web.post("/officer/users", data=base | {"email": "o1@othershire.example"})
    assert unnamed.status_code == 400 and "say which organisation" in unnamed.text
    garbled = await web.post(
        "/officer/users", data=base | {"email": "o1@othershire.example", "organisation": "not-an-id"}
    )
    assert garbled.status_code == 400
    named = await web.post(
        "/officer/users",
        data=base | {"email": "o1@othershire.example", "organisation": str(other.id)},
        follow_redirects=False,
    )
    assert named.status_code == 303
    await session.rollback()
    user = (await session.execute(select(User).where(User.email == "o1@othershire.example"))).scalar_one()
    assert user.provider_id == other.id


async def test_a_venue_uses_a_policy_its_organisation_allows(session: AsyncSession) -> None:
    provider = await f.make_provider(session, "Testvale Community Trust", "partner")
    provider.policy_ids = ["partner-example"]
    await session.flush()
    admin = Actor(id=None, name="org admin", role="admin", provider_id=provider.id)
    data = VenueInput("Testvale Hall", "partner", "ignored", "1 Vale Road", policy_id="council-default")
    with pytest.raises(Invalid) as refused:
        await VenueAdmin(session).create_venue(admin, data)
    assert "policy_id" in refused.value.errors
    data.policy_id = "partner-example"
    venue = await VenueAdmin(session).create_venue(admin, data)
    assert venue.provider_id == provider.id and venue.owner_name == "Testvale Community Trust"
