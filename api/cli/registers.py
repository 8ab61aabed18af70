"""`venue-hire registers import`: Companies House, Charity Commission, OSCR and CCNI files, held locally."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from sqlalchemy.ext.asyncio import AsyncSession

from api.cli.support import CliError, Subcommands, add_group, in_transaction
from vetting.registers import charity_commission, companies_house, devolved, psc
from vetting.registers.load import LoadResult, Progress, load_table
from vetting.registers.models import RegisterCharityDevolved
from vetting.registers.reading import RegisterFormatError
from vetting.registers.tables import table_named


def _progress(file: str, started: float) -> Progress:
    def show(rows: int, skipped: int) -> None:
        note = f", {skipped:,} skipped" if skipped else ""
        print(
            f"  {file}: {rows:,} rows{note} ({time.monotonic() - started:.0f} s)", file=sys.stderr, flush=True
        )

    return show


def _report(results: list[LoadResult]) -> None:
    for result in results:
        print(f"{result.table}: {result.rows:,} rows imported, {result.skipped:,} skipped")
        for bad in result.bad_rows:
            print(f"  skipped: {bad}")
        if result.skipped > len(result.bad_rows):
            print(f"  ... and {result.skipped - len(result.bad_rows):,} more")


@contextlib.contextmanager
def _open_text(path: Path) -> Iterator[TextIO]:
    """The file as text; a zip (as OSCR publishes its register) gives its CSV, read from the archive."""
    # utf-8-sig: the registers' files may start with a byte-order mark.
    if path.suffix.lower() != ".zip":
        with path.open(encoding="utf-8-sig", errors="strict", newline="") as stream:
            yield stream
        return
    with zipfile.ZipFile(path) as archive:
        members = [m for m in archive.namelist() if m.lower().endswith((".csv", ".txt"))]
        if len(members) != 1:
            raise CliError(f"{path.name}: expected one CSV or text file in the zip, found {len(members)}")
        with archive.open(members[0]) as raw:
            yield io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict", newline="")


async def _load_devolved(
    session: AsyncSession,
    stream: TextIO,
    path: Path,
    register: str,
    now: dt.datetime,
    args: argparse.Namespace,
) -> LoadResult:
    source, rows = devolved.read_devolved(stream, path.name, register)
    return await load_table(
        session,
        table_named("register_charity_devolved"),
        rows,
        register=source,
        file_name=path.name,
        extract_date=devolved.extract_date_of(path.name),
        now=now,
        skip_bad_rows=args.skip_bad_rows,
        progress=_progress(path.name, started=time.monotonic()),
        # The register and the former register share the table: each refreshes its own rows.
        replace=RegisterCharityDevolved.source == source,
    )


def registers_import(args: argparse.Namespace) -> int:
    paths = [Path(name) for name in args.files]
    for path in paths:
        if not path.is_file():
            raise CliError(f"no such file: {path}")
    if args.register == psc.REGISTER and len(paths) != 1:
        raise CliError(
            "the PSC snapshot is read as one file (persons-with-significant-control-snapshot-....txt)"
        )
    if args.register == "companies-house" and len(paths) != 1:
        raise CliError("the Companies House extract is one file (BasicCompanyDataAsOneFile-....csv)")
    if args.register == "charity-commission":
        try:
            for path in paths:
                charity_commission.file_kind(path.name)
        except RegisterFormatError as error:
            raise CliError(str(error)) from None
    now = dt.datetime.now(dt.UTC)

    async def work(session: AsyncSession) -> list[LoadResult]:
        results: list[LoadResult] = []
        for path in paths:
            started = time.monotonic()
            print(f"Reading {path.name} ...", file=sys.stderr, flush=True)
            with _open_text(path) as stream:
                try:
                    if args.register == psc.REGISTER:
                        result = await load_table(
                            session,
                            table_named("register_company_psc"),
                            psc.psc_rows(stream, path.name),
                            register=psc.REGISTER,
                            file_name=path.name,
                            extract_date=companies_house.extract_date_of(path.name),
                            now=now,
                            skip_bad_rows=args.skip_bad_rows,
                            progress=_progress(path.name, started),
                        )
                    elif args.register in (devolved.OSCR, devolved.CCNI):
                        result = await _load_devolved(session, stream, path, args.register, now, args)
                    elif args.register == "companies-house":
                        result = await load_table(
                            session,
                            table_named("register_company"),
                            companies_house.company_rows(stream, path.name),
                            register=companies_house.REGISTER,
                            file_name=path.name,
                            extract_date=companies_house.extract_date_of(path.name),
                            now=now,
                            skip_bad_rows=args.skip_bad_rows,
                            progress=_progress(path.name, started),
                        )
                    else:
                        table, rows, dates = charity_commission.read_extract_file(stream, path.name)
                        result = await load_table(
                            session,
                            table_named(table),
                            rows,
                            register=charity_commission.REGISTER,
                            file_name=path.name,
                            extract_date=None,
                            now=now,
                            skip_bad_rows=args.skip_bad_rows,
                            progress=_progress(path.name, started),
                            dates_found=dates,
                        )
                except (RegisterFormatError, UnicodeDecodeError) as error:
                    raise CliError(f"{path.name}: {error} (nothing was imported)") from None
            results.append(result)
        return results

    _report(in_transaction(work))
    return 0


def register(sub: Subcommands) -> None:
    actions = add_group(
        sub, "registers", help="charity and company registers held locally", dest="registers_command"
    )
    imp = actions.add_parser(
        "import",
        help="import (refresh) a register's published extract",
        description="Replace the register's local copy with the extract's rows, streamed, in one transaction "
        "(a refused or failed import leaves the previous copy). companies-house: the Free Company Data "
        "Product CSV. charity-commission: any of publicextract.charity, .charity_other_names, "
        ".charity_trustee, .charity_event_history (.json or .txt). oscr: OSCR's register or former-register "
        "CSV (or its zip). ccni: the Charity Commission for Northern Ireland's charity CSV. "
        "companies-house-psc: the persons-with-significant-control snapshot (JSON lines, or its zip).",
    )
    imp.add_argument(
        "register", choices=("companies-house", "companies-house-psc", "charity-commission", "oscr", "ccni")
    )
    imp.add_argument("files", nargs="+", metavar="FILE")
    imp.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="import the rows that can be read, listing those skipped (else a bad row stops the import)",
    )
    imp.set_defaults(handler=registers_import)
