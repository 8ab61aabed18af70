"""Companies House's PSC snapshot (JSON lines) held locally: only current persons with significant
control, by name and kind (no addresses or dates of birth), and screened on a case like the
people the hirer names. Both engines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.api.test_cli import run
from tests.api.test_register_checks import SAMPLES, _load_samples, settings  # noqa: F401  # fixture
from tests.factories import application_payload, bearer, next_weekday
from vetting.registers.models import RegisterCompanyPsc

SNAPSHOT = SAMPLES / "persons-with-significant-control-snapshot-2026-12-01.txt"


async def test_the_snapshot_keeps_current_persons_by_name_only(
    db_url: str, cli_env: dict[str, str], session: AsyncSession, tmp_path: Path
) -> None:
    env = {**cli_env, "VENUE_HIRE_DATABASE_URL": db_url}
    done = run(env, "registers", "import", "companies-house-psc", str(SNAPSHOT))
    assert done.returncode == 0, done.stderr
    assert "register_company_psc: 2 rows imported, 0 skipped" in done.stdout
    rows = (
        await session.execute(
            select(RegisterCompanyPsc.company_number, RegisterCompanyPsc.name, RegisterCompanyPsc.kind)
        )
    ).all()
    assert sorted(rows) == [
        ("07654321", "COPPER BEACON HOLDINGS LIMITED", "organisation"),
        ("09876543", "Corvin ALDERSGATE", "person"),
    ]
    await session.rollback()
    bad = tmp_path / "persons-with-significant-control-snapshot-2026-12-02.txt"
    bad.write_text(SNAPSHOT.read_text() + "{not json\n")
    refused = run(env, "registers", "import", "companies-house-psc", str(bad))
    assert refused.returncode != 0
    assert "line 7: not a JSON record" in refused.stderr and "Traceback" not in refused.stderr


async def test_a_psc_on_the_flagged_list_is_referred_from_the_local_snapshot(
    client: AsyncTestClient[Litestar],
    seeded: dict[str, Any],
    session: AsyncSession,
    db_url: str,
    cli_env: dict[str, str],
) -> None:
    await _load_samples(session)
    env = {**cli_env, "VENUE_HIRE_DATABASE_URL": db_url}
    assert run(env, "registers", "import", "companies-house-psc", str(SNAPSHOT)).returncode == 0
    officer = bearer(seeded["officer_token"])
    added = await client.post(
        "/api/v1/flagged-entries",
        json={"kind": "person", "name": "Corvin Aldersgate", "reason": "invented for a test"},
        headers=officer,
    )
    assert added.status_code == 201, added.text
    payload = application_payload(seeded["hall_a"].id, next_weekday(3, weeks_ahead=4))
    payload["organisation"] = {
        "name": "Lantern Hall Community Limited",
        "type": "company",
        "company_number": "09876543",
        "address": "2 Test Lane",
    }
    created = await client.post("/api/v1/applications", json=payload)
    assert created.status_code == 201, created.text
    case = (await client.get(f"/api/v1/applications/{created.json()['id']}", headers=officer)).json()
    (match,) = case["screening"]
    assert (match["query_name"], match["subject_role"]) == (
        "Corvin ALDERSGATE",
        "person with significant control",
    )
    assert match["explanation"].endswith(
        "Named as a person with significant control of company 09876543 on the Companies House register "
        "(PSC snapshot of Tuesday 1 December 2026), not by the hirer."
    )
