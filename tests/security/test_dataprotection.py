"""Data protection: retention purge, subject access export, rectification, privacy notice."""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import json
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from api.audit import verify_chain
from api.cli import main
from api.dataprotection.retention import REMOVED, apply_purge, plan_purge
from api.models import AuditRecord
from policies import bundled_policy
from tests.factories import bearer
from tests.security.helpers import Client, approve, flag, refuse, submit
from venues.models import Booking, Occurrence
from vetting.models import CaseEvent, Organisation, ScreeningClearance, ScreeningMatch, VettingCase


async def _last_end(engine: AsyncEngine, case_id: str) -> dt.datetime:
    async with async_sessionmaker(engine)() as s:
        value = (
            await s.execute(
                select(func.max(Occurrence.end_utc))
                .join(Booking, Booking.id == Occurrence.booking_id)
                .where(Booking.case_id == case_id)
            )
        ).scalar_one()
    assert value is not None
    return value


async def _count(engine: AsyncEngine, model: Any, *where: Any) -> int:
    async with async_sessionmaker(engine)() as s:
        return int((await s.execute(select(func.count()).select_from(model).where(*where))).scalar_one())


async def _scenario(client: Client, seeded: dict[str, Any]) -> dict[str, Any]:
    officer, officer2 = seeded["officer_token"], seeded["officer2_token"]
    # Confirmed, nothing adverse.
    plain = await submit(client, seeded["hall_a"].id, weeks_ahead=4, organisation="Testtown Walking Group")
    await approve(client, officer, plain["id"])
    # Refused (countersigned).
    refused = await submit(client, seeded["hall_b"].id, weeks_ahead=5, organisation="Testtown Debating Club")
    await refuse(client, officer, officer2, refused["id"])
    # A possible match an officer judged "possible": adverse, so its due diligence is kept.
    await flag(client, officer, "Radomir Testovsky")
    flagged = await submit(
        client,
        seeded["hall_a"].id,
        weeks_ahead=6,
        organisation="Testtown Film Society",
        people=[{"name": "Radomir Testovski", "role": "speaker"}],
    )
    # A cleared match, then confirmed.
    await flag(client, officer, "Casimira Testwood")
    cleared = await submit(
        client,
        seeded["hall_b"].id,
        weeks_ahead=7,
        organisation="Testtown Orchid Growers",
        people=[{"name": "Kasimira Testwood", "role": "speaker"}],
    )
    for case, disposition in ((flagged, "possible"), (cleared, "cleared")):
        view = (await client.get(f"/api/v1/applications/{case['id']}", headers=bearer(officer))).json()
        assert view["screening"], view
        for match in view["screening"]:
            r = await client.post(
                f"/api/v1/screening-matches/{match['id']}/disposition",
                json={"disposition": disposition, "note": "checked against the listing"},
                headers=bearer(officer),
            )
            assert r.status_code == 200, r.text
    await approve(client, officer, cleared["id"])
    return {"plain": plain, "refused": refused, "flagged": flagged, "cleared": cleared}


