"""Room photos (issue 18, item 2): resized and written without their metadata; only
administrators add them; the public directory shows them with their description."""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from PIL import Image

from tests import factories as f
from venues.photos import prepare_photo
from vetting.errors import Invalid

Client = AsyncTestClient[Litestar]
TOKEN_RE = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')
GPS_IFD = 0x8825


def camera_photo(width: int = 3000, height: int = 2000) -> bytes:
    """A JPEG as a phone writes it: with the camera's make and a GPS position in its EXIF."""
    image = Image.new("RGB", (width, height), (40, 120, 60))
    exif = Image.Exif()
    exif[0x010F] = "Testcam"  # Make
    exif[0x0131] = "Testcam firmware 1.0"  # Software
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)})
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, comment=b"taken at 1 Test Street")
    return out.getvalue()


def test_a_photo_is_resized_and_keeps_nothing_the_camera_recorded() -> None:
    original = camera_photo()
    assert b"Testcam" in original and Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)
    content, width, height = prepare_photo(original)
    assert (width, height) == (1200, 800)
    cleaned = Image.open(io.BytesIO(content))
    assert cleaned.format == "JPEG" and cleaned.size == (1200, 800)
    assert not cleaned.getexif() and "exif" not in cleaned.info and "comment" not in cleaned.info
    assert b"Testcam" not in content and b"Test Street" not in content


def test_a_photo_taken_sideways_is_turned_upright() -> None:
    image = Image.new("RGB", (400, 200))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90 degrees to show
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    _, width, height = prepare_photo(out.getvalue())
    assert (width, height) == (200, 400)


@pytest.mark.parametrize("data", [b"", b"not a photo at all", b"GIF89a" + b"\x00" * 20])
def test_what_is_not_a_photo_is_refused_in_words(data: bytes) -> None:
    with pytest.raises(Invalid) as refused:
        prepare_photo(data)
    assert refused.value.errors == {"photo": "The file must be a photo (JPEG, PNG or WebP)"}


@pytest.fixture
async def web(app: Litestar) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as c:
        yield c


async def test_an_administrator_adds_a_photo_the_public_sees(web: Client, seeded: dict[str, Any]) -> None:
    admin = f.bearer(seeded["admin_token"])
    room = seeded["hall_b"]
    page = await web.get(f"/officer/rooms/{room.id}/photos", headers=admin)
    assert page.status_code == 200
    token = TOKEN_RE.search(page.text)
    assert token
    upload = {"photo": ("hall.jpg", camera_photo(), "image/jpeg")}

    async def send(alt: str, files: dict[str, Any] = upload) -> Any:
        return await web.post(
            f"/officer/rooms/{room.id}/photos",
            headers=admin,
            data={"alt_text": alt, "csrf_token": token.group(1)},
            files=files,
        )

    refused = await send("   ")
    assert refused.status_code == 400
    assert "Describe what the photo shows, for people who cannot see it" in refused.text
    refused = await send("Hall B", {"photo": ("notes.txt", b"hello", "text/plain")})
    assert refused.status_code == 400 and "The file must be a photo (JPEG, PNG or WebP)" in refused.text
    added = await send("Hall B with rows of chairs facing a small stage")
    assert added.status_code in (200, 303), added.text[:1000]
    listed = (await web.get("/venues")).text
    found = re.search(
        r'<img src="(/venues/photos/[0-9a-f-]+)" alt="Hall B with rows of chairs facing a small stage"',
        listed,
    )
    assert found
    image = await web.get(found.group(1))
    assert image.status_code == 200 and image.headers["content-type"] == "image/jpeg"
    assert Image.open(io.BytesIO(image.content)).size == (1200, 800) and b"Testcam" not in image.content
    room_page = await web.get(f"/venues/rooms/{room.id}")
    assert found.group(1) in room_page.text
    photo_id = found.group(1).rsplit("/", 1)[1]
    removed = await web.post(
        f"/officer/photos/{photo_id}/remove", headers=admin, data={"csrf_token": token.group(1)}
    )
    assert removed.status_code in (200, 303)
    assert (await web.get(found.group(1))).status_code == 404
    assert "<img" not in (await web.get("/venues")).text


async def test_only_administrators_add_photos(web: Client, seeded: dict[str, Any]) -> None:
    room = seeded["hall_b"]
    for who in ({}, f.bearer(seeded["officer_token"]), f.bearer(seeded["manager_token"])):
        page = await web.get(f"/officer/rooms/{room.id}/photos", headers=who)
        assert page.status_code in (401, 403) or "/login" in str(page.url), page.status_code
    assert (await web.get("/venues/photos/00000000-0000-0000-0000-000000000000")).status_code == 404
