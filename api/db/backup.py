"""`venue-hire db backup`: a consistent copy of the database while the service runs.

SQLite: the online backup API (`sqlite3.Connection.backup`) copies pages under SQLite's own
locking, so the copy is consistent even with writers active (WAL included), unlike copying
the file. Restore: stop the service, copy the backup over the database file (remove any
`-wal` and `-shm` files beside it), start the service.

PostgreSQL: use the database's own tool, which this command prints rather than runs (it needs
the server's credentials and version-matched binaries):

    pg_dump --format=custom --file=FILE "$DATABASE_URL"
    pg_restore --clean --if-exists --dbname="$DATABASE_URL" FILE
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

PG_DUMP_HELP = (
    "PostgreSQL databases are backed up with pg_dump, not by this command:\n"
    '  pg_dump --format=custom --file={out} "postgresql://USER@HOST:PORT/DBNAME"\n'
    "and restored with:\n"
    '  pg_restore --clean --if-exists --dbname="postgresql://USER@HOST:PORT/DBNAME" {out}'
)


class BackupError(Exception):
    """The backup could not be made; the message says why and what to do."""


def sqlite_path_of(url: str) -> Path | None:
    if not url.startswith("sqlite"):
        return None
    raw = url.split(":///", 1)[1] if ":///" in url else ""
    if not raw or raw == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(raw)


def backup_database(url: str, out: Path) -> int:
    """Back up the SQLite database at `url` to `out`; returns the size in bytes."""
    source = sqlite_path_of(url)
    if source is None:
        raise BackupError(PG_DUMP_HELP.format(out=out))
    if not source.is_file():
        raise BackupError(f"no database file at {source}")
    out = Path(out)
    if out.resolve() == source.resolve():
        raise BackupError("the backup must go to a different file than the database")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".partial")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst, pages=1024)
            dst.execute("PRAGMA journal_mode=DELETE")  # a self-contained single file
            problem = dst.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            dst.close()
    finally:
        src.close()
    if problem != "ok":
        tmp.unlink(missing_ok=True)
        raise BackupError(f"the copy failed its integrity check: {problem}")
    tmp.replace(out)
    out.chmod(0o600)
    return out.stat().st_size
