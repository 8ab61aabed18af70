"""`venue-hire registers import` on both engines: both registers' extracts, refresh, bad rows, refusals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.api.test_cli import run
from tests.registers_data import companies_csv, company_row
from vetting.registers.lookup import charity_by_number, company_by_number
from vetting.registers.models import RegisterCharityTrustee, RegisterCompany

SAMPLES = Path(__file__).parents[1] / "vetting" / "samples" / "registers"
CH_FILE = SAMPLES / "BasicCompanyDataAsOneFile-2026-12-01.csv"
CC_FILES = [
    SAMPLES / name
    for name in (
        "publicextract.charity.txt",
        "publicextract.charity_other_names.json",
        "publicextract.charity_trustee.txt",
        "publicextract.charity_event_history.json",
    )
]


async def test_both_extracts_import_with_counts_and_are_looked_up_with_their_extract_date(
    db_url: str, cli_env: dict[str, str], session: AsyncSession
) -> None:
    env = {**cli_env, "VENUE_HIRE_DATABASE_URL": db_url}
    done = run(env, "registers", "import", "companies-house", str(CH_FILE))
    assert done.returncode == 0, done.stderr
    assert "register_company: 5 rows imported, 0 skipped" in done.stdout
    assert f"{CH_FILE.name}: 5 rows" in done.stderr  # progress
    charities = run(env, "registers", "import", "charity-commission", *map(str, CC_FILES))
    assert charities.returncode == 0, charities.stderr
    assert "register_charity: 4 rows imported" in charities.stdout
    assert "register_charity_trustee: 2 rows imported" in charities.stdout

    found = await company_by_number(session, "sc123456")
    assert found is not None
    assert (found.row.name, found.row.status) == ("GRANITE FRONT TRADING LTD", "Dissolved")
    assert (found.extract.register, found.extract.extract_date) == ("companies-house", dt.date(2026, 12, 1))
    charity = await charity_by_number(session, 1190002)
    assert charity is not None
    assert (charity.row.status, charity.row.removed) == ("Removed", dt.date(2024, 2, 20))
    assert (charity.extract.register, charity.extract.extract_date) == (
        "charity-commission",
        dt.date(2026, 12, 1),
    )
    trustees = (await session.execute(select(RegisterCharityTrustee.name))).scalars().all()
    assert sorted(trustees) == ["Corvin Aldersgate", "Thessaly Marchbank"]


async def test_a_refresh_replaces_the_copy_and_a_refused_one_leaves_it(
    db_url: str, cli_env: dict[str, str], session: AsyncSession, tmp_path: Path
) -> None:
    env = {**cli_env, "VENUE_HIRE_DATABASE_URL": db_url}
    assert run(env, "registers", "import", "companies-house", str(CH_FILE)).returncode == 0
    newer = tmp_path / "BasicCompanyDataAsOneFile-2027-01-01.csv"
    newer.write_bytes(
        companies_csv(
            [company_row("09876543", "LANTERN HALL COMMUNITY LIMITED"), company_row("0123", "BAD LTD")]
        )
    )
    refused = run(env, "registers", "import", "companies-house", str(newer))
    assert refused.returncode != 0
    assert "line 3: CompanyNumber '0123' is not eight letters or digits" in refused.stderr
    assert "nothing was imported" in refused.stderr
    assert "Traceback" not in refused.stderr
    count = select(func.count()).select_from(RegisterCompany)
    assert (await session.execute(count)).scalar_one() == 5  # the previous copy stands
    await session.rollback()  # end the read, so the command may write (SQLite)

    skipped = run(env, "registers", "import", "companies-house", str(newer), "--skip-bad-rows")
    assert skipped.returncode == 0, skipped.stderr
    assert "register_company: 1 rows imported, 1 skipped" in skipped.stdout
    assert "skipped: BasicCompanyDataAsOneFile-2027-01-01.csv line 3" in skipped.stdout
    assert (await session.execute(count)).scalar_one() == 1  # a company gone from the extract is gone
    found = await company_by_number(session, "09876543")
    assert found is not None
    assert found.extract.extract_date == dt.date(2027, 1, 1)


def test_files_that_are_not_the_extracts_are_refused(cli_env: dict[str, str], tmp_path: Path) -> None:
    assert run(cli_env, "db", "upgrade").returncode == 0
    other = tmp_path / "publicextract.charity_annual_return_history.json"
    other.write_text("[]")
    refused = run(cli_env, "registers", "import", "charity-commission", str(other))
    assert refused.returncode != 0
    assert "is not one of the extract's files read here" in refused.stderr
    wrong = tmp_path / "people.csv"
    wrong.write_text("name,number\nA,1\n")
    refused = run(cli_env, "registers", "import", "companies-house", str(wrong))
    assert refused.returncode != 0
    assert "no CompanyName, CompanyNumber" in refused.stderr
    assert "Traceback" not in refused.stderr
