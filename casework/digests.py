"""Scheduled job: each member of staff who chose the daily digest for some alerts gets them as one
`digest` message at their chosen time (UK local time), once a day.

The day's digest is claimed by its key (user and local date) before it is sent, so a second run
or a second process sends nothing; alerts arriving after it wait for the next day's.
"""

from __future__ import annotations

import datetime as dt
from uuid import UUID
from zoneinfo import ZoneInfo

from advanced_alchemy.types import GUID
from sqlalchemy import String, bindparam, column, select, text, update

from casework.alert_models import AlertDigestTime, DigestItem
from casework.alert_preferences import DEFAULT_DIGEST_AT
from casework.deps import CaseDeps
from casework.messages import Message, compose, sender_of
from casework.notice_claims import claim
from vetting.notify import Mail, send_after_commit

UK = ZoneInfo("Europe/London")
_STAFF = (
    text("SELECT id, email FROM app_user WHERE id IN :ids AND active = :active")
    .bindparams(bindparam("ids", type_=GUID, expanding=True))
    .columns(column("id", GUID), column("email", String))
)


def digest_key(user_id: UUID, day: dt.date) -> str:
    return f"digest:{user_id}:{day.isoformat()}"


async def send_digests(deps: CaseDeps, now: dt.datetime) -> int:
    """Job: send the digests whose time has come today; returns how many were sent."""
    session = deps.session
    local_now = now.astimezone(UK)
    pending = await session.execute(
        select(DigestItem.user_id, DigestItem.provider_id)
        .where(DigestItem.sent_at.is_(None), DigestItem.created_at <= now)
        .distinct()
    )
    providers = dict(pending.tuples().all())
    if not providers:
        return 0
    chosen_times = dict(
        (
            await session.execute(
                select(AlertDigestTime.user_id, AlertDigestTime.digest_at).where(
                    AlertDigestTime.user_id.in_(list(providers))
                )
            )
        )
        .tuples()
        .all()
    )
    due = [
        user_id for user_id in providers if local_now.time() >= chosen_times.get(user_id, DEFAULT_DIGEST_AT)
    ]
    claimed = await claim(session, [digest_key(u, local_now.date()) for u in due], now)
    due = [u for u in due if digest_key(u, local_now.date()) in claimed]
    if not due:
        return 0
    emails = dict((await session.execute(_STAFF, {"ids": due, "active": True})).tuples().all())
    sent = 0
    for user_id in due:
        items = (
            (
                await session.execute(
                    select(DigestItem.id, DigestItem.line)
                    .where(
                        DigestItem.user_id == user_id,
                        DigestItem.sent_at.is_(None),
                        DigestItem.created_at <= now,
                    )
                    .order_by(DigestItem.created_at)
                )
            )
            .tuples()
            .all()
        )
        await session.execute(
            update(DigestItem)
            .where(DigestItem.id.in_([i for i, _ in items]), DigestItem.sent_at.is_(None))
            .values(sent_at=now)
            .execution_options(synchronize_session=False)
        )
        email = emails.get(user_id)
        if email is None or not items:
            continue  # a disabled account: its alerts are dropped with the day's digest
        sender = await sender_of(deps, providers[user_id])
        fields = {
            "organisation": sender.organisation,
            "items": "\n".join(f"- {line}" for _, line in items),
            "count": str(len(items)),
        }
        rendered = compose(Message("digest", fields), sender.templates)
        key = digest_key(user_id, local_now.date())
        mail = Mail(
            to=email,
            subject=rendered.subject,
            body=rendered.text,
            html=rendered.html,
            template="digest",
            provider_id=providers[user_id],
            audience="staff",
            dedupe_key=key,
        )
        send_after_commit(session, deps.mailer, mail)
        sent += 1
    return sent
