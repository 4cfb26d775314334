"""HTTP route of the feed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from typing import Annotated, Literal

import msgspec
from litestar import Request, Response, get
from litestar.params import FromPath, FromQuery, QueryParameter

from server.feed import cards
from server.feed.services import feed_page
from server.lib.caches import SCOPE_KEY, clock, cache_for
from server.lib.guards import Viewer, viewer_of
from server.lib.ids import PathId, QueryId
from server.lib.pagination import Cursor
from server.posts.schemas import PostOut
from server.posts.services import get_post, is_pinned, post_out
from server.posts.tables import Post

__all__ = ["feed", "tag_posts", "read_post", "FeedPage", "MAX_AGE"]

# Longest a cached page lives without any commit: a safety net for anything that changes with
# time alone and that the deadline below does not know about.
MAX_AGE = 60.0
_encoder = msgspec.json.Encoder()


class FeedPage(msgspec.Struct):
    items: list[PostOut]
    next_cursor: str | None


async def _page(request: Request, key: tuple, viewer: Viewer, build: Callable[[], Awaitable[tuple[list[dict], str | None]]]) -> Response[FeedPage]:
    """The page's JSON, from this process's cache when nothing was committed since it was made.

    The key holds the whole Viewer (id, role, department, location): own reactions, must-read
    receipts, audiences and "following" make each person's page their own, so a page is only
    ever served again to the same person asking the same question.
    """
    cache = cache_for(Post._meta.db, "feed-pages")
    body = cache.get((viewer, key), request.scope.get(SCOPE_KEY)) if cache is not None else None
    if body is None:
        version = cache.version() if cache is not None else None
        rows, next_cursor = await build()
        now = datetime.now(timezone.utc)
        body = _encoder.encode(FeedPage(items=[post_out(row, viewer, now) for row in rows], next_cursor=next_cursor))
        if cache is not None:
            # A pinned post drops back into its place in time when its pin ends.
            ends = [row["pinned_until"].timestamp() for row in rows if row["pinned_until"] and is_pinned(row, now)]
            cache.put((viewer, key), body, version, min([clock() + MAX_AGE, *ends]))
    return Response(body, media_type="application/json")


@get("/api/feed", operation_id="getFeed", tags=["feed"])
async def feed(
    request: Request,
    cursor: Cursor = None,
    kind: FromQuery[Literal["text", "video", "gallery"] | None] = None,
    author: QueryId = None,
    # "scope" is a reserved kwarg in Litestar (the ASGI scope), hence the alias.
    feed_scope: Annotated[Literal["company", "following"], QueryParameter(name="scope")] = "company",
    tag: Annotated[str | None, QueryParameter(max_length=200)] = None,
    limit: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
) -> Response[FeedPage]:
    """Pinned posts first on the first page, then newest first; "following": people I follow and me."""
    viewer = viewer_of(request)
    return await _page(
        request, ("feed", cursor, kind, author, feed_scope, tag, limit), viewer,
        lambda: feed_page(viewer, cursor=cursor, limit=limit, kind=kind, author=author, scope=feed_scope, tag=tag),
    )


@get("/api/tags/{tag:str}/posts", operation_id="getTagPosts", tags=["feed"])
async def tag_posts(
    request: Request,
    tag: FromPath[str],
    cursor: Cursor = None,
    limit: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
) -> Response[FeedPage]:
    """Posts with this #hashtag (any case), newest first."""
    viewer = viewer_of(request)
    return await _page(
        request, ("tag", tag, cursor, limit), viewer,
        lambda: feed_page(viewer, cursor=cursor, limit=limit, tag=tag, pins=False),
    )


@get("/api/posts/{post_id:int}", operation_id="getPost", tags=["posts"])
async def read_post(request: Request, post_id: PathId) -> PostOut:
    """One post as its card shows it: published ones in the viewer's audience, their own in any state."""
    viewer = viewer_of(request)
    row = await get_post(viewer, post_id)
    return post_out((await cards.attach([row], viewer))[0], viewer)
