"""Command-line handlers for `audit verify`, `db backup`, `retention purge` and `subject-access export`.

Kept apart from api/cli.py so that file only declares the arguments; imports happen when a
command runs so the CLI starts fast.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession


def audit_verify(args: argparse.Namespace) -> int:
    from api.audit import verify_chain
    from api.cli import in_transaction

    result = in_transaction(verify_chain)
    if result.ok:
        print(f"Audit log intact: {result.checked} records; head hash {result.head_hash}")
        return 0
    print(
        f"Audit log broken at record {result.broken_id}: {result.problem} "
        f"({result.checked} records before it are intact)"
    )
    return 1


def db_backup(args: argparse.Namespace) -> int:
    from api.cli import CliError
    from api.db.backup import BackupError, backup_database
    from api.settings import get_settings

    try:
        size = backup_database(get_settings().database_url, Path(args.out))
    except BackupError as exc:
        raise CliError(str(exc)) from None
    print(f"Backed up the database to {args.out} ({size:,} bytes).")
    return 0


def retention_purge(args: argparse.Namespace) -> int:
    from api.cli import in_transaction
    from api.dataprotection.retention import apply_purge, plan_purge

    async def work(session: AsyncSession) -> tuple[Any, dict[str, int] | None]:
        plan = await plan_purge(session)
        if args.dry_run:
            return plan, None
        applied = await apply_purge(session, plan)
        # Idempotency-Key answers last 24 hours (api/idempotency.py); lookups ignore older ones too.
        from api.idempotency import purge_expired

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
    from api.cli import CliError, in_transaction
    from api.dataprotection.subject_access import export_subject, render_html, to_json
    from api.settings import get_settings

    chosen = [v for v in (args.email, args.name, args.organisation) if v]
    if len(chosen) != 1:
        raise CliError("give exactly one of --email, --name or --organisation")

    async def work(session: AsyncSession) -> dict[str, Any]:
        from api.audit import append

        export = await export_subject(
            session, email=args.email, name=args.name, organisation=args.organisation
        )
        await append(session, actor="system:cli", action="export", object_type="subject_access")
        return export

    export = in_transaction(work)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    json_path = out / f"subject-access-{stamp}.json"
    html_path = out / f"subject-access-{stamp}.html"
    json_path.write_text(to_json(export), encoding="utf-8")
    html_path.write_text(render_html(export, get_settings().council_name), encoding="utf-8")
    for path in (json_path, html_path):
        path.chmod(0o600)
    print(
        f"Found {len(export['requests'])} requests and {len(export['organisations'])} organisations."
        f"\nWrote {json_path}\nWrote {html_path}"
    )
    return 0
