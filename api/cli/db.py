"""`venue-hire db upgrade|backup`: migrations and online backups."""

from __future__ import annotations

import argparse
from pathlib import Path

from api.cli.support import CliError, Subcommands, add_group
from api.db.backup import BackupError, backup_database
from api.settings import get_settings


def db_upgrade(args: argparse.Namespace) -> int:
    # Alembic and every model module load only for this command (about half a second that the
    # other commands, `--help` included, would pay for nothing).
    from api.db.migrate import upgrade

    upgrade(get_settings().database_url)
    print("Database is at the latest revision.")
    return 0


def db_backup(args: argparse.Namespace) -> int:
    try:
        size = backup_database(get_settings().database_url, Path(args.out))
    except BackupError as exc:
        raise CliError(str(exc)) from None
    print(f"Backed up the database to {args.out} ({size:,} bytes).")
    return 0


def register(sub: Subcommands) -> None:
    actions = add_group(sub, "db", help="database maintenance", dest="db_command")
    actions.add_parser("upgrade", help="apply migrations up to the latest revision").set_defaults(
        handler=db_upgrade
    )
    backup = actions.add_parser(
        "backup", help="copy the SQLite database safely while it runs (PostgreSQL: pg_dump)"
    )
    backup.add_argument("--out", required=True, metavar="FILE", help="where to write the copy")
    backup.set_defaults(handler=db_backup)
