"""Administrators add and remove the photos of a room that the public directory shows."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.datastructures import UploadFile
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import ADMIN, roles
from api.web.common import WEB_EXCEPTION_HANDLERS, AnyRequest, csrf_guard, page, redirect
from venues.models import Room, Venue
from venues.photos import PHOTOS_PER_ROOM, add_photo, photos_of, remove_photo
from vetting.actors import Actor
from vetting.errors import Invalid


class RoomPhotosController(Controller):
    path = "/officer"
    guards = [csrf_guard]
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

    async def _page(
        self,
        request: AnyRequest,
        db: AsyncSession,
        room_id: UUID,
        *,
        errors: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
        status_code: int = 200,
    ) -> Template:
        room = await db.get(Room, room_id)
        if room is None:
            raise NotFoundException("No such room")
        venue = await db.get(Venue, room.venue_id)
        return page(
            request,
            "officer_room_photos.html",
            {
                "title": f"Photos of {room.name}",
                "room": room,
                "venue": venue,
                "photos": (await photos_of(db, [room.id])).get(room.id, []),
                "most": PHOTOS_PER_ROOM,
                "errors": errors or {},
                "values": values or {},
                "done": request.query_params.get("done"),
            },
            status_code=status_code,
        )

    @get("/rooms/{room_id:uuid}/photos", opt=roles(*ADMIN), name="officer_room_photos")
    async def photos(self, request: AnyRequest, room_id: UUID, db_session: AsyncSession) -> Template:
        return await self._page(request, db_session, room_id)

    @post("/rooms/{room_id:uuid}/photos", opt=roles(*ADMIN))
    async def upload(
        self, request: AnyRequest, room_id: UUID, staff: Actor, db_session: AsyncSession
    ) -> Template | Redirect:
        form = await request.form()
        upload = form.get("photo")
        alt = form.get("alt_text") if isinstance(form.get("alt_text"), str) else ""
        values = {"alt_text": alt}
        if not isinstance(upload, UploadFile) or not upload.filename:
            errors = {"photo": "Choose a photo to upload"}
            return await self._page(
                request, db_session, room_id, errors=errors, values=values, status_code=400
            )
        data = await upload.read()
        try:
            await add_photo(db_session, staff, room_id, data, str(alt))
            await db_session.commit()
        except Invalid as exc:
            await db_session.rollback()
            errors = {k.replace("_", "-"): v for k, v in exc.errors.items()} or {"photo": exc.message}
            return await self._page(
                request, db_session, room_id, errors=errors, values=values, status_code=400
            )
        return redirect(f"/officer/rooms/{room_id}/photos?done=added")

    @post("/photos/{photo_id:uuid}/remove", opt=roles(*ADMIN))
    async def remove(self, photo_id: UUID, staff: Actor, db_session: AsyncSession) -> Redirect:
        room_id = await remove_photo(db_session, staff, photo_id)
        await db_session.commit()
        return redirect(f"/officer/rooms/{room_id}/photos?done=removed")


__all__ = ["RoomPhotosController"]
