"""The oversight page: the lead council's officers see each partner's numbers; no one else sees it."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests import factories as f
from tests.orgs.test_oversight_and_messages import PRIVATE, _partnership
from tests.web.sign_in import Client, sign_in_as


@pytest.fixture
async def web(app: Litestar) -> AsyncIterator[Client]:
    # https: the session cookie is Secure.
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as c:
        yield c


def _table(html: str, table_id: str) -> dict[str, dict[str, str]]:
    """One of the page's tables: partner -> column heading -> cell, as the page shows them."""
    found = re.search(rf'<table class="table" id="{table_id}">(.*?)</table>', html, re.S)
    assert found, f"no table {table_id}"
    headings = [h.strip() for h in re.findall(r'<th scope="col"[^>]*>(.*?)</th>', found.group(1), re.S)][1:]
    rows = re.findall(r'<tr>\s*<th scope="row">(.*?)</th>(.*?)</tr>', found.group(1), re.S)
    return {
        name: dict(
            zip(headings, (c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)), strict=True)
        )
        for name, cells in rows
    }


async def test_lead_councils_officer_sees_each_partners_numbers_and_nothing_personal(
    web: Client, session: AsyncSession
) -> None:
    data = await _partnership(session)
    for owner, count in (("Testvale Hall Trust", 6), ("Testshire County Council", 2)):
        for k in range(count):
            body = f.application_payload(data["rooms"][owner].id, f.next_weekday(3, weeks_ahead=3 + k))
            assert (await web.post("/api/v1/applications", json=body)).status_code == 201
    await sign_in_as(web, session, data["lead_officer"])

    page = await web.get("/officer/oversight")
    assert page.status_code == 200, page.text[:2000]
    assert "Partnership oversight" in page.text and "Testshire County Council" in page.text
    requests = _table(page.text, "oversight-requests")
    assert set(requests) == {"Testshire County Council (lead)", "Testvale Hall Trust"}
    assert requests["Testvale Hall Trust"] == {
        "Requests": "6",
        "Referred by screening": "0%",
        "Median days to decision": "–",  # nothing decided yet
    }
    # Two requests: below the threshold, shown as "<5" and with no rates.
    assert requests["Testshire County Council (lead)"] == {
        "Requests": '<span title="fewer than 5">&lt;5</span>',
        "Referred by screening": "–",
        "Median days to decision": "–",
    }
    statuses = _table(page.text, "oversight-statuses")
    assert statuses["Testvale Hall Trust"]["Being reviewed"] == "6"
    assert set(statuses["Testvale Hall Trust"].values()) == {"6", "0"}
    outcomes = _table(page.text, "oversight-outcomes")
    assert set(outcomes["Testvale Hall Trust"].values()) == {"0"}
    assert (
        "Refused" in outcomes["Testvale Hall Trust"] and "Appeals upheld" in outcomes["Testvale Hall Trust"]
    )
    for private in PRIVATE:
        assert private not in page.text

    # A period with nothing in it shows zeros; a malformed date is a form error, not a crash.
    empty = await web.get("/officer/oversight", params={"start": "2020-01-01", "end": "2020-12-31"})
    assert (
        empty.status_code == 200
        and _table(empty.text, "oversight-requests")["Testvale Hall Trust"]["Requests"] == "0"
    )
    bad = await web.get("/officer/oversight", params={"start": "31/01/2027", "end": "2020-01-01"})
    assert bad.status_code == 400
    assert "Enter the first date like 2027-01-31" in bad.text and "<table" not in bad.text
    backwards = await web.get("/officer/oversight", params={"start": "2021-01-01", "end": "2020-12-31"})
    assert backwards.status_code == 400 and "The last date" in backwards.text


# A venue manager is refused by role (403), as on every officer page; officers of organisations
# that lead no partnership learn nothing from the answer (404).
@pytest.mark.parametrize(("who", "status"), [("partner_officer", 404), ("outsider", 404), ("manager", 403)])
async def test_no_one_else_sees_it(web: Client, session: AsyncSession, who: str, status: int) -> None:
    data = await _partnership(session)
    if who == "outsider":
        outsider = await f.make_provider(session, "Elsewhere Council")
        actor, _ = await f.make_staff(session, "officer", provider=outsider)
    elif who == "manager":
        room = data["rooms"]["Testshire County Council"]
        actor, _ = await f.make_staff(session, "venue_manager", venue_ids=[room.venue_id])
    else:
        actor = data[who]
    await session.commit()
    await sign_in_as(web, session, actor)
    assert (await web.get("/officer/oversight")).status_code == status
