"""Reading a multipart form with one file as it streams in (issue 20): the file goes to the
spool chunk by chunk with its size checked as it arrives, the other fields (small) are kept.

Litestar's own form parsing reads the whole body into memory first, so upload routes read
`request.stream()` through the `multipart` package's push parser instead, and check the CSRF
token and the fields' characters themselves (the page guard would parse the form in memory).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from litestar.exceptions import ClientException, PermissionDeniedException
from multipart import MultipartSegment, ParserError, PushMultipartParser

from api.web.common import AnyRequest, secret_key
from api.web.i18n import DEFAULT, N_, current_language
from api.web.i18n import gettext as _
from api.web.sessions import COOKIE_NAME, CSRF_COOKIE, CSRF_FIELD, csrf_ok
from casework.document_intake import Refused, Spooled, SpoolWriter
from vetting.clean_text import control_character

FIELD_LIMIT = 4096
MAX_FIELDS = 20
# Multipart framing and the small fields around the file.
OVERHEAD = 64 * 1024


@dataclass
class Upload:
    fields: dict[str, str] = field(default_factory=dict)
    file: Spooled | None = None
    refused: Refused | None = None


# Why casework refused a file, by its reason code: the English is casework's own message (the
# JSON API answers it); these are its msgids for the pages, except "too_large", which has a size.
_REFUSED = {
    "infected": N_("The selected file contains a virus and was not kept. Send a clean copy"),
    "empty": N_("The selected file is empty"),
    "wrong_type": N_("The selected file must be a PDF, a photo (JPG or PNG) or an office document"),
    "unavailable": N_("Documents cannot be sent here; send them after your request"),
}
_SIZE = re.compile(r"(\d+) MB")


def refused_words(refused: Refused) -> str:
    """A refused file's message in the reader's language."""
    if current_language() == DEFAULT:
        return refused.message
    if refused.reason == "too_large" and (size := _SIZE.search(refused.message)):
        return _("The file must be smaller than %(size)s MB") % {"size": size.group(1)}
    known = _REFUSED.get(refused.reason)
    return _(known) if known else refused.message


async def read_upload(
    request: AnyRequest, spool_dir: Path, limit_bytes: int, file_field: str = "file"
) -> Upload:
    """The form's fields and its file, spooled; a file over the limit is refused while it streams
    (the rest of the body is read and dropped so the browser gets the answer)."""
    content_type, options = request.content_type
    boundary = options.get("boundary")
    if content_type != "multipart/form-data" or not boundary:
        raise ClientException(detail="Send the form as multipart/form-data")
    declared = request.headers.get("content-length")
    upload = Upload()
    if declared is not None and declared.isdigit() and int(declared) > limit_bytes + OVERHEAD:
        upload.refused = Refused(
            "too_large", f"The file must be smaller than {limit_bytes // (1024 * 1024)} MB"
        )
        return upload
    parser = PushMultipartParser(boundary, max_segment_count=MAX_FIELDS)
    writer: SpoolWriter | None = None
    name: str | None = None
    text = bytearray()
    try:
        async for chunk in request.stream():
            for event in parser.parse(chunk):
                if isinstance(event, MultipartSegment):
                    name, text = event.name, bytearray()
                    if event.name == file_field and event.filename is not None and upload.refused is None:
                        writer = SpoolWriter(spool_dir, event.filename, limit_bytes)
                elif event is None:  # the end of a part
                    if writer is not None:
                        if writer.size:
                            upload.file = writer.finish()
                        else:
                            writer.abort()  # no file chosen: browsers send an empty part
                        writer = None
                    elif name is not None and name != file_field:
                        upload.fields[name] = text.decode("utf-8", "replace")
                    name = None
                elif writer is not None:
                    try:
                        writer.write(bytes(event))
                    except Refused as refused:
                        upload.refused, writer = refused, None
                elif name is not None and name != file_field:
                    text.extend(event)
                    if len(text) > FIELD_LIMIT:
                        raise ClientException(detail="A field of the form is too long")
        for _ in parser.parse(b""):  # end of input: the parser checks the closing boundary
            pass
    except ParserError as exc:
        _discard(writer, upload)
        raise ClientException(detail="The form could not be read; send it again") from exc
    except BaseException:
        _discard(writer, upload)
        raise
    if not parser.closed:
        _discard(writer, upload)
        raise ClientException(detail="The form arrived incomplete; send it again")
    _check_fields(request, upload)
    return upload


def _discard(writer: SpoolWriter | None, upload: Upload) -> None:
    if writer is not None:
        writer.abort()
    if upload.file is not None:
        upload.file.discard()
        upload.file = None


def _check_fields(request: AnyRequest, upload: Upload) -> None:
    """The checks the page guard makes on other forms: the CSRF token, then no control characters."""
    if not csrf_ok(
        secret_key(request),
        request.cookies.get(CSRF_COOKIE),
        request.cookies.get(COOKIE_NAME),
        upload.fields.get(CSRF_FIELD),
    ):
        _discard(None, upload)
        raise PermissionDeniedException(detail="csrf")
    for key, value in upload.fields.items():
        if control_character(key, multiline=False) or control_character(value, multiline=True):
            _discard(None, upload)
            raise ClientException(detail="A field contains a character that cannot be stored")
