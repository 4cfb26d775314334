"""HTTP routes of announcements."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.params import JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED

from server.announcements import services
from server.announcements.schemas import Audiences, NewAnnouncement, ProgressIn, ProgressOut, RemindOut, StatsOut
from server.lib.guards import viewer_of
from server.lib.ids import PathId
from server.lib.pagination import Cursor
from server.posts.schemas import PostOut
from server.posts.services import post_out

__all__ = ["AnnouncementController", "acknowledge_post"]


class AnnouncementController(Controller):
    path = "/api/announcements"
    tags = ["announcements"]

    @post(operation_id="createAnnouncement", status_code=HTTP_201_CREATED, opt={"role": "moderator"})
    async def create(self, request: Request, data: JSONBody[NewAnnouncement]) -> PostOut:
        """Publish now, or at `publish_at` (scheduled, invisible until then); pinned, must-read, audience."""
        viewer = viewer_of(request)
        return post_out(await services.create_announcement(viewer, data), viewer)

    @get("/audiences", operation_id="announcementAudiences", opt={"role": "moderator"})
    async def audiences(self) -> Audiences:
        return await services.audiences()

    @post("/{post_id:int}/ack", operation_id="acknowledgeAnnouncement", status_code=200)
    async def ack(self, request: Request, post_id: PathId) -> PostOut:
        """The viewer's "Got it" on a must-read (a video only once watched to 80%)."""
        viewer = viewer_of(request)
        return post_out(await services.acknowledge(viewer, post_id), viewer)

    @post("/{post_id:int}/progress", operation_id="announcementProgress", status_code=200)
    async def progress(self, request: Request, post_id: PathId, data: JSONBody[ProgressIn]) -> ProgressOut:
        return await services.record_progress(viewer_of(request), post_id, data)

    @get("/{post_id:int}/stats", operation_id="announcementStats")
    async def stats(
        self, request: Request, post_id: PathId, cursor: Cursor = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
    ) -> StatsOut:
        """Acknowledged X of Y and who has not (author, moderators and admins)."""
        return await services.stats(viewer_of(request), post_id, cursor=cursor, limit=limit)

    @post("/{post_id:int}/remind", operation_id="remindAnnouncement", status_code=200)
    async def remind(self, request: Request, post_id: PathId) -> RemindOut:
        """Notify only those who have not confirmed; once an hour per announcement."""
        return await services.remind(viewer_of(request), post_id)


@post("/api/posts/{post_id:int}/ack", operation_id="acknowledgePost", status_code=200, tags=["announcements"])
async def acknowledge_post(request: Request, post_id: PathId) -> PostOut:
    """The same "Got it" under the path DESIGN.md names."""
    viewer = viewer_of(request)
    return post_out(await services.acknowledge(viewer, post_id), viewer)
