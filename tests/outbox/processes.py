"""Starting the real service and workers as child processes for the crash and worker tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.outbox.smtp_server import free_port


def service_env(db_url: str, smtp_port: int, tmp: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VENUE_HIRE_")}
    env.update(
        {
            "VENUE_HIRE_DATABASE_URL": db_url,
            "VENUE_HIRE_SECRET_KEY": "outbox-test-secret-" + "z" * 32,
            "VENUE_HIRE_SMTP_HOST": "127.0.0.1",
            "VENUE_HIRE_SMTP_PORT": str(smtp_port),
            "VENUE_HIRE_OUTBOX_DIR": str(tmp / "outbox"),
            "VENUE_HIRE_SCHEDULER_ENABLED": "false",
            "VENUE_HIRE_LOG_LEVEL": "WARNING",
        }
    )
    env.update(extra)
    return env


def start_service(env: dict[str, str], log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=2) as answer:  # noqa: S310  # loopback
                if answer.status == 200:
                    return proc, base
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"the service did not start: {log.read_text()[-2000:]}")
        time.sleep(0.05)


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "api.cli", "worker"], env=env, stdout=out, stderr=subprocess.STDOUT
        )


def stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM, timeout: float = 20) -> None:
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