async def test_retention_follows_the_policy_periods(
    client: Client, seeded: dict[str, Any], engine: AsyncEngine
) -> None:
    cases = await _scenario(client, seeded)
    retention = bundled_policy("council-default").retention
    last = max([await _last_end(engine, c["id"]) for c in cases.values()])
    maker = async_sessionmaker(engine, expire_on_commit=False)

    async def plan_at(months: int, *, apply: bool = False) -> Any:
        async with maker() as s:
            plan = await plan_purge(s, now=last + relativedelta(months=months, days=2))
            if apply:
                await apply_purge(s, plan)
                await s.commit()
            return plan

    # Nothing is due yet.
    assert (await plan_at(0)).empty
    # After the due-diligence period: only the clean cases lose their due-diligence detail,
    # and the cleared match goes; the refused and the "possible" cases keep everything.
    early = await plan_at(retention.due_diligence_no_adverse)
    refs = early.references()
    assert sorted(refs["due_diligence_no_adverse"]) == sorted(
        [cases["plain"]["reference"], cases["cleared"]["reference"]]
    )
    assert refs["cleared_screening_matches"] == [cases["cleared"]["reference"]]
    assert refs["booking_records"] == [] and refs["refusals_and_appeals"] == []
    assert early.counts()["cleared_screening_matches"] >= 2  # the match and the remembered clearance
    await plan_at(retention.due_diligence_no_adverse, apply=True)
    async with maker() as s:
        plain = await s.get(VettingCase, cases["plain"]["id"])
        assert plain is not None and plain.answers == {}
        assert all(p["name"] == REMOVED for p in plain.people)
        assert all(set(c) == {"check", "outcome"} for c in plain.checks)
        flagged = await s.get(VettingCase, cases["flagged"]["id"])
        assert flagged is not None and flagged.people[0]["name"] == "Radomir Testovski"
    assert await _count(engine, ScreeningMatch, ScreeningMatch.disposition == "cleared") == 0
    assert await _count(engine, ScreeningClearance) == 0
    assert await _count(engine, ScreeningMatch, ScreeningMatch.disposition == "possible") == 1
    # Idempotent: a second run at the same time finds nothing more.
    assert (await plan_at(retention.due_diligence_no_adverse)).empty

    # After the booking-records and refusals periods everything about these cases goes.
    late = await plan_at(max(retention.booking_records, retention.refusals_and_appeals))
    assert sorted(late.references()["booking_records"]) == sorted(
        c["reference"] for k, c in cases.items() if k != "refused"
    )
    assert late.references()["refusals_and_appeals"] == [cases["refused"]["reference"]]
    await plan_at(max(retention.booking_records, retention.refusals_and_appeals), apply=True)
    for model in (VettingCase, Booking, Occurrence, CaseEvent, ScreeningMatch, Organisation):
        assert await _count(engine, model) == 0, model
    assert (await plan_at(max(retention.booking_records, retention.refusals_and_appeals))).empty
    # What remains: aggregate counts, in an intact audit chain, with no reference or name.
    async with maker() as s:
        purges = list(
            (await s.execute(select(AuditRecord).where(AuditRecord.object_type == "retention"))).scalars()
        )
        assert (await verify_chain(s)).ok
    final = json.loads(purges[-1].detail or "{}")
    assert final["counts"]["booking_records"] == 3 and final["counts"]["refusals_and_appeals"] == 1
    assert sum(final["deleted_cases_by_status"].values()) == 4
    assert not any(c["reference"] in (p.detail or "") for p in purges for c in cases.values())


