"""Password hashing with argon2id (OWASP / ASVS appendix C parameters) and password rules."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# OWASP's argon2id recommendation (m=19 MiB, t=2, p=1) is the floor ASVS appendix C points to.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1, hash_len=32, salt_len=16)

MIN_LENGTH = 8
MAX_LENGTH = 128


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the stored hash used weaker parameters than today's; rehash on next login."""
    return _HASHER.check_needs_rehash(password_hash)


def password_problems(password: str, *, context_words: tuple[str, ...] = ()) -> list[str]:
    """Length and block-list rules only: no composition rules (ASVS 6.2)."""
    from api.auth.common_passwords import is_common

    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(f"must be at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        problems.append(f"must be at most {MAX_LENGTH} characters")
    lowered = password.lower()
    if is_common(lowered):
        problems.append("is too common; choose a longer phrase")
    for word in context_words:
        if word and len(word) >= 4 and word.lower() in lowered:
            problems.append("must not contain the council's or the service's name")
            break
    return problems
