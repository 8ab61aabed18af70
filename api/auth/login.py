"""Staff sign-in: password, then a time-based one-time code (TOTP).

Every staff role (officers, admins and venue managers, who can create feeds carrying hirers'
contact details) must use a second factor, set up at the first sign-in. Throttling is in
api/auth/throttle.py.
"""

from __future__ import annotations

import datetime as dt

import pyotp
from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.passwords import hash_password, needs_rehash, verify_password
from api.models import User

MFA_REQUIRED_ROLES = ("officer", "admin", "venue_manager")
TOTP_ISSUER = "Venue hire"
# A hash to verify against when the email is unknown, so both paths take the same time.
_DUMMY_HASH = hash_password("not-a-real-password-only-for-timing")


async def check_password(session: AsyncSession, email: str, password: str) -> User | None:
    """The active user with this email and password, or None; upgrades a weak hash on success."""
    user = (
        await session.execute(select(User).where(User.email == email.strip().lower()))
    ).scalar_one_or_none()
    if user is None or not user.active:
        verify_password(_DUMMY_HASH, password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        await session.flush()
    return user


def needs_second_factor(user: User) -> bool:
    return user.role in MFA_REQUIRED_ROLES or user.totp_secret is not None


def must_enrol(user: User) -> bool:
    return user.role in MFA_REQUIRED_ROLES and user.totp_secret is None


def new_totp_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=TOTP_ISSUER)


def verify_totp(
    secret: str, code: str, *, last_step: int | None = None, now: dt.datetime | None = None
) -> int | None:
    """The time step the code belongs to when valid (one step of clock drift allowed), else None.

    A code at or before `last_step` is refused, so a code seen over someone's shoulder cannot be
    replayed within its 30 seconds.
    """
    digits = "".join(ch for ch in code if ch.isdigit())
    if len(digits) != 6:
        return None
    totp = pyotp.TOTP(secret)
    at = now or dt.datetime.now(dt.UTC)
    step_now = int(at.timestamp()) // totp.interval
    for offset in (0, -1, 1):
        step = step_now + offset
        if last_step is not None and step <= last_step:
            continue
        if totp.verify(digits, for_time=step * totp.interval, valid_window=0):
            return step
    return None


async def claim_totp_step(session: AsyncSession, user: User, step: int) -> bool:
    """Record ``step`` as the user's last accepted one, unless that step (or a later one) was
    already used: one conditional UPDATE, so two processes given the same code cannot both
    accept it."""
    claimed = await session.execute(
        update(User)
        .where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(claimed, "rowcount", 0) == 1)