async def test_retention_periods_come_from_the_policy(
    client: Client, seeded: dict[str, Any], engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    created = await submit(client, seeded["hall_a"].id)
    await approve(client, seeded["officer_token"], created["id"])
    end = await _last_end(engine, created["id"])
    policy = bundled_policy("council-default")
    shorter = policy.model_copy(
        update={"retention": policy.retention.model_copy(update={"booking_records": 2})}
    )
    monkeypatch.setattr("api.dataprotection.retention.bundled_policy", lambda _id: shorter)
    async with async_sessionmaker(engine)() as s:
        plan = await plan_purge(s, now=end + relativedelta(months=3))
    assert plan.references()["booking_records"] == [created["reference"]]


async def test_retention_purge_command_dry_run_then_real_run(
    client: Client,
    seeded: dict[str, Any],
    engine: AsyncEngine,
    cli_database: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    old = await submit(client, seeded["hall_a"].id, organisation="Testtown Old Society")
    kept = await submit(client, seeded["hall_b"].id, organisation="Testtown New Society")
    long_ago = dt.datetime(2015, 3, 3, 19, tzinfo=dt.UTC)
    async with engine.begin() as conn:
        # Move the first request's dates seven years back, as if time had passed.
        bookings = select(Booking.id).where(Booking.case_id == UUID(old["id"]))
        await conn.execute(
            update(Occurrence)
            .where(Occurrence.booking_id.in_(bookings))
            .values(start_utc=long_ago, end_utc=long_ago + dt.timedelta(hours=2))
        )
        await conn.execute(
            update(VettingCase).where(VettingCase.id == UUID(old["id"])).values(first_start=long_ago)
        )
    assert await asyncio.to_thread(main, ["retention", "purge", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "dry run" in out and old["reference"] in out and kept["reference"] not in out
    assert "booking_records" in out
    assert await _count(engine, VettingCase) == 2
    assert await asyncio.to_thread(main, ["retention", "purge"]) == 0
    assert old["reference"] in capsys.readouterr().out
    assert await _count(engine, VettingCase) == 1
    assert await asyncio.to_thread(main, ["retention", "purge"]) == 0
    second = capsys.readouterr().out
    assert old["reference"] not in second and kept["reference"] not in second
    assert await _count(engine, VettingCase) == 1


# ------------------------------------------------------------------ subject access


async def test_subject_access_export_finds_everything_about_a_person(
    client: Client, seeded: dict[str, Any], engine: AsyncEngine
) -> None:
    officer = seeded["officer_token"]
    await flag(client, officer, "Philippa Testington")
    contact = {"name": "Philippa Testington", "email": "philippa@testtown.example", "phone": "07700 900111"}
    first = await submit(client, seeded["hall_a"].id, organisation="Testtown Bee Keepers", contact=contact)
    second = await submit(
        client, seeded["hall_b"].id, weeks_ahead=6, organisation="Testtown Kite Flyers", contact=contact
    )
    other = await submit(client, seeded["hall_a"].id, weeks_ahead=8, organisation="Testtown Rowing Club")
    response = await client.post(
        "/api/v1/subject-access",
        json={"email": "Philippa@Testtown.example"},
        headers=bearer(seeded["admin_token"]),
    )
    assert response.status_code == 200, response.text
    export = response.json()["export"]
    refs = {r["reference"] for r in export["requests"]}
    assert refs == {first["reference"], second["reference"]}
    assert other["reference"] not in response.text
    one = next(r for r in export["requests"] if r["reference"] == first["reference"])
    assert one["contact"]["phone"] == "07700 900111"
    assert one["dates"] and one["history"]
    assert one["screening_matches"] and all(m["criminal_offence_data"] for m in one["screening_matches"])
    assert seeded["officer"].name not in response.text  # staff appear by role only
    document = response.json()["document_html"]
    assert "Testtown Bee Keepers" in document and first["reference"] in document and "<script" not in document
    by_org = await client.post(
        "/api/v1/subject-access",
        json={"organisation": "testtown rowing club"},
        headers=bearer(seeded["admin_token"]),
    )
    assert {r["reference"] for r in by_org.json()["export"]["requests"]} == {other["reference"]}
    assert by_org.json()["export"]["organisations"][0]["name"] == "Testtown Rowing Club"
    nobody = await client.post(
        "/api/v1/subject-access",
        json={"email": "nobody@testtown.example"},
        headers=bearer(seeded["admin_token"]),
    )
    assert (
        nobody.json()["export"]["requests"] == []
        and "We hold no information" in nobody.json()["document_html"]
    )
    both = await client.post(
        "/api/v1/subject-access",
        json={"email": "a@b.example", "name": "X"},
        headers=bearer(seeded["admin_token"]),
    )
    assert both.status_code == 422


async def test_subject_access_command_writes_json_and_a_readable_document(
    client: Client,
    seeded: dict[str, Any],
    cli_database: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    created = await submit(
        client, seeded["hall_a"].id, people=[{"name": "Quentin Testfield", "role": "speaker"}]
    )
    out = tmp_path / "sar"
    assert (
        await asyncio.to_thread(
            main, ["subject-access", "export", "--name", "quentin testfield", "--out", str(out)]
        )
        == 0
    )
    files = sorted(out.iterdir())
    assert [p.suffix for p in files] == [".html", ".json", ".zip"]
    data = json.loads(files[1].read_text())
    assert [r["reference"] for r in data["requests"]] == [created["reference"]]
    assert created["reference"] in files[0].read_text()
    assert oct(files[0].stat().st_mode)[-3:] == "600"
    assert await asyncio.to_thread(main, ["subject-access", "export", "--out", str(out)]) == 2


# ------------------------------------------------------------------ rectification


async def test_officers_rectify_organisation_and_contact_details_with_history(
    client: Client, seeded: dict[str, Any], engine: AsyncEngine
) -> None:
    officer = bearer(seeded["officer_token"])
    created = await submit(client, seeded["hall_a"].id, organisation="Testtown Chess Clbu")
    case = (await client.get(f"/api/v1/applications/{created['id']}", headers=officer)).json()
    org_id = case["request"]["organisation"]["id"]
    fixed = await client.post(
        f"/api/v1/organisations/{org_id}/rectify",
        json={"name": "Testtown Chess Club", "reason": "Typo reported by the hirer"},
        headers=officer,
    )
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["changed"] == ["name"]
    contact = await client.post(
        f"/api/v1/applications/{created['id']}/contact",
        json={"email": "morgan.testwell@testtown.example", "reason": "Hirer asked us by phone"},
        headers=officer,
    )
    assert contact.status_code == 200, contact.text
    after = (await client.get(f"/api/v1/applications/{created['id']}", headers=officer)).json()
    assert after["request"]["organisation"]["name"] == "Testtown Chess Club"
    assert after["request"]["contact"]["email"] == "morgan.testwell@testtown.example"
    actions = {h["action"]: h["detail"] for h in after["history"]}
    assert actions["rectified_organisation"]["fields"] == ["name"]
    assert actions["rectified_contact"]["fields"] == ["email"]
    assert "morgan@testtown.example" not in json.dumps(after["history"])  # old value not kept in history
    # Reasons are required; nothing changes without one.
    no_reason = await client.post(
        f"/api/v1/organisations/{org_id}/rectify", json={"name": "X"}, headers=officer
    )
    assert no_reason.status_code == 422
    manager = await client.post(
        f"/api/v1/organisations/{org_id}/rectify",
        json={"name": "X", "reason": "r"},
        headers=bearer(seeded["manager_token"]),
    )
    assert manager.status_code == 403


async def test_a_rectified_name_is_screened_again(client: Client, seeded: dict[str, Any]) -> None:
    officer = bearer(seeded["officer_token"])
    await flag(client, seeded["officer_token"], "Testgrad Liberation Front", kind="organisation")
    created = await submit(client, seeded["hall_a"].id, organisation="Testtown Gardeners")
    case = (await client.get(f"/api/v1/applications/{created['id']}", headers=officer)).json()
    assert case["screening"] == []
    fixed = await client.post(
        f"/api/v1/organisations/{case['request']['organisation']['id']}/rectify",
        json={"name": "Testgrad Liberation Front", "reason": "Registered name"},
        headers=officer,
    )
    assert fixed.json()["new_screening_matches"] >= 1
    again = (await client.get(f"/api/v1/applications/{created['id']}", headers=officer)).json()
    assert again["screening"] and again["screening"][0]["disposition"] == "open"


# ------------------------------------------------------------------ privacy notice


async def test_privacy_notice_names_the_checks_and_lists_from_the_policy(client: Client) -> None:
    from api.dataprotection.privacy import CHECK_TEXT, SOURCE_TEXT

    response = await client.get("/privacy")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    policy = bundled_policy("council-default")
    body = response.text
    for check in policy.checks:
        assert html.escape(CHECK_TEXT[check.type]) in body
    for source in policy.screening.sources:
        assert html.escape(SOURCE_TEXT[source]) in body
    for words in ("UK Sanctions List", "OFAC", "proscribed", "6 years", "1 year"):
        assert words in body, words
    assert "Information Commissioner" in body and "<script" not in body
