"""Passwords (ASVS 6.2, appendix C): argon2id at or above the floor, length and block-list rules only."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from argon2.low_level import Type
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.common_passwords import is_common
from api.auth.passwords import MIN_LENGTH, hash_password, needs_rehash, password_problems, verify_password
from api.users import create_user
from tests.factories import make_provider
from vetting.errors import Invalid

# OWASP's argon2id floor, which ASVS appendix C refers to.
FLOOR_MEMORY_KIB, FLOOR_TIME, FLOOR_PARALLELISM = 19_456, 2, 1


def _params(encoded: str) -> dict[str, int]:
    # $argon2id$v=19$m=19456,t=2,p=1$salt$hash
    fields = encoded.split("$")
    return {k: int(v) for k, v in (p.split("=") for p in fields[3].split(","))}


def test_hashes_are_argon2id_with_at_least_the_appendix_c_parameters() -> None:
    encoded = hash_password("a long enough passphrase")
    assert encoded.startswith("$argon2id$")
    params = _params(encoded)
    assert params["m"] >= FLOOR_MEMORY_KIB
    assert params["t"] >= FLOOR_TIME
    assert params["p"] >= FLOOR_PARALLELISM
    assert verify_password(encoded, "a long enough passphrase")
    assert not verify_password(encoded, "a long enough passphrasE")
    assert not verify_password("not a hash", "anything")
    assert hash_password("same input twice") != hash_password("same input twice")  # salted


@pytest.mark.parametrize(
    ("memory", "time_cost", "parallelism", "kind"),
    [
        (8_192, 2, 1, Type.ID),  # less memory
        (19_456, 1, 1, Type.ID),  # fewer passes
        (19_456, 2, 1, Type.I),  # argon2i, not argon2id
    ],
)
def test_weaker_stored_hashes_are_flagged_for_rehash(
    memory: int, time_cost: int, parallelism: int, kind: Type
) -> None:
    weak = PasswordHasher(memory_cost=memory, time_cost=time_cost, parallelism=parallelism, type=kind).hash(
        "pw 123456"
    )
    assert verify_password(weak, "pw 123456")  # still accepted once, so the login can rehash it
    assert needs_rehash(weak)
    assert not needs_rehash(hash_password("pw 123456"))


def test_length_rules_without_composition_rules() -> None:
    assert MIN_LENGTH == 8
    assert password_problems("short12") != []  # 7 characters
    assert password_problems("ab cd ef") == []  # 8 characters, no digits, symbols or capitals needed
    assert password_problems("plainlowercaseletters") == []
    assert password_problems("x" * 64 + "y" * 36) == []  # at least 64 (here 100) characters allowed
    assert password_problems("ünïcödé pässphrase ☂") == []


@pytest.mark.parametrize(
    "common", ["password", "Password1", "qwertyuiop", "iloveyou", "123456789", "letmein123"]
)
def test_common_passwords_are_refused(common: str) -> None:
    if not is_common(common):
        pytest.skip(f"{common!r} is not in the shipped list")
    assert any("common" in p for p in password_problems(common))


def test_the_shipped_list_is_substantial_and_blocks_the_obvious() -> None:
    assert is_common("password") and is_common("PASSWORD") and is_common("12345678")
    assert not is_common("correct horse battery staple")


def test_the_councils_own_words_are_refused() -> None:
    words = ("harrowmere", "borough", "council")
    assert password_problems("harrowmere2024!", context_words=words) != []
    assert password_problems("MyHarrowmereLogin", context_words=words) != []
    assert password_problems("a quiet unrelated phrase", context_words=words) == []


async def test_accounts_cannot_be_created_with_weak_or_service_passwords(session: AsyncSession) -> None:
    council = await make_provider(session)
    for password in ("short", "password", "venuehire2024", "jo.officer99"):
        with pytest.raises(Invalid) as exc:
            await create_user(
                session,
                email="jo.officer99@testshire.example",
                name="Jo",
                role="officer",
                password=password,
                council_words=("testshire",),
            )
        assert "password" in exc.value.errors
    user = await create_user(
        session,
        email="jo.officer99@testshire.example",
        name="Jo",
        role="officer",
        password="x" * 64 + " long passphrases are welcome",
        council_words=("testshire",),
        provider_id=council.id,
    )
    assert user.password_hash.startswith("$argon2id$")
    assert "long passphrases" not in user.password_hash
