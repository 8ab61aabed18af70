"""`venue-hire flagged import` and `venue-hire rescreen`: the flagged list and re-screening."""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from api.cli.support import CliError, Subcommands, add_group, in_transaction
from casework.rescreen import RescreenResult, import_and_rescreen, rescreen_upcoming
from vetting.actors import Actor
from vetting.errors import Invalid
from vetting.flagged import ImportCounts
from vetting.importers import SUPPORTED_FORMATS, FlaggedListFormatError, parse_flagged_list


def flagged_import(args: argparse.Namespace) -> int:
    if args.format not in SUPPORTED_FORMATS:
        raise CliError(f"unknown format {args.format!r}; supported: {', '.join(SUPPORTED_FORMATS)}")
    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"no such file: {path}")
    print(f"Reading {path} as {args.format} ...")
    try:
        entries = parse_flagged_list(path.read_bytes(), args.format, filename=path.name)
    except FlaggedListFormatError as exc:
        raise CliError(f"{exc} (nothing was imported)") from None
    print(f"  {len(entries)} entries read")
    actor = Actor(id=None, name="command line import", role="system")

    async def work(session: AsyncSession) -> tuple[ImportCounts, RescreenResult | None]:
        if not args.dry_run:
            print("  importing, then re-screening organisations with upcoming bookings ...")
        try:
            done = await import_and_rescreen(session, actor, entries, dry_run=args.dry_run)
        except Invalid as exc:
            raise CliError(f"{exc} (nothing was imported)") from None
        return done.counts, done.rescreen

    counts, rescreen = in_transaction(work)
    verb = "Would change" if args.dry_run else f"List version {counts.version}:"
    print(
        f"{verb} added {counts.added}, changed {counts.changed}, removed {counts.removed}, "
        f"unchanged {counts.unchanged}"
    )
    # Every entry leaving the list is named, so a wrong file is caught before (--dry-run) or after.
    for gone in counts.deactivated:
        print(
            f"  {'would deactivate' if args.dry_run else 'deactivated'}: {gone.id} {gone.name} "
            f"({gone.kind}, {gone.source} {gone.source_ref})"
        )
    if rescreen is not None:
        print(f"Re-screened {rescreen.cases} cases; {rescreen.new_matches} new matches referred to officers.")
    return 0


def rescreen(args: argparse.Namespace) -> int:
    actor = Actor(id=None, name="command line rescreen", role="system")
    result = in_transaction(lambda s: rescreen_upcoming(s, actor))
    print(f"Re-screened {result.cases} cases; {result.new_matches} new matches referred to officers.")
    return 0


def register(sub: Subcommands) -> None:
    actions = add_group(sub, "flagged", help="the flagged list", dest="flagged_command")
    imp = actions.add_parser(
        "import",
        help="import a published list and re-screen upcoming bookings",
        description="Replace the entries of the file's own source(s) with the file's, naming every "
        "entry deactivated. Entries officers added by hand (source 'local') are never replaced: "
        "a file with the source 'local', or rows without a source, is refused.",
    )
    imp.add_argument("file")
    imp.add_argument(
        "--format",
        required=True,
        help="uk-sanctions-csv, ofac-sdn-csv, proscribed-text, native-csv, native-json",
    )
    imp.add_argument(
        "--dry-run",
        action="store_true",
        help="show what would change (naming every entry it would deactivate) without changing anything",
    )
    imp.set_defaults(handler=flagged_import)

    sub.add_parser("rescreen", help="re-screen every organisation with upcoming bookings").set_defaults(
        handler=rescreen
    )
