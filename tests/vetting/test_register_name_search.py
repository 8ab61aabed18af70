"""Look-up by name in the local register copy: typing slips, a word too many, other names, refresh."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from tests.registers_data import charity_name
from vetting.registers import charity_commission
from vetting.registers.load import load_table
from vetting.registers.name_search import NameIndex, charity_name_index
from vetting.registers.tables import table_named

SAMPLES = Path(__file__).parent / "samples" / "registers"
NOW = dt.datetime(2026, 12, 6, 9, 0, tzinfo=dt.UTC)


def _index(count: int = 20_000) -> NameIndex:
    return NameIndex((str(200_000 + i), charity_name(i)) for i in range(count))


def test_a_name_with_a_typing_slip_finds_the_charity_first() -> None:
    index = _index()
    wanted = charity_name(12_345)  # "Langley Chess Association Benevolent Fund" or the like
    slipped = wanted.replace(wanted.split()[1], wanted.split()[1][0] + wanted.split()[1][2:])
    hits = index.search(slipped.upper())
    assert hits and hits[0].key == "212345", (slipped, hits)
    assert hits[0].name == wanted
    assert index.search(wanted)[0].score == 100.0


def test_a_word_the_register_does_not_hold_still_finds_the_name() -> None:
    index = NameIndex(
        [("1", "Lantern Hall Community Trust"), ("2", "Lantern Meadow Trust"), ("3", "Copper Hall")]
    )
    hits = index.search("The Lantern Hall Community Trust Testtown")
    assert [h.key for h in hits][:1] == ["1"]
    assert index.search("Quibbleworth Zephyr") == []  # no telling word in common: nothing


def test_common_words_alone_score_a_bounded_number_of_names() -> None:
    index = _index()
    assert len(index.search("The Trust", cutoff=0, limit=50_000)) <= 3_000
    assert len(index.score_all("Ashbrook Hospice Trust", cutoff=100)) == len(
        index.search("Ashbrook Hospice Trust", cutoff=100)
    )


async def _load(session: AsyncSession, name: str) -> None:
    with (SAMPLES / name).open(encoding="utf-8-sig", newline="") as stream:
        table, rows, dates = charity_commission.read_extract_file(stream, name)
        await load_table(
            session,
            table_named(table),
            rows,
            register=charity_commission.REGISTER,
            file_name=name,
            extract_date=None,
            now=NOW,
            dates_found=dates,
        )
    await session.commit()


async def test_the_local_copy_is_searched_by_name_and_other_names_and_refreshed(
    session: AsyncSession,
) -> None:
    await _load(session, "publicextract.charity.json")
    index = await charity_name_index(session)
    assert index.search("Lantern Hall Comunity Trust")[0].key == "1190001"
    assert index.search("Testtown Lantern Society") == []  # other names not imported yet
    await _load(session, "publicextract.charity_other_names.json")
    refreshed = await charity_name_index(session)
    assert refreshed is not index
    hit = refreshed.search("Testown Lantern Society")[0]
    assert (hit.key, hit.name) == ("1190001", "Testtown Lantern Society")
    assert await charity_name_index(session) is refreshed  # kept while the copy is unchanged
