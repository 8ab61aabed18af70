"""Room photos for the public directory: an upload is decoded, turned upright, resized and
written afresh as a JPEG from its pixels alone, so nothing the camera or phone recorded (place,
time, device) reaches the public; only that re-encoded image is kept."""

from __future__ import annotations

import io
import warnings
from uuid import UUID

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from venues.models import Room, RoomPhoto
from vetting.actors import Actor
from vetting.errors import Forbidden, Invalid, NotFound

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded
LONGEST_SIDE = 1200
PHOTOS_PER_ROOM = 6
ALT_MAX = 200


def prepare_photo(data: bytes) -> tuple[bytes, int, int]:
    """The upload as a clean JPEG at most 1200 pixels on its longest side, with its size;
    raises `Invalid` for anything that is not a photo we can read."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise Invalid("the photo is too big", {"photo": "The photo must be smaller than 10 MB"})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.width * probe.height > MAX_PIXELS:
                    raise Invalid(
                        "the photo is too big", {"photo": "The photo must be smaller than 40 megapixels"}
                    )
                probe.load()
                upright = ImageOps.exif_transpose(probe).convert("RGB")
    except (
        UnidentifiedImageError,
        OSError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise Invalid("not a photo", {"photo": "The file must be a photo (JPEG, PNG or WebP)"}) from exc
    upright.thumbnail((LONGEST_SIDE, LONGEST_SIDE), Image.Resampling.LANCZOS)
    # A new image from the pixels only: no EXIF, XMP, ICC profile or comments come along.
    clean = Image.new("RGB", upright.size)
    clean.paste(upright)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=82, optimize=True, progressive=True)
    return out.getvalue(), clean.width, clean.height


async def add_photo(
    session: AsyncSession, actor: Actor, room_id: UUID, data: bytes, alt_text: str
) -> RoomPhoto:
    """An administrator adds a photo to a room (at most six a room)."""
    if actor.role != "admin":
        raise Forbidden("only an administrator may add room photos")
    room = await session.get(Room, room_id)
    if room is None:
        raise NotFound("no such room")
    alt = " ".join(alt_text.split())
    if not alt:
        raise Invalid(
            "describe the photo", {"alt_text": "Describe what the photo shows, for people who cannot see it"}
        )
    if len(alt) > ALT_MAX:
        raise Invalid("description too long", {"alt_text": "The description must be 200 characters or fewer"})
    count = (await session.execute(select(func.count()).where(RoomPhoto.room_id == room_id))).scalar_one()
    if count >= PHOTOS_PER_ROOM:
        raise Invalid("too many photos", {"photo": "A room can have at most 6 photos"})
    content, width, height = prepare_photo(data)
    photo = RoomPhoto(room_id=room_id, content=content, width=width, height=height, alt_text=alt)
    session.add(photo)
    await session.flush()
    return photo


async def remove_photo(session: AsyncSession, actor: Actor, photo_id: UUID) -> UUID:
    """An administrator removes a photo; the room it was of."""
    if actor.role != "admin":
        raise Forbidden("only an administrator may remove room photos")
    photo = await session.get(RoomPhoto, photo_id)
    if photo is None:
        raise NotFound("no such photo")
    await session.delete(photo)
    await session.flush()
    return photo.room_id


async def photos_of(session: AsyncSession, room_ids: list[UUID]) -> dict[UUID, list[tuple[UUID, str]]]:
    """Each room's photos (id and description), oldest first, without their bytes."""
    found: dict[UUID, list[tuple[UUID, str]]] = {}
    if not room_ids:
        return found
    rows = await session.execute(
        select(RoomPhoto.room_id, RoomPhoto.id, RoomPhoto.alt_text)
        .where(RoomPhoto.room_id.in_(room_ids))
        .order_by(RoomPhoto.created_at, RoomPhoto.id)
    )
    for room_id, photo_id, alt in rows:
        found.setdefault(room_id, []).append((photo_id, alt))
    return found


__all__ = ["add_photo", "photos_of", "prepare_photo", "remove_photo"]
