"""Writing messages to the outbox in the caller's transaction, and waking deliverers after it.

`queue_mail` keeps the message on the session; just before the session commits, every message it
kept is inserted in one statement (insert-or-ignore on ``dedupe_key``, so a message whose key is
already in the outbox is not written again, whoever wrote it first). A rollback drops them. After
the commit every registered waker is called: the embedded deliverer's (api/outbox_runtime.py)
sets its event, the worker mode's puts a wake-up on the queue.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
import uuid
from collections.abc import Callable
from typing import Any, cast

import structlog
from sqlalchemy import Table, TextClause, event, insert
from sqlalchemy.orm import Session

from vetting import direct_sql
from vetting.insert_or_ignore import insert_or_ignore
from vetting.mail import Mail
from vetting.outbox_models import PENDING, OutboxMessage

_PENDING_KEY = "venue_hire_outbox_pending"
_WROTE_KEY = "venue_hire_outbox_wrote"

Waker = Callable[[], None]
_wakers: set[Waker] = set()
_wakers_lock = threading.Lock()


def add_waker(waker: Waker) -> None:
    """Call `waker` after every commit that wrote messages (from the committing thread)."""
    with _wakers_lock:
        _wakers.add(waker)


def remove_waker(waker: Waker) -> None:
    with _wakers_lock:
        _wakers.discard(waker)


def queue_mail(session: Any, mail: Mail) -> None:
    sync: Session = getattr(session, "sync_session", session)
    if sync.get_transaction() is None:
        # Begin the transaction the message belongs to (no connection is taken yet): without
        # one, a rollback fires no event and the message would wait for the next commit.
        sync.begin()
    sync.info.setdefault(_PENDING_KEY, []).append(mail)


def row_of(mail: Mail, now: dt.datetime) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "provider_id": mail.provider_id,
        "case_id": mail.case_id,
        "to_address": mail.to,
        "subject": mail.subject,
        "body": mail.body,
        "html": mail.html,
        "channel": mail.channel,
        "template": mail.template,
        "audience": mail.audience,
        "dedupe_key": mail.dedupe_key,
        "status": PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        "updated_at": now,
    }


_OUTBOX_COLUMNS = (
    "id", "provider_id", "case_id", "to_address", "subject", "body", "html", "channel", "template",
    "audience", "dedupe_key", "status", "attempts", "next_attempt_at", "created_at", "updated_at",
)  # fmt: skip


@functools.cache
def _insert_or_ignore() -> TextClause:
    # Built on first use, not at import: a foreign key column takes its type from the column it
    # refers to, which is known only once that table is defined (`case_id` was typeless here and
    # SQLite was handed a bare UUID).
    return insert_or_ignore(
        cast(Table, OutboxMessage.__table__), ["dedupe_key"], {c: c for c in _OUTBOX_COLUMNS}
    )


def insert_ignoring_duplicates(dialect: str) -> Any:
    """INSERT ... ON CONFLICT (dedupe_key) DO NOTHING, in the dialect of the session's database."""
    if dialect in ("postgresql", "sqlite"):
        return _insert_or_ignore()
    return insert(cast(Table, OutboxMessage.__table__))


def _write_pending(session: Session) -> None:
    pending: list[Mail] = session.info.pop(_PENDING_KEY, [])
    if not pending:
        return
    # before_commit comes before the commit's own flush: the case a message is about must be in
    # the database before the message's foreign key points at it.
    session.flush()
    now = dt.datetime.now(dt.UTC)
    # Two messages with one key in the same transaction: the first one stands, as across commits.
    rows, keys = [], set()
    for mail in pending:
        if mail.dedupe_key is not None:
            if mail.dedupe_key in keys:
                continue
            keys.add(mail.dedupe_key)
        rows.append(row_of(mail, now))
    direct_sql.run_many_in_hook(session, insert_ignoring_duplicates(session.get_bind().dialect.name), rows)
    session.info[_WROTE_KEY] = True


def _wake(session: Session) -> None:
    if not session.info.pop(_WROTE_KEY, False):
        return
    with _wakers_lock:
        wakers = list(_wakers)
    for waker in wakers:
        try:
            waker()
        except Exception as exc:  # a waker that fails leaves the message for the next sweep
            structlog.get_logger("venue_hire.outbox").warning("outbox.wake_failed", error=type(exc).__name__)


def _drop_pending(session: Session, previous_transaction: Any) -> None:
    if previous_transaction.parent is None:  # only the outermost transaction decides
        session.info.pop(_PENDING_KEY, None)
        session.info.pop(_WROTE_KEY, None)


event.listen(Session, "before_commit", _write_pending)
event.listen(Session, "after_commit", _wake)
event.listen(Session, "after_soft_rollback", _drop_pending)


def mark_written(session: Any) -> None:
    """Wake the deliverers after this session commits (a message was put back in the queue)."""
    sync: Session = getattr(session, "sync_session", session)
    sync.info[_WROTE_KEY] = True
