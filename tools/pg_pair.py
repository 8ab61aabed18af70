"""A PostgreSQL primary and its streaming-replication standby on loopback, in a folder of their own.

Used by the read-replica test (tests/api/test_read_replica.py) and benchmark (bench/replica.py):
both need a second cluster that replays the first's WAL, as a production standby does, without
touching the machine's own PostgreSQL. Needs the server binaries (Debian's postgresql package:
/usr/lib/postgresql/<version>/bin); run as root, the clusters run as the `postgres` user, since
initdb refuses root.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def server_bin() -> Path | None:
    """The newest installed PostgreSQL server's bin folder, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class PgPair:
    """Start with `start()`, stop with `stop()` (or use as a context manager)."""

    def __init__(self, root: Path | None = None) -> None:
        bin_dir = server_bin()
        if bin_dir is None:
            raise RuntimeError("PostgreSQL server binaries not found under /usr/lib/postgresql")
        self.bin = bin_dir
        self.root = root or Path(tempfile.mkdtemp(prefix="vh-pg-pair-"))
        self.primary_port, self.standby_port = _free_port(), _free_port()
        self._as_postgres = os.geteuid() == 0

    def url(self, database: str, *, standby: bool = False) -> str:
        port = self.standby_port if standby else self.primary_port
        return f"postgresql+asyncpg://postgres@127.0.0.1:{port}/{database}"

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, cwd="/")  # noqa: S603  (fixed programs, our arguments)

    def start(self) -> PgPair:
        primary, standby = self.root / "primary", self.root / "standby"
        self.root.mkdir(parents=True, exist_ok=True)
        if self._as_postgres:
            shutil.chown(self.root, "postgres", "postgres")
        self._run("initdb", "-D", str(primary), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        with open(primary / "postgresql.conf", "a") as conf:
            conf.write(
                f"port = {self.primary_port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.root}'\nwal_level = replica\nmax_wal_senders = 4\n"
                "hot_standby = on\nshared_buffers = 64MB\n"
            )
        with open(primary / "pg_hba.conf", "w") as hba:
            hba.write(
                "local all all trust\nhost all all 127.0.0.1/32 trust\n"
                "host replication all 127.0.0.1/32 trust\n"
            )
        self._run("pg_ctl", "-D", str(primary), "-l", str(self.root / "primary.log"), "-w", "start")
        # -R writes standby.signal and primary_conninfo: the copy starts as a streaming standby.
        self._run(
            "pg_basebackup", "-h", "127.0.0.1", "-p", str(self.primary_port), "-U", "postgres",
            "-D", str(standby), "-R", "-X", "stream", "--no-sync",
        )  # fmt: skip
        with open(standby / "postgresql.auto.conf", "a") as conf:
            conf.write(f"port = {self.standby_port}\n")
        self._run("pg_ctl", "-D", str(standby), "-l", str(self.root / "standby.log"), "-w", "start")
        return self

    def stop(self) -> None:
        for name in ("standby", "primary"):
            if (self.root / name / "postmaster.pid").exists():
                # Already gone is fine: the folder is removed below either way.
                with contextlib.suppress(subprocess.CalledProcessError):
                    self._run("pg_ctl", "-D", str(self.root / name), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> PgPair:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def wait_for_replay(pair: PgPair, timeout_s: float = 60.0) -> float:
    """Block until the standby has replayed everything the primary has written; seconds waited."""
    started = time.monotonic()

    def psql(port: int, sql: str) -> str:
        command = [str(pair.bin / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
                   "-d", "postgres", "-Atc", sql]  # fmt: skip
        done = subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603  (fixed program)
        return done.stdout.strip()

    # The write position, not the insert one: the insert one can point past a page header that no
    # record follows yet, which the standby only passes with the next record.
    target = psql(pair.primary_port, "SELECT pg_current_wal_lsn()")
    while time.monotonic() - started < timeout_s:
        behind = psql(pair.standby_port, f"SELECT pg_last_wal_replay_lsn() < '{target}'::pg_lsn")
        if behind == "f":
            return time.monotonic() - started
        time.sleep(0.02)
    raise TimeoutError(f"the standby did not replay up to {target} in {timeout_s:.0f} s")
