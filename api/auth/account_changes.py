"""Changing what signs a person in (password, second factor) from a signed-in session.

A session alone is not enough: a stolen session cookie must not become lasting control of the
account. So each change asks again for the current password and a current code
(re-authentication), then ends every other session of the account, in the database table and in
the Redis store alike, and tells the account's email address what changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.login import claim_totp_step, verify_totp
from api.auth.passwords import hash_password, password_problems, verify_password
from api.models import User, WebSession
from api.web.session_store import DatabaseSessionStore, SessionStore
from vetting.notify import Mail, Mailer, send_after_commit

CODE_WRONG = "The code is not right. Enter the code your app shows now"
WHAT = {
    "password": "password",
    "second_factor": "security code (second factor)",
    "email": "email address",
}


@dataclass
class Reauthentication:
    errors: dict[str, str]
    step: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def reauthenticate(user: User, password: str, code: str) -> Reauthentication:
    """Check the current password and, when the account has one, a current code (not yet used).

    The code's time step is claimed later, with `claim_step`, once the whole change is valid.
    """
    errors: dict[str, str] = {}
    if not password:
        errors["current-password"] = "Enter your current password"  # a message
    elif not verify_password(user.password_hash, password):
        errors["current-password"] = "Your current password is not right"  # a message
    step: int | None = None
    if user.totp_secret is not None:
        if not code.strip():
            errors["current-code"] = "Enter the 6-digit code your app shows now"
        else:
            step = verify_totp(user.totp_secret, code, last_step=user.totp_last_step)
            if step is None:
                errors["current-code"] = CODE_WRONG
    return Reauthentication(errors, step)


async def claim_step(session: AsyncSession, user: User, step: int | None) -> bool:
    """Use up the code's time step (so the same code cannot be given twice); True when no code."""
    return step is None or await claim_totp_step(session, user, step)


def new_password_problems(user: User, password: str, council_words: tuple[str, ...]) -> list[str]:
    problems = password_problems(
        password, context_words=(*council_words, "venue", "hire", user.email.split("@")[0])
    )
    if not problems and verify_password(user.password_hash, password):
        problems.append("must be different from your current password")
    return problems


async def end_all_sessions(session: AsyncSession, store: SessionStore, user: User) -> None:
    """Every browser session of the account, in both stores (the caller starts a fresh one)."""
    await session.execute(delete(WebSession).where(WebSession.user_id == user.id))
    if not isinstance(store, DatabaseSessionStore):
        await store.delete_for_user(user.id)
    await session.flush()


def set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)


def notice(user: User, change: str, *, council_name: str, at: dt.datetime | None = None) -> Mail:
    at = at or dt.datetime.now(dt.UTC)
    what = WHAT[change]
    return Mail(
        to=user.email,
        subject=f"Your {what} for booking council rooms was changed",
        body=(
            f"Hello {user.name},\n\n"
            f"The {what} of your staff account ({user.email}) on {council_name}'s room booking "
            f"service was changed on {at:%d %B %Y at %H:%M} UTC.\n\n"
            "Every other place where you were signed in has been signed out.\n\n"
            "If you did not make this change, tell your administrator straight away: someone "
            "else may be able to sign in as you.\n"
        ),
        template="account_changed",
        provider_id=user.provider_id,  # its organisation's administrators see it on /admin/outbox
        audience="staff",
    )


def send_notice(session: AsyncSession, mailer: Mailer, mail: Mail) -> None:
    """Sent once the change is committed, and never if it is rolled back."""
    send_after_commit(session, mailer, mail)
