"""An address no route has answers its 404 page in the reader's language (the language middleware
runs on matched routes only), and the staff sign-in page reads in Welsh for a reader who chose it
(issue 18 item 4)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

Client = AsyncTestClient[Litestar]
HTML = {"accept": "text/html"}
TOKEN_RE = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


@pytest.fixture
async def web(app: Litestar) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as c:
        yield c


async def test_an_unknown_address_answers_in_the_chosen_language(web: Client, seeded: dict[str, Any]) -> None:
    chosen = await web.get("/no/such/page?lang=cy", headers=HTML)
    assert chosen.status_code == 404
    assert '<html lang="cy"' in chosen.text and "Heb ddod o hyd i’r dudalen" in chosen.text
    assert "Page not found" not in chosen.text

    english = await web.get("/no/such/page", headers=HTML)
    assert english.status_code == 404 and "Page not found" in english.text

    web.cookies.set("venue_hire_lang", "cy", domain="testserver.local")
    remembered = await web.get("/another/missing/page", headers=HTML)
    assert remembered.status_code == 404 and "Heb ddod o hyd i’r dudalen" in remembered.text
    # The next page a route answers is not left in the 404's language by it, nor the reverse.
    assert '<html lang="en-GB"' in (await web.get("/venues?lang=en")).text
    assert "Page not found" in (await web.get("/missing", headers=HTML)).text

    api = await web.get("/api/v1/no-such-thing?lang=cy")
    assert api.status_code == 404 and api.json()["status_code"] == 404


async def test_the_sign_in_page_in_welsh(web: Client, seeded: dict[str, Any]) -> None:
    page = await web.get("/login?lang=cy")
    assert page.status_code == 200
    assert '<html lang="cy"' in page.text
    for welsh in ("Mewngofnodi", "Ar gyfer swyddogion y cyngor", "Cyfeiriad e-bost", "Cyfrinair", "Parhau"):
        assert welsh in page.text, welsh
    assert "For council officers" not in page.text and ">Password<" not in page.text
    token = TOKEN_RE.search(page.text)
    assert token
    refused = await web.post("/login", data={"csrf_token": token.group(1), "email": "", "password": ""})
    assert refused.status_code == 400
    assert "Rhowch eich cyfeiriad e-bost" in refused.text and "Rhowch eich cyfrinair" in refused.text
    english = await web.get("/login?lang=en")
    assert "For council officers, administrators and venue managers." in english.text
