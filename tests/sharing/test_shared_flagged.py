"""Flagged lists per organisation: whose entries an officer adds and imports, what partners share
under shares_flagged, and that one organisation's import never deactivates another's (both engines)."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from tests.factories import ADMIN, application_payload, bearer, next_weekday
from tests.sharing.conftest import agree
from vetting.actors import SYSTEM, Actor
from vetting.flagged import import_entries
from vetting.importers import ImportedEntry
from vetting.models import FlaggedEntry
from vetting.sharing import withdraw_agreement

Client = AsyncTestClient[Litestar]


def _officer_of(p: dict[str, Any]) -> Actor:
    return Actor(
        id=None, name=f"officer of {p['provider'].name}", role="officer", provider_id=p["provider"].id
    )


def _row(name: str, ref: str) -> ImportedEntry:
    return ImportedEntry(kind="organisation", name=name, source="proscribed", source_ref=ref)


async def _active(engine: AsyncEngine) -> dict[tuple[Any, str], bool]:
    async with async_sessionmaker(engine)() as s:
        rows = (await s.execute(select(FlaggedEntry))).scalars()
        return {(r.provider_id, r.name): r.active for r in rows}


async def test_an_organisations_import_replaces_only_its_own_entries(
    partners: dict[str, Any], engine: AsyncEngine
) -> None:
    brook, mill = partners["brookvale"], partners["millbrook"]
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as s:
        # The service-wide list (the command line, a service administrator) and two organisations'
        # own lists, all of one source, some with the same references.
        await import_entries(s, SYSTEM, [_row("Ashgrove Front", "P1"), _row("Birchmoor Cell", "P2")])
        await import_entries(
            s, _officer_of(brook), [_row("Ashgrove Front", "P1"), _row("Cobwell Group", "B9")]
        )
        await import_entries(s, _officer_of(mill), [_row("Dunmere Network", "P1")])
        await s.commit()
    before = await _active(engine)
    assert before == {
        (None, "Ashgrove Front"): True,
        (None, "Birchmoor Cell"): True,
        (brook["provider"].id, "Ashgrove Front"): True,
        (brook["provider"].id, "Cobwell Group"): True,
        (mill["provider"].id, "Dunmere Network"): True,
    }
    async with maker() as s:
        counts = await import_entries(s, _officer_of(brook), [_row("Eastley Circle", "B10")])
        await s.commit()
    # Brookvale's own two leave its list; the service-wide list and Millbrook's stay.
    assert sorted(d.name for d in counts.deactivated) == ["Ashgrove Front", "Cobwell Group"]
    assert {d.source_ref for d in counts.deactivated} == {"P1", "B9"}  # the list's references
    after = await _active(engine)
    assert after[(None, "Ashgrove Front")] and after[(None, "Birchmoor Cell")]
    assert after[(mill["provider"].id, "Dunmere Network")]
    assert (
        not after[(brook["provider"].id, "Ashgrove Front")]
        and after[(brook["provider"].id, "Eastley Circle")]
    )
    async with maker() as s:
        # The service-wide list replaced by a service administrator: organisations' entries stay.
        await import_entries(s, ADMIN, [_row("Birchmoor Cell", "P2")])
        await s.commit()
    final = await _active(engine)
    assert not final[(None, "Ashgrove Front")]
    assert final[(mill["provider"].id, "Dunmere Network")] and final[(brook["provider"].id, "Eastley Circle")]


async def test_hand_added_entries_belong_to_the_officers_organisation_and_are_shared_only_by_agreement(
    client: Client, partners: dict[str, Any], engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    brook, mill = partners["brookvale"], partners["millbrook"]
    added = await client.post(
        "/api/v1/flagged-entries",
        json={
            "kind": "person",
            "name": "Wilhelmina Corrstone",
            "aliases": [],
            "source": "court order",
            "reason": "invented",
            "source_ref": "BV-1",
        },
        headers=bearer(brook["officer"]),
    )
    assert added.status_code == 201, added.text
    assert added.json()["origin"]["kind"] == "own" and added.json()["source_ref"] == "BV-1"
    # The same reference is free for another organisation.
    again = await client.post(
        "/api/v1/flagged-entries",
        json={
            "kind": "person",
            "name": "Ottilie Farrant",
            "aliases": [],
            "source": "x",
            "reason": "invented",
            "source_ref": "BV-1",
        },
        headers=bearer(mill["officer"]),
    )
    assert again.status_code == 201, again.text
    service = await client.post(
        "/api/v1/flagged-entries",
        json={
            "kind": "person",
            "name": "Leopold Varnham",
            "aliases": [],
            "source": "x",
            "reason": "invented",
        },
        headers=bearer(seeded["admin_token"]),
    )
    assert service.json()["origin"]["kind"] == "service"
    async with async_sessionmaker(engine)() as s:
        owners = dict((await s.execute(select(FlaggedEntry.name, FlaggedEntry.provider_id))).all())
    assert owners["Wilhelmina Corrstone"] == brook["provider"].id and owners["Leopold Varnham"] is None

    async def listed_for_millbrook() -> dict[str, dict[str, Any]]:
        response = await client.get("/api/v1/flagged-entries", headers=bearer(mill["officer"]))
        return {e["name"]: e["origin"] for e in response.json()}

    async def screened_at_millbrook(weeks: int) -> list[str]:
        made = await client.post(
            "/api/v1/applications",
            json=application_payload(
                mill["room"].id,
                next_weekday(4, weeks_ahead=weeks),
                people=[{"name": "Wilhelmina Corrstone", "role": "speaker"}],
            ),
        )
        view = await client.get(f"/api/v1/applications/{made.json()['id']}", headers=bearer(mill["officer"]))
        return [m["matched_name"] for m in view.json()["screening"]]

    listed = await listed_for_millbrook()
    assert "Wilhelmina Corrstone" not in listed
    assert listed["Leopold Varnham"]["kind"] == "service" and listed["Ottilie Farrant"]["kind"] == "own"
    assert await screened_at_millbrook(3) == []

    await agree(engine, partners["partnership"].id, "TPP-FINDINGS", flagged=False, findings=True)
    assert "Wilhelmina Corrstone" not in await listed_for_millbrook()  # findings only: no entries

    agreement = await agree(engine, partners["partnership"].id, "TPP-LIST-7", flagged=True, findings=False)
    origin = (await listed_for_millbrook())["Wilhelmina Corrstone"]
    assert origin == {
        "kind": "partner",
        "organisation": "Brookvale Leisure Trust",
        "agreement_reference": "TPP-LIST-7",
        "label": "Shared by Brookvale Leisure Trust under agreement TPP-LIST-7",
    }
    assert await screened_at_millbrook(4) == ["Wilhelmina Corrstone"]
    # Shared to read and screen, not to change: only Brookvale (or the service) deactivates it.
    entry_id = added.json()["id"]
    refused = await client.post(
        f"/api/v1/flagged-entries/{entry_id}/deactivate",
        json={"reason": "not ours"},
        headers=bearer(mill["officer"]),
    )
    assert refused.status_code == 403
    # The Farrowby hall is in no partnership: it never sees it.
    farrow = await client.get("/api/v1/flagged-entries", headers=bearer(partners["farrowby"]["officer"]))
    assert "Wilhelmina Corrstone" not in farrow.text

    async with async_sessionmaker(engine)() as s:
        await withdraw_agreement(s, ADMIN, agreement.id)
        await s.commit()
    assert "Wilhelmina Corrstone" not in await listed_for_millbrook()
    assert await screened_at_millbrook(5) == []
    page = await client.get("/officer/flagged", headers=bearer(brook["officer"]))
    assert page.status_code == 200 and "Added by Brookvale Leisure Trust" in page.text


async def test_a_service_administrators_rescreen_screens_each_case_against_its_own_organisations_list(
    client: Client, partners: dict[str, Any], engine: AsyncEngine
) -> None:
    brook, mill = partners["brookvale"], partners["millbrook"]
    made = await client.post(
        "/api/v1/applications",
        json=application_payload(
            mill["room"].id,
            next_weekday(2, weeks_ahead=3),
            people=[{"name": "Barnaby Quillfeather", "role": "speaker"}],
        ),
    )
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        # Brookvale lists the name after the request; nothing is shared.
        await import_entries(
            s,
            _officer_of(brook),
            [ImportedEntry(kind="person", name="Barnaby Quillfeather", source="proscribed", source_ref="BQ")],
        )
        from casework.rescreen import rescreen_upcoming

        result = await rescreen_upcoming(s, SYSTEM)
        await s.commit()
    assert result.new_matches == 0
    view = await client.get(f"/api/v1/applications/{made.json()['id']}", headers=bearer(mill["officer"]))
    assert view.json()["screening"] == []
