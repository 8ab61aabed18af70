"""Fixtures for the documents tests: an app whose store and spool are the test's own, a real
clamd (Debian's clamav-daemon) with a signature database the tests build, and sample files."""

from __future__ import annotations

import asyncio
import io
import shutil
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from PIL import Image

from api.app import create_app
from api.settings import Settings
from vetting.scanner import ClamdScanner

Client = AsyncTestClient[Litestar]
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
INFECTED_PDF = b"%PDF-1.4\n% " + EICAR + b"\n%%EOF\n"


def pdf(text: str = "Certificate of public liability insurance", size: int = 0) -> bytes:
    """A small PDF-looking file (the sniffer reads the header); `size` pads it to that many bytes."""
    body = b"%PDF-1.4\n1 0 obj\n<< /Title (" + text.encode() + b") >>\nendobj\n"
    if size > len(body) + 6:
        body += b"%" + b"x" * (size - len(body) - 8) + b"\n"
    return body + b"%%EOF\n"


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (32, 24), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Testcam"  # Make
    exif[0x0131] = "Testshire photo tool"  # Software
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=db_url,
        secret_key="test-secret-key-" + "x" * 32,
        environment="test",
        base_url="http://testserver.local",
        outbox_dir=tmp_path / "outbox",
        scheduler_enabled=False,
        documents_store=str(tmp_path / "store"),
        documents_spool_dir=tmp_path / "spool",
    )


@pytest.fixture
async def web(app: Litestar) -> AsyncIterator[Client]:
    """A browser-like client over https, where the secure cookies are sent."""
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as c:
        yield c


def _clamd_binaries() -> tuple[str, str] | None:
    clamd = shutil.which("clamd") or ("/usr/sbin/clamd" if Path("/usr/sbin/clamd").exists() else None)
    sigtool = shutil.which("sigtool")
    if clamd and sigtool:
        return clamd, sigtool
    return None


@pytest.fixture(scope="session")
def clamd_socket(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A real clamd on a unix socket, with one signature: the MD5 of `INFECTED_PDF` (sigtool --md5),
    since the public signature feed cannot be fetched here. Installed from Debian when absent;
    skipped only when it cannot be."""
    found = _clamd_binaries()
    if found is None and shutil.which("apt-get"):
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "clamav-daemon"],
            env={"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
            capture_output=True,
            timeout=600,
            check=False,
        )
        found = _clamd_binaries()
    if found is None:
        pytest.skip("clamd (Debian's clamav-daemon) is not installed and could not be")
    clamd, sigtool = found
    home = tmp_path_factory.mktemp("clamd")
    sample = home / "infected.pdf"
    sample.write_bytes(INFECTED_PDF)
    signature = subprocess.run([sigtool, "--md5", str(sample)], capture_output=True, check=True, text=True)
    (home / "test.hdb").write_text(signature.stdout)
    sample.unlink()
    socket = home / "clamd.sock"
    (home / "clamd.conf").write_text(
        f"LocalSocket {socket}\nDatabaseDirectory {home}\nForeground yes\nTemporaryDirectory {home}\n"
        f"LogFile {home / 'clamd.log'}\nStreamMaxLength 120M\n"
    )
    process = subprocess.Popen(
        [clamd, "-c", str(home / "clamd.conf")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 90
        while not asyncio.run(ClamdScanner(socket).ping()):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"clamd did not start: {(home / 'clamd.log').read_text()[-2000:]}")
            time.sleep(0.5)
        yield socket
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def scanned_app(settings: Settings, clamd_socket: Path) -> Litestar:
    return create_app(settings.model_copy(update={"clamd_socket": str(clamd_socket)}))


@pytest.fixture
async def scanned_web(scanned_app: Litestar) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=scanned_app, base_url="https://testserver.local") as c:
        yield c


def store_names(settings: Settings) -> list[str]:
    root = Path(settings.documents_store)
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def spool_names(settings: Settings) -> list[str]:
    root = settings.documents_spool_dir
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


__all__: list[Any] = []
