"""The entries a reach may read are kept as a compact sorted array (vetting/screener_cache.py):
membership is exact, and 100,000 ids take under 2 MB (a frozenset of their strings took 12 MB in
every worker, for each reach kept)."""

from __future__ import annotations

import uuid

from vetting.screener_cache import EntryIds


def test_membership_is_exact() -> None:
    ids = [uuid.uuid4() for _ in range(1000)]
    allowed = EntryIds(ids[:500])
    assert len(allowed) == 500
    assert all(str(i) in allowed for i in ids[:500])
    assert not any(str(i) in allowed for i in ids[500:])
    assert "not an id" not in allowed
    assert str(uuid.uuid4()) not in EntryIds([])
    # Halves that end in zero bytes, and ids that share their first half, are told apart.
    edge = [uuid.UUID(int=1 << 64), uuid.UUID(int=(1 << 64) + 1), uuid.UUID(int=5)]
    assert [str(i) in EntryIds(edge[:2]) for i in edge] == [True, True, False]


def test_a_hundred_thousand_ids_take_under_two_megabytes() -> None:
    allowed = EntryIds(uuid.uuid4() for _ in range(100_000))
    assert allowed.nbytes <= 2 * 2**20
