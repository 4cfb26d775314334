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
from server.social import summary

__all__ = ["feed", "tag_posts", "FeedPage"]


class FeedPage(msgspec.Struct):
    items: list[PostOut]
    next_cursor: str | None


@get("/api/feed", operation_id="getFeed", tags=["feed"])
async def feed(
    request: Request,
    cursor: str | None = Parameter(default=None, max_length=500),
    kind: Literal["text", "video", "gallery"] | None = None,
    author: int | None = None,
    # "scope" is a reserved kwarg in Litestar (the ASGI scope), hence the alias.
    feed_scope: Literal["company", "following"] = Parameter(query="scope", default="company"),
    tag: str | None = Parameter(default=None, max_length=200),
    limit: int = Parameter(default=20, ge=1, le=100),
) -> FeedPage:
    """Pinned posts first on the first page, then newest first; "following": people I follow and me."""
    viewer = viewer_of(request)
    rows, next_cursor = await feed_page(
        viewer, cursor=cursor, limit=limit, kind=kind, author=author, scope=feed_scope, tag=tag
    )
    rows = await summary.attach(rows, viewer)
    return FeedPage(items=[post_out(row, viewer) for row in rows], next_cursor=next_cursor)


@get("/api/tags/{tag:str}/posts", operation_id="getTagPosts", tags=["feed"])
async def tag_posts(
    request: Request,
    tag: str,
    cursor: str | None = Parameter(default=None, max_length=500),
    limit: int = Parameter(default=20, ge=1, le=100),
) -> FeedPage:
    """Posts with this #hashtag (any case), newest first."""
    viewer = viewer_of(request)
    rows, next_cursor = await feed_page(viewer, cursor=cursor, limit=limit, tag=tag, pins=False)
    rows = await summary.attach(rows, viewer)
    return FeedPage(items=[post_out(row, viewer) for row in rows], next_cursor=next_cursor)
