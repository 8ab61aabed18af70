"""Which policy applies, and the stored text of every version that has been used."""

from __future__ import annotations

import hashlib
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from policies import Policy, bundled_policy, load_policy_text
from policies.loader import bundled_policy_text
from vetting.errors import Conflict, NotFound
from vetting.models import PolicySnapshot


@lru_cache(maxsize=32)
def _parsed(policy_id: str, text: str) -> tuple[Policy, str]:
    """Parsing and validating a policy costs milliseconds; its text decides the result."""
    return load_policy_text(text, f"{policy_id}.toml"), hashlib.sha256(text.encode()).hexdigest()


# (database URL, policy id, version) already known to be recorded with this text's digest.
_RECORDED: set[tuple[str, str, str, str]] = set()


async def current_policy(session: AsyncSession, policy_id: str) -> Policy:
    """The bundled policy, recording its text the first time this version is used."""
    try:
        text = bundled_policy_text(policy_id)
    except (FileNotFoundError, KeyError, ValueError) as exc:
        raise NotFound(f"no policy {policy_id!r}") from exc
    policy, digest = _parsed(policy_id, text)
    marker = (str(session.get_bind().engine.url), policy.id, str(policy.version), digest)
    if marker in _RECORDED:
        return policy
    existing = (
        await session.execute(
            select(PolicySnapshot).where(
                PolicySnapshot.policy_id == policy.id, PolicySnapshot.version == str(policy.version)
            )
        )
    ).scalar_one_or_none()
    if existing is None:
        try:
            # Two first requests under a new version may race to record it; the loser's savepoint
            # rolls back and the winner's identical row stands.
            async with session.begin_nested():
                session.add(
                    PolicySnapshot(policy_id=policy.id, version=str(policy.version), text=text, sha256=digest)
                )
                await session.flush()
        except IntegrityError:
            existing = (
                await session.execute(
                    select(PolicySnapshot).where(
                        PolicySnapshot.policy_id == policy.id, PolicySnapshot.version == str(policy.version)
                    )
                )
            ).scalar_one()
    if existing is not None and existing.sha256 != digest:
        raise Conflict(
            f"policy {policy.id} version {policy.version} changed without a new version number: "
            "raise `version` in the policy file"
        )
    if existing is not None:
        # Only a row already committed by someone is certain to stay; a row this transaction
        # adds is remembered on the next call, once it can be read back.
        _RECORDED.add(marker)
    return policy


async def policy_version(session: AsyncSession, policy_id: str, version: str) -> Policy:
    """A policy exactly as it was at `version` (for decisions on older cases)."""
    row = (
        await session.execute(
            select(PolicySnapshot).where(
                PolicySnapshot.policy_id == policy_id, PolicySnapshot.version == version
            )
        )
    ).scalar_one_or_none()
    if row is None:
        return bundled_policy(policy_id)
    return _stored_version(row.text, f"{policy_id}@{version}")


@lru_cache(maxsize=64)
def _stored_version(text: str, source: str) -> Policy:
    """A stored policy version parsed once per process: policies are immutable (frozen models) and
    a version's text never changes, while re-screening every upcoming case parsed the same TOML
    thousands of times (a sixth of `rescreen` at three years of data, bench/scale.py). Keyed by
    the text itself, so another database holding other text under the same version is not confused."""
    return load_policy_text(text, source)
