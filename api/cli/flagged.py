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
from vetting.importers import SUPPORTED_FORMATS, FlaggedListFormatError, InputFile, read_flagged_list


def _input_files(names: list[str]) -> list[InputFile]:
    """The files named, a folder standing for the files directly in it (OFAC's three CSVs)."""
    files: list[InputFile] = []
    for name in names:
        path = Path(name)
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
            if not inside:
                raise CliError(f"the folder {path} holds no files")
            files.extend(InputFile(p.name, path=p) for p in inside)
        elif path.is_file():
            files.append(InputFile(path.name, path=path))
        else:
            raise CliError(f"no such file or folder: {path}")
    return files


def flagged_import(args: argparse.Namespace) -> int:
    if args.format not in SUPPORTED_FORMATS:
        raise CliError(f"unknown format {args.format!r}; supported: {', '.join(SUPPORTED_FORMATS)}")
    files = _input_files(args.files)
    print(f"Reading {', '.join(f.name for f in files)} as {args.format} ...")
    hint = "" if args.skip_bad_rows else "; --skip-bad-rows imports the rest and lists what it skips"
    try:
        read = read_flagged_list(files, args.format, skip_bad_rows=args.skip_bad_rows)
    except FlaggedListFormatError as exc:
        raise CliError(f"{exc} (nothing was imported{hint})") from None
    entries = read.entries
    print(f"  {len(entries)} entries read")
    if read.skipped:
        count = len(read.skipped)
        rows, they = ("row", "it") if count == 1 else ("rows", "they")
        print(f"  {count} {rows} skipped because {they} cannot be read:")
        for row in read.skipped:
            print(f"    {row}")
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
    imp.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="the list's file; for OFAC's CSVs, SDN.CSV ALT.CSV SDN_COMMENTS.CSV, their folder or a zip",
    )
    imp.add_argument(
        "--format",
        required=True,
        help=", ".join(SUPPORTED_FORMATS),
    )
    imp.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="import the rows that can be read, listing those skipped (else a bad row stops the import)",
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
