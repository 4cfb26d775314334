"""HTTP route of views."""

from __future__ import annotations

from litestar import Request, post
from litestar.params import JSONBody
from litestar.status_codes import HTTP_204_NO_CONTENT

from server.lib.guards import viewer_of
from server.views.schemas import ViewBatch
from server.views.services import record_views

__all__ = ["record"]


@post("/api/views", operation_id="recordViews", status_code=HTTP_204_NO_CONTENT, tags=["views"])
async def record(request: Request, data: JSONBody[ViewBatch]) -> None:
    """Up to 100 posts seen, with how much of each video was watched; unknown posts are skipped."""
    await record_views(viewer_of(request), data.items)
