"""What arrives as a document is checked before anything keeps it (issue 20 item 2): its size
while it streams in, its type from its content, its name made harmless, images re-encoded.

The upload is spooled to a private directory chunk by chunk (never held whole in memory); a
refusal deletes the spooled file at once.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import secrets
import unicodedata
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import puremagic
from PIL import Image, UnidentifiedImageError

from policies.model import Documents

MEGABYTE = 1024 * 1024
SNIFF_BYTES = 8192
IMAGE_TYPES = {"image/png": "PNG", "image/jpeg": "JPEG"}
# A certificate photographed on a phone is a few thousand pixels a side; far more is a bomb.
Image.MAX_IMAGE_PIXELS = 60_000_000


class Refused(Exception):
    """A document the service will not keep, with what the hirer should do (GOV.UK style)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass
class Spooled:
    """An upload written to the spool: where, how big, its SHA-256 and the name it came with."""

    path: Path
    size: int
    sha256: str
    original_name: str

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


def safe_name(raw: str | None) -> str:
    """The file's own name, made harmless for display and the download header: the last path
    part only (either slash), no control or format characters, no leading dots, at most 120
    characters. The stored object's name is random and never comes from this."""
    text = unicodedata.normalize("NFC", raw or "")
    text = re.split(r"[\\/]", text)[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    text = text.replace('"', "'").strip().lstrip(".").strip()
    if not text or set(text) <= {"."}:
        return "document"
    stem, dot, ext = text.rpartition(".")
    if dot and len(ext) <= 10:
        return stem[: 120 - len(ext) - 1] + "." + ext
    return text[:120]


class SpoolWriter:
    """Writes an upload to a new private file chunk by chunk, refusing it as soon as it passes the
    limit (the rest is never written)."""

    def __init__(self, directory: Path, name: str | None, limit_bytes: int) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / f"{secrets.token_hex(16)}.part"
        self.name = name
        self.limit = limit_bytes
        self.size = 0
        self._digest = hashlib.sha256()
        self._out = os.fdopen(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")

    def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.limit:
            self.abort()
            raise Refused("too_large", f"The file must be smaller than {self.limit // MEGABYTE} MB")
        self._digest.update(chunk)
        self._out.write(chunk)

    def abort(self) -> None:
        self._out.close()
        self.path.unlink(missing_ok=True)

    def finish(self) -> Spooled:
        self._out.close()
        if self.size == 0:
            self.path.unlink(missing_ok=True)
            raise Refused("empty", "The selected file is empty")
        return Spooled(self.path, self.size, self._digest.hexdigest(), safe_name(self.name))


async def spool(chunks: AsyncIterator[bytes], directory: Path, name: str | None, limit_bytes: int) -> Spooled:
    """Write an upload's chunks to the spool (see `SpoolWriter`)."""
    writer = SpoolWriter(directory, name, limit_bytes)
    try:
        async for chunk in chunks:
            writer.write(chunk)
    except BaseException:
        writer.abort()
        raise
    return writer.finish()


def sniff(spooled: Spooled, rules: Documents) -> str:
    """The file's type judged from its content; refused unless the policy accepts it. Where the
    content fits several accepted types (office files are zip archives), the name's extension
    chooses among them."""
    with spooled.path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    try:
        candidates = puremagic.magic_string(head)
    except puremagic.PureError:
        candidates = []
    accepted = [c for c in candidates if c.mime_type in rules.accepted_types]
    if not accepted:
        raise Refused(
            "wrong_type", "The selected file must be a PDF, a photo (JPG or PNG) or an office document"
        )
    extension = "." + spooled.original_name.rpartition(".")[2].lower() if "." in spooled.original_name else ""
    chosen = next((c for c in accepted if c.extension == extension), accepted[0])
    return str(chosen.mime_type)


def _reencode(path: Path, mime: str) -> None:
    with Image.open(path) as image:
        image.load()
        if image.format != IMAGE_TYPES[mime]:
            raise Refused(
                "wrong_type", "The selected file is not the kind of image its content first suggests"
            )
        clean = image.convert("RGB") if mime == "image/jpeg" and image.mode not in ("RGB", "L") else image
        out = path.with_suffix(".clean")
        # Saved without the original's info: EXIF (camera, GPS position) and text chunks go.
        clean.save(out, format=IMAGE_TYPES[mime], quality=90) if mime == "image/jpeg" else clean.save(
            out, format="PNG"
        )
    os.replace(out, path)


async def reencode_image(spooled: Spooled, mime: str) -> None:
    """Re-encode a photo so only its pixels are kept; a damaged image is refused."""
    if mime not in IMAGE_TYPES:
        return
    try:
        await asyncio.to_thread(_reencode, spooled.path, mime)
    except Refused:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise Refused("damaged", "The selected image could not be read; send it again or as a PDF") from exc
    spooled.size = spooled.path.stat().st_size
    digest = hashlib.sha256()
    with spooled.path.open("rb") as handle:
        while block := handle.read(MEGABYTE):
            digest.update(block)
    spooled.sha256 = digest.hexdigest()
