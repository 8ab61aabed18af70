"""The one exception every importer raises for a file it cannot accept."""

from __future__ import annotations


class FlaggedListFormatError(Exception):
    """A flagged-list file was rejected; nothing from it may be imported.

    ``line`` is the 1-based line of the file where the problem starts (``None`` when the
    problem is with the file as a whole); ``file`` names the member of an archive, if any.
    """

    def __init__(self, line: int | None, problem: str, *, file: str | None = None) -> None:
        self.line = line
        self.problem = problem
        self.file = file
        super().__init__(self._message())

    def _message(self) -> str:
        where = " ".join(part for part in (self.file, f"line {self.line}" if self.line else None) if part)
        return f"{where}: {self.problem}" if where else self.problem
