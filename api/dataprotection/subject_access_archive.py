"""The subject access archive (issue 20 item 6): one zip holding the export as JSON, its readable
HTML rendering, and the files of every document the export lists, as they were kept.

Files are copied from the document store chunk by chunk into the zip on disk, so an export with
many large certificates never sits in memory. The zip is written to a private file that the
caller sends and then deletes.
"""

from __future__ import annotations

import os
import secrets
import zipfile
from pathlib import Path
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from api.dataprotection.subject_access import render_html, to_json
from vetting.document_files import DocumentStore
from vetting.documents import CaseDocument

README = (
    "Subject access export.\n\n"
    "subject-access.json: everything held, as data.\n"
    "subject-access.html: the same, to read.\n"
    "documents/: the files sent as evidence, as kept (photos were re-encoded without their metadata"
    " when they arrived). Each is listed in the export under its request, with its SHA-256.\n"
)


def listed_documents(export: dict[str, Any]) -> list[dict[str, Any]]:
    return [d for request in export["requests"] for d in request.get("documents", [])]


async def write_archive(
    session: AsyncSession, export: dict[str, Any], store: DocumentStore, path: Path, council_name: str
) -> int:
    """Write the archive to `path` (created private); returns how many files it holds."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    written = 0
    with os.fdopen(descriptor, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README)
        archive.writestr("subject-access.json", to_json(export))
        archive.writestr("subject-access.html", render_html(export, council_name))
        for listed in listed_documents(export):
            name = listed.get("file_in_archive")
            if not name:
                continue  # in quarantine: listed, its file sent once it is scanned clean
            document = await session.get(CaseDocument, UUID(listed["id"]))
            if document is None or not await store.exists(document.file):
                continue
            with archive.open(name, "w", force_zip64=True) as member:
                async for chunk in store.stream(document.file):
                    member.write(chunk)
            written += 1
    return written


def archive_path(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    return directory / f"subject-access-{secrets.token_hex(12)}.zip"
