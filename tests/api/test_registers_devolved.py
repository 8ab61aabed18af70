"""OSCR's register and former register and CCNI's charity CSV, in their published layouts: imported by
`venue-hire registers import`, looked up by number, and read by the registration check on a case.
On both engines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.api.test_cli import run
from tests.api.test_register_checks import _registration_check, settings  # noqa: F401  # fixture
from vetting.registers.devolved import extract_date_of
from vetting.registers.lookup import DevolvedEntry, devolved_by_number
from vetting.registers.models import RegisterCharityDevolved

SAMPLES = Path(__file__).parents[1] / "vetting" / "samples" / "registers"
OSCR_ZIP = SAMPLES / "CharityExport-01-Dec-2026.zip"
OSCR_CSV = SAMPLES / "CharityExport-01-Dec-2026.csv"
OSCR_FORMER = SAMPLES / "CharityFormerExport-01-Dec-2026.csv"
CCNI = SAMPLES / "charity-commission-ni-export-2026-12-01.csv"


async def _entry(session: AsyncSession, number: str) -> DevolvedEntry:
    found = await devolved_by_number(session, number)
    assert found is not None and isinstance(found.row, DevolvedEntry)
    return found.row


def _import(env: dict[str, str], register: str, *files: Path, skip: bool = False) -> Any:
    return run(env, "registers", "import", register, *map(str, files), *(["--skip-bad-rows"] if skip else []))


async def test_oscr_and_ccni_files_import_with_their_quirks(
    db_url: str, cli_env: dict[str, str], session: AsyncSession
) -> None:
    env = {**cli_env, "VENUE_HIRE_DATABASE_URL": db_url}
    done = _import(env, "oscr", OSCR_ZIP, OSCR_FORMER)
    assert done.returncode == 0, done.stderr
    assert "register_charity_devolved: 2 rows imported, 0 skipped" in done.stdout
    assert "register_charity_devolved: 1 rows imported, 0 skipped" in done.stdout
    assert f"{OSCR_ZIP.name}: 2 rows" in done.stderr  # progress
    ni = _import(env, "ccni", CCNI)
    assert ni.returncode == 0, ni.stderr
    assert "register_charity_devolved: 3 rows imported" in ni.stdout

    glen = await _entry(session, "sc045001")
    # A byte-order mark, "dd/mm/yyyy HH:MM" dates, a line break inside Objectives, "Known As".
    assert (glen.name, glen.status, glen.registered) == (
        "Thistle Glen Community Trust",
        "Active",
        dt.date(2015, 5, 14),
    )
    assert glen.other_names == ["Thistle Glen Hall"]
    gone = await _entry(session, "SC030003")
    assert (gone.source, gone.removed, gone.removal_reason) == (
        "oscr-former",
        dt.date(2025, 7, 18),
        "Wound up",
    )
    club = await _entry(session, "NIC100501")
    assert club.name == "St Brigid's Lantern Youth Club"  # the backtick is an apostrophe
    companies = dict(
        (
            await session.execute(
                select(RegisterCharityDevolved.number, RegisterCharityDevolved.company_number)
            )
        ).all()
    )
    assert companies["NIC100501"] is None and companies["NIC100503"] is None  # 0 and 999999: none
    assert companies["NIC100502"] == "NI612345"
    addresses = await session.execute(select(RegisterCharityDevolved.__table__))
    assert "Invented" not in str(addresses.all())  # no addresses kept
    await session.rollback()

    # Each file refreshes its own rows: the register again leaves the former register's rows.
    again = _import(env, "oscr", OSCR_CSV)
    assert again.returncode == 0, again.stderr
    count = select(func.count()).select_from(RegisterCharityDevolved)
    assert (await session.execute(count)).scalar_one() == 6


def test_a_bad_row_is_named_and_a_file_of_another_layout_refused(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    assert run(cli_env, "db", "upgrade").returncode == 0
    bad = tmp_path / "CharityExport-02-Dec-2026.csv"
    text = OSCR_CSV.read_text(encoding="utf-8-sig").replace("SC045002", "SC45002", 1)
    bad.write_text(text, encoding="utf-8")
    refused = _import(cli_env, "oscr", bad)
    assert refused.returncode != 0
    assert "Charity Number 'SC45002' is not SC and six digits" in refused.stderr
    assert "nothing was imported" in refused.stderr and "Traceback" not in refused.stderr
    skipped = _import(cli_env, "oscr", bad, skip=True)
    assert skipped.returncode == 0, skipped.stderr
    assert "1 rows imported, 1 skipped" in skipped.stdout
    wrong = _import(cli_env, "ccni", OSCR_CSV)
    assert wrong.returncode != 0
    assert "the header has no reg charity number, status column (is this CCNI's charity CSV?)" in wrong.stderr


def test_the_extract_date_is_read_from_either_naming() -> None:
    assert extract_date_of("CharityExport-01-Dec-2026.zip") == dt.date(2026, 12, 1)
    assert extract_date_of("charity-commission-ni-export-2026-12-01.csv") == dt.date(2026, 12, 1)
    assert extract_date_of("export.csv") is None


async def test_scottish_and_northern_ireland_charities_on_cases(
    client: AsyncTestClient[Litestar], seeded: dict[str, Any], db_url: str, cli_env: dict[str, str]
) -> None:
    env = {**cli_env, "VENUE_HIRE_DATABASE_URL": db_url}
    assert _import(env, "oscr", OSCR_ZIP, OSCR_FORMER).returncode == 0
    assert _import(env, "ccni", CCNI).returncode == 0
    removed = await _registration_check(
        client, seeded, 4, name="Bracken Moor Relief Fund", type="charity", charity_number="SC030003"
    )
    assert removed["outcome"] == "review", removed
    assert "Scottish Charity Regulator (OSCR) shows SC030003 as removed" in removed["needed"]
    assert (
        "OSCR former register extract of Tuesday 1 December 2026: Removed; "
        "removed on Friday 18 July 2025 (Wound up)" in removed["needed"]
    )
    known_as = await _registration_check(
        client, seeded, 5, name="Thistle Glen Hall", type="charity", charity_number="SC045001"
    )
    assert known_as["outcome"] == "pass", known_as
    late = await _registration_check(
        client, seeded, 6, name="Willowmere Carers", type="charity", charity_number="NIC100503"
    )
    assert late["outcome"] == "pass", late  # late documents: still registered, in the register's words
    assert "CCNI register extract of Tuesday 1 December 2026: Late documents" in str(late["evidence"])
    borrowed = await _registration_check(
        client, seeded, 7, name="Iron Standard Youth Network", type="charity", charity_number="NIC100501"
    )
    assert borrowed["outcome"] == "review"
    assert "gives NIC100501 to 'St Brigid's Lantern Youth Club'" in borrowed["needed"]
