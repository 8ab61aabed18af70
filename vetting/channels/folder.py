"""Email written as .eml files to a folder: the default when no SMTP server is configured."""

from __future__ import annotations

from pathlib import Path

from vetting.channels.base import TemporaryFailure
from vetting.channels.mime import email_message
from vetting.notify import Mail


class FolderChannel:
    def __init__(self, folder: Path, sender: str) -> None:
        self.folder, self.sender = folder, sender

    def deliver(self, mail: Mail) -> str | None:
        msg = email_message(mail, self.sender)
        ident = str(msg["Message-ID"]).strip("<>").partition("@")[0]
        # Named after the outbox row: delivering a row again overwrites its file, never adds one.
        path = self.folder / f"{ident}.eml"
        partial = path.with_suffix(".part")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # Written under another name and renamed: whoever reads the folder never sees half a file.
            partial.write_bytes(msg.as_bytes())
            partial.replace(path)
        except OSError as exc:
            raise TemporaryFailure(f"folder {type(exc).__name__}") from None
        return str(msg["Message-ID"])
