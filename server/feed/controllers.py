"""HTTP route of the feed."""

from __future__ import annotations

from typing import Literal

import msgspec
from litestar import Request, get
from litestar.params import Parameter

from server.feed.services import feed_page
from server.lib.guards import viewer_of
from server.posts.schemas import PostOut
from server.posts.services import post_out

__all__ = ["feed", "FeedPage"]


class FeedPage(msgspec.Struct):
    items: list[PostOut]
    next_cursor: str | None


@get("/api/feed", operation_id="getFeed", tags=["feed"])
async def feed(
    request: Request,
    cursor: str | None = Parameter(default=None, max_length=500),
    kind: Literal["text", "video", "gallery"] | None = None,
    author: int | None = None,
    limit: int = Parameter(default=20, ge=1, le=100),
) -> FeedPage:
    """Pinned posts first on the first page, then newest first."""
    viewer = viewer_of(request)
    rows, next_cursor = await feed_page(viewer, cursor=cursor, limit=limit, kind=kind, author=author)
    return FeedPage(items=[post_out(row, viewer) for row in rows], next_cursor=next_cursor)
