"""Pieces of bench/scale_data.py: invented names, the progress bar and the audit chain.

Names are made from syllables, so none is a real person's; a seeded generator makes the same
data on every run.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.audit import GENESIS_HASH, record_hash

_ONSETS = ("b", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "tr", "st")
_VOWELS = ("a", "e", "i", "o", "u", "ai", "ou", "ei")
_GROUP_WORDS = (
    "Walking",
    "Allotment",
    "Choir",
    "Chess",
    "Youth",
    "Bowls",
    "Book",
    "Gardening",
    "Tenants",
    "Parents",
    "Dance",
    "Craft",
    "History",
    "Cycling",
    "Wellbeing",
    "Lunch",
    "Photography",
)
_GROUP_KINDS = ("Club", "Group", "Society", "Association", "Circle", "Network", "Trust")


class NameMaker:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def word(self, syllables: int = 2) -> str:
        parts = [self.rng.choice(_ONSETS) + self.rng.choice(_VOWELS) for _ in range(syllables)]
        return "".join(parts).capitalize()

    def person(self) -> str:
        return f"{self.word(2)} {self.word(self.rng.choice((2, 3)))}"

    def group(self) -> str:
        return f"{self.word(2)} {self.rng.choice(_GROUP_WORDS)} {self.rng.choice(_GROUP_KINDS)}"


class Progress:
    """A one-line progress bar on stderr: how much is done, and about how long is left."""

    def __init__(self, label: str, total: int) -> None:
        self.label, self.total, self.done = label, total, 0
        self.started = time.perf_counter()

    def advance(self, n: int) -> None:
        self.done += n
        elapsed = time.perf_counter() - self.started
        share = self.done / self.total if self.total else 1.0
        left = elapsed / share - elapsed if share else 0.0
        bar = "#" * int(share * 30)
        sys.stderr.write(
            f"\r{self.label:<10} [{bar:<30}] {share:4.0%} {self.done:>9,}/{self.total:,}"
            f"  {elapsed:5.0f} s, about {left:4.0f} s left "
        )
        if self.done >= self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


class AuditChain:
    """Audit rows continuing each organisation's hash chain (api/audit.py), as `venue-hire audit
    verify` checks it; `heads` holds each organisation's last hash so far."""

    def __init__(self, heads: dict[uuid.UUID, str]) -> None:
        self.heads = heads

    def row(
        self, at: dt.datetime, actor: str, action: str, kind: str, object_id: str, provider: uuid.UUID
    ) -> dict[str, Any]:
        prev = self.heads.get(provider, GENESIS_HASH)
        digest = record_hash(prev, at, actor, action, kind, object_id, None, provider, per_organisation=True)
        row = {
            "at": at,
            "actor": actor,
            "action": action,
            "object_type": kind,
            "object_id": object_id,
            "provider_id": provider,
            "prev_hash": prev,
            "hash": digest,
            "detail": None,
        }
        self.heads[provider] = digest
        return row


async def bulk_insert(session: AsyncSession, model: Any, rows: list[dict[str, Any]]) -> None:
    """Write `rows` of `model`: PostgreSQL's COPY where the engine has it, else multi-row INSERTs.

    COPY skips statement parsing and per-row parameter handling, which is what made the
    PostgreSQL load several times slower than SQLite's. Values go through each column's own bind
    processor (JSON to text, enums to names), so COPY writes what an INSERT would; columns with a
    Python-side default that the rows leave out get it here, as the INSERT would.
    """
    if not rows:
        return
    connection = await session.connection()
    dialect = connection.dialect
    if dialect.name != "postgresql":
        for i in range(0, len(rows), 2_000):
            await session.execute(insert(model), rows[i : i + 2_000])
        return
    table = model.__table__
    given = {key for row in rows for key in row}
    columns = [c for c in table.columns if c.key in given or _python_default(c) is not None]
    makers = []
    for column in columns:
        process = column.type._cached_bind_processor(dialect)  # the INSERT's own conversion
        default = _python_default(column)
        makers.append((column.key, process, default))
    records = []
    for row in rows:
        values = []
        for key, process, default in makers:
            value = row[key] if key in row else (default() if default else None)
            values.append(process(value) if process is not None and value is not None else value)
        records.append(tuple(values))
    await session.execute(select(1))  # begins the transaction the COPY must join
    raw = await connection.get_raw_connection()
    driver = raw.driver_connection
    assert driver is not None
    await driver.copy_records_to_table(table.name, records=records, columns=[c.name for c in columns])


def _python_default(column: Any) -> Callable[[], Any] | None:
    default = column.default
    if default is None or getattr(default, "is_sequence", False) or getattr(default, "is_identity", False):
        return None
    if default.is_callable:
        return lambda: default.arg(None)
    if default.is_scalar:
        return lambda: default.arg
    return None
