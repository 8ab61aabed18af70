"""Where document files are kept: advanced-alchemy's file storage over obstore, a directory
(``var/documents`` by default) or an S3-compatible bucket (an ``s3://`` URL; obstore reads the
usual ``AWS_*`` settings from the environment).

Files are stored under random names: nothing the hirer sends (the file's name included) decides
where a file goes, and the store is never a served path.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import obstore
from advanced_alchemy.types.file_object import FileObject, storages
from advanced_alchemy.types.file_object.backends.obstore import ObstoreBackend
from obstore.store import LocalStore, from_url

from vetting.documents import DOCUMENT_STORAGE_KEY

CHUNK = 64 * 1024
LOCAL_PART = 64 * 1024
S3_PART = 5 * 1024 * 1024


async def _chunks(path: Path) -> AsyncIterator[bytes]:
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            yield block


class DocumentStore:
    """The documents' storage backend, registered under `DOCUMENT_STORAGE_KEY` so FileObjects
    read back from the database resolve to it."""

    def __init__(self, location: str | Path) -> None:
        text = str(location)
        store: Any
        if "://" in text and not text.startswith("file://"):
            store = from_url(text)
        else:
            path = Path(text.removeprefix("file://")).resolve()
            path.mkdir(parents=True, exist_ok=True)
            store = LocalStore(prefix=path)
        self.location = text
        self.store = store
        self.part_size = LOCAL_PART if isinstance(store, LocalStore) else S3_PART
        self.backend = ObstoreBackend(key=DOCUMENT_STORAGE_KEY, fs=store)
        # The registry is process-wide; the latest app's store is the one its rows resolve to.
        if storages.is_registered(DOCUMENT_STORAGE_KEY):
            storages.unregister_backend(DOCUMENT_STORAGE_KEY)
        storages.register_backend(self.backend)

    async def put(self, source: Path, content_type: str) -> FileObject:
        """Copy a checked file from the spool into the store under a new random name."""
        name = secrets.token_hex(16)
        file = FileObject(backend=self.backend, filename=name, content_type=content_type)
        # One part at a time: obstore's defaults (5 MB parts, twelve at a time) would hold up to
        # 60 MB per upload. A local directory takes small parts; S3 needs parts of 5 MB or more.
        return await self.backend.save_object_async(
            file, _chunks(source), use_multipart=True, chunk_size=self.part_size, max_concurrency=1
        )

    async def stream(self, file: FileObject) -> AsyncIterator[bytes]:
        """The file's bytes in chunks, never the whole file in memory."""
        result = await obstore.get_async(self.store, file.path)
        async for chunk in result.stream(min_chunk_size=CHUNK):
            yield bytes(chunk)

    async def exists(self, file: FileObject) -> bool:
        try:
            await obstore.head_async(self.store, file.path)
        except FileNotFoundError:
            return False
        return True

    async def delete(self, file: FileObject) -> None:
        with contextlib.suppress(FileNotFoundError):  # already gone: deleting is what was wanted
            await obstore.delete_async(self.store, file.path)

    async def names(self) -> list[str]:
        """Every object in the store (retention and erasure tests list the store with this)."""
        out: list[str] = []
        async for batch in obstore.list(self.store):
            out.extend(str(meta["path"]) for meta in batch)
        return sorted(out)
