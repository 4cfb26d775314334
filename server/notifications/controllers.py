"""HTTP routes of the in-app notification list and notification preferences."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, Request, get, patch, post
from litestar.params import JSONBody, QueryParameter

from server.lib.guards import viewer_of
from server.lib.pagination import Cursor
from server.notifications import services
from server.notifications.schemas import NotificationOut, NotificationPage, Preferences, PreferencesPatch, ReadIn, Unread

__all__ = ["NotificationController"]


class NotificationController(Controller):
    path = "/api/notifications"
    tags = ["notifications"]

    @get(operation_id="listNotifications", opt={"role": "member"})
    async def index(
        self, request: Request, cursor: Cursor = None,
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
    ) -> NotificationPage:
        """Newest first, with how many are unread."""
        page = await services.list_notifications(viewer_of(request).id, cursor, limit)
        return NotificationPage(
            items=[NotificationOut(**item) for item in page["items"]], next_cursor=page["next_cursor"],
            unread=page["unread"],
        )

    @post("/read", operation_id="readNotifications", status_code=200, opt={"role": "member"})
    async def read(self, request: Request, data: JSONBody[ReadIn | None] = None) -> Unread:
        """Mark all (or up to an id) read; answers what is still unread."""
        return Unread(unread=await services.mark_read(viewer_of(request).id, data.up_to if data else None))

    @get("/preferences", operation_id="getNotificationPreferences", opt={"role": "member"})
    async def preferences(self, request: Request) -> Preferences:
        return Preferences(**await services.get_preferences(viewer_of(request).id))

    @patch("/preferences", operation_id="updateNotificationPreferences", opt={"role": "member"})
    async def update_preferences(self, request: Request, data: JSONBody[PreferencesPatch]) -> Preferences:
        changes = msgspec.structs.asdict(data)
        return Preferences(**await services.update_preferences(viewer_of(request).id, changes))
