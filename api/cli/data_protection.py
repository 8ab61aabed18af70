"""`venue-hire audit verify`, `retention purge` and `subject-access export`: the data protection
duties that run from the command line."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from api.audit import append, verify_chain
from api.cli.support import CliError, Subcommands, add_group, in_transaction
from api.dataprotection.retention import PurgePlan, apply_purge, plan_purge
from api.dataprotection.subject_access import export_subject, render_html, to_json
from api.dataprotection.subject_access_archive import write_archive
from api.idempotency import purge_expired
from api.settings import get_settings
from vetting.document_files import DocumentStore


def audit_verify(args: argparse.Namespace) -> int:
    result = in_transaction(verify_chain)
    if result.ok:
        print(f"Audit log intact: {result.checked} records; head hash {result.head_hash}")
        return 0
    print(
        f"Audit log broken at record {result.broken_id}: {result.problem} "
        f"({result.checked} records before it are intact)"
    )
    return 1


def _progress(what: str, done: int, total: int) -> None:
    # On stderr, so the listing on stdout stays what it was; a year's purge is thousands of cases.
    print(f"  {what}: {done:,}/{total:,}", file=sys.stderr, flush=True)


def retention_purge(args: argparse.Namespace) -> int:
    async def work(session: AsyncSession) -> tuple[PurgePlan, dict[str, int] | None]:
        plan = await plan_purge(session)
        if args.dry_run:
            return plan, None
        applied = await apply_purge(
            session, plan, store=DocumentStore(get_settings().documents_store), progress=_progress
        )
        # Idempotency-Key answers last 24 hours (api/idempotency.py); lookups ignore older ones too.
        await purge_expired(session)
        return plan, applied

    plan, applied = in_transaction(work)
    counts = plan.counts()
    references = plan.references()
    heading = "Would remove (dry run, nothing changed):" if args.dry_run else "Removed:"
    print(heading)
    for category, count in counts.items():
        print(f"  {category:<28} {count}")
        for reference in references.get(category, []):
            print(f"      {reference}")
    if applied is not None:
        print("Aggregate counts were kept in the audit log.")
    return 0


def subject_access_export(args: argparse.Namespace) -> int:
    chosen = [v for v in (args.email, args.name, args.organisation) if v]
    if len(chosen) != 1:
        raise CliError("give exactly one of --email, --name or --organisation")

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    json_path = out / f"subject-access-{stamp}.json"
    html_path = out / f"subject-access-{stamp}.html"
    zip_path = out / f"subject-access-{stamp}.zip"
    settings = get_settings()

    async def work(session: AsyncSession) -> dict[str, Any]:
        export = await export_subject(
            session, email=args.email, name=args.name, organisation=args.organisation
        )
        # The documents' files go in a zip with the export (they are the subject's data too).
        store = DocumentStore(settings.documents_store)
        await write_archive(session, export, store, zip_path, settings.council_name)
        await append(session, actor="system:cli", action="export", object_type="subject_access")
        return export

    export = in_transaction(work)
    json_path.write_text(to_json(export), encoding="utf-8")
    html_path.write_text(render_html(export, get_settings().council_name), encoding="utf-8")
    for path in (json_path, html_path):
        path.chmod(0o600)
    print(
        f"Found {len(export['requests'])} requests and {len(export['organisations'])} organisations."
        f"\nWrote {json_path}\nWrote {html_path}\nWrote {zip_path} (with the documents' files)"
    )
    return 0


def register(sub: Subcommands) -> None:
    audit = add_group(sub, "audit", help="the hash-chained audit log", dest="audit_command")
    audit.add_parser(
        "verify", help="recompute the chain; exit 1 naming the first broken record"
    ).set_defaults(handler=audit_verify)

    retention = add_group(
        sub, "retention", help="retention periods from the policy", dest="retention_command"
    )
    purge = retention.add_parser("purge", help="remove what is past its retention period")
    purge.add_argument(
        "--dry-run", action="store_true", help="list what would go, by category, without changing anything"
    )
    purge.set_defaults(handler=retention_purge)

    sar = add_group(sub, "subject-access", help="subject access requests", dest="sar_command")
    export = sar.add_parser("export", help="everything held about a person or organisation (JSON and HTML)")
    export.add_argument("--email")
    export.add_argument("--name")
    export.add_argument("--organisation")
    export.add_argument("--out", required=True, metavar="DIR")
    export.set_defaults(handler=subject_access_export)
