"""The published lists as they really come, through the officer import page, the API and the CLI,
on both engines: OFAC's three files at once, a UK list with a bad row (named, or skipped and
listed), and a low-quality alias that refers a request with a lowered, explained score."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.api.test_cli import run
from tests.factories import application_payload, bearer, next_weekday
from tests.vetting.test_importers_helpers import SAMPLES, sample, uk_csv, uk_row

Client = AsyncTestClient[Litestar]
TOKEN_RE = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')
BLOB_RE = re.compile(r'name="blob" value="([^"]+)"')
OFAC_FILES = ("sdn.csv", "alt.csv", "sdn_comments.csv")


@pytest.fixture
async def web(app: Litestar) -> AsyncIterator[Client]:
    # Secure cookies (the CSRF cookie) are only sent over https.
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as c:
        yield c


async def _preview(
    web: Client, officer: dict[str, str], fmt: str, files: list[tuple[str, bytes]], **extra: str
) -> Any:
    page = await web.get("/officer/flagged/import", headers=officer)
    token = TOKEN_RE.search(page.text)
    assert token
    return await web.post(
        "/officer/flagged/import",
        headers=officer,
        data={"format": fmt, "csrf_token": token.group(1), **extra},
        files=[("file", (name, content, "text/csv")) for name, content in files],
    )


async def _confirm(web: Client, officer: dict[str, str], preview: Any) -> Any:
    blob, token = BLOB_RE.search(preview.text), TOKEN_RE.search(preview.text)
    assert blob and token
    return await web.post(
        "/officer/flagged/import/confirm",
        headers=officer,
        data={"blob": blob.group(1), "csrf_token": token.group(1)},
    )


def _bad_uk_list() -> bytes:
    return uk_csv(
        uk_row("A1", "EXAMPLOV", "Ivan"),
        {**uk_row("B2", "SECONDOV", "Pyotr"), "Date Designated": "31/02/2027"},
        uk_row("C3", "THIRDOV", "Pavel"),
    )


async def test_ofac_s_three_files_are_uploaded_together_and_weak_akas_listed_as_low_quality(
    web: Client, seeded: dict[str, Any]
) -> None:
    officer = bearer(seeded["officer_token"])
    alone = await _preview(web, officer, "ofac-sdn-csv", [("SDN.CSV", sample("ofac/sdn.csv"))])
    assert alone.status_code == 400
    assert "alt.csv and sdn_comments.csv are missing" in alone.text

    files = [(name.upper(), sample(f"ofac/{name}")) for name in OFAC_FILES]
    preview = await _preview(web, officer, "ofac-sdn-csv", files)
    assert preview.status_code == 200, preview.text
    assert "The file has 5 entries" in preview.text
    done = await _confirm(web, officer, preview)
    assert done.status_code == 200, done.text
    listed = (await web.get("/api/v1/flagged-entries?q=AL-BAYAN", headers=officer)).json()
    assert [(e["aliases"], e["weak_aliases"]) for e in listed] == [
        (["BAYAN RELIEF SOCIETY", "JAMIYAT AL-BAYAN AL-KHAYRIYYA"], ["BAYAN AID", "AL BAYAN"])
    ]
    page = await web.get("/officer/flagged?q=AL-BAYAN", headers=officer)
    assert "Low-quality aliases (screened with a lower weight): BAYAN AID, AL BAYAN" in page.text


async def test_a_bad_row_is_named_or_skipped_and_listed_on_the_import_page(
    web: Client, seeded: dict[str, Any]
) -> None:
    officer = bearer(seeded["officer_token"])
    refused = await _preview(web, officer, "uk-sanctions-csv", [("UK_Sanctions_List.csv", _bad_uk_list())])
    assert refused.status_code == 400
    assert (
        "UK_Sanctions_List.csv line 4: Date Designated &#39;31/02/2027&#39; is not a real date"
        in refused.text
    )

    preview = await _preview(
        web, officer, "uk-sanctions-csv", [("UK_Sanctions_List.csv", _bad_uk_list())], skip_bad_rows="yes"
    )
    assert preview.status_code == 200, preview.text
    skipped = preview.text[preview.text.index('id="skipped-rows"') :].split("</ul>")[0]
    assert "line 4: Date Designated" in skipped
    done = await _confirm(web, officer, preview)
    assert done.status_code == 200, done.text
    assert "line 4: Date Designated" in done.text
    names = {e["name"] for e in (await web.get("/api/v1/flagged-entries", headers=officer)).json()}
    assert names == {"Ivan EXAMPLOV", "Pavel THIRDOV"}


async def test_a_request_naming_a_low_quality_alias_is_referred_with_the_alias_explained(
    client: Client, seeded: dict[str, Any]
) -> None:
    officer = bearer(seeded["officer_token"])
    data = uk_csv(
        {**uk_row("E1", "QUILLBANK RELIEF FOUNDATION", ""), "Designation Type": "Entity"},
        {
            **uk_row("E1", "LANTERN AID COLLECTIVE", ""),
            "Designation Type": "Entity",
            "Name type": "Alias",
            "Alias strength": "Low quality a.k.a",
        },
    )
    imported = await client.post(
        "/api/v1/flagged-entries/import?format=uk-sanctions-csv", content=data, headers=officer
    )
    assert imported.status_code == 200, imported.text
    assert imported.json()["added"] == 1
    created = await client.post(
        "/api/v1/applications",
        json=application_payload(
            seeded["hall_a"].id, next_weekday(3, weeks_ahead=5), organisation="Lantern Aid Collective"
        ),
    )
    assert created.status_code == 201, created.text
    case = (await client.get(f"/api/v1/applications/{created.json()['id']}", headers=officer)).json()
    (match,) = [m for m in case["screening"] if m["query_name"] == "Lantern Aid Collective"]
    assert match["score"] == 90.0
    assert "an alias the list marks as low quality (score 90, lowered from 100" in match["explanation"]


async def test_the_api_import_skips_bad_rows_when_asked_and_lists_them(
    client: Client, seeded: dict[str, Any]
) -> None:
    officer = bearer(seeded["officer_token"])
    url = "/api/v1/flagged-entries/import?format=uk-sanctions-csv"
    refused = await client.post(url, content=_bad_uk_list(), headers=officer)
    assert refused.status_code == 422
    assert "line 4: Date Designated '31/02/2027' is not a real date" in refused.json()["errors"]["file"]
    done = await client.post(f"{url}&skip_bad_rows=true", content=_bad_uk_list(), headers=officer)
    assert done.status_code == 200, done.text
    assert (done.json()["added"], done.json()["skipped"]) == (
        2,
        ["line 4: Date Designated '31/02/2027' is not a real date"],
    )


def test_the_cli_reads_ofac_s_folder_refuses_sdn_csv_alone_and_skips_bad_rows_when_asked(
    db_url: str, cli_env: dict[str, str], tmp_path: Path
) -> None:
    env = {**cli_env, "VENUE_HIRE_DATABASE_URL": db_url}
    alone = run(env, "flagged", "import", str(SAMPLES / "ofac" / "sdn.csv"), "--format", "ofac-sdn-csv")
    assert alone.returncode != 0
    assert "alt.csv and sdn_comments.csv are missing" in alone.stderr
    assert "Traceback" not in alone.stderr

    folder = tmp_path / "ofac"
    folder.mkdir()
    for name in OFAC_FILES:
        (folder / name.upper()).write_bytes(sample(f"ofac/{name}"))
    done = run(env, "flagged", "import", str(folder), "--format", "ofac-sdn-csv")
    assert done.returncode == 0, done.stderr
    assert "5 entries read" in done.stdout
    assert "added 5" in done.stdout

    uk = tmp_path / "UK_Sanctions_List.csv"
    uk.write_bytes(_bad_uk_list())
    refused = run(env, "flagged", "import", str(uk), "--format", "uk-sanctions-csv")
    assert refused.returncode != 0
    assert "UK_Sanctions_List.csv line 4: Date Designated '31/02/2027' is not a real date" in refused.stderr
    assert "--skip-bad-rows imports the rest" in refused.stderr
    skipped = run(env, "flagged", "import", str(uk), "--format", "uk-sanctions-csv", "--skip-bad-rows")
    assert skipped.returncode == 0, skipped.stderr
    assert "1 row skipped because it cannot be read:" in skipped.stdout
    assert "line 4: Date Designated '31/02/2027' is not a real date" in skipped.stdout
    assert "added 2" in skipped.stdout
