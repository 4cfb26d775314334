"""The feed: pinned posts first, then everything newest first, one keyset page at a time."""

from __future__ import annotations

from datetime import datetime, timezone

from litestar.exceptions import ValidationException

from server.lib.guards import Viewer
from server.lib.pagination import decode_cursor, encode_cursor
from server.posts import states
from server.posts.services import POST_COLUMNS
from server.posts.tables import Post
from server.settings import get_settings

__all__ = ["feed_page"]


def _currently_pinned(now: datetime):
    return Post.pinned_at.is_not_null() & (Post.pinned_until.is_null() | (Post.pinned_until > now))


def _not_pinned(now: datetime):
    return Post.pinned_at.is_null() | (Post.pinned_until <= now)


async def feed_page(
    viewer: Viewer, *, cursor: str | None, limit: int, kind: str | None = None, author: int | None = None
) -> tuple[list[dict], str | None]:
    """One page of the feed and the cursor of the next one (None at the end)."""
    secret = get_settings().secret
    now = datetime.now(timezone.utc)
    filters = [Post.status == states.PUBLISHED]
    if kind:
        filters.append(Post.kind == kind)
    if author is not None:
        filters.append(Post.author == author)

    head: list[dict] = []
    if cursor is None:
        # The first page starts with the viewer's own unfinished posts and the pinned ones.
        if author in (None, viewer.id):
            head += await Post.select(*POST_COLUMNS).where(
                (Post.author == viewer.id) & Post.status.is_in([states.PROCESSING, states.FAILED])
            ).order_by(Post.id, ascending=False).limit(20)
        head += await Post.select(*POST_COLUMNS).where(*filters, _currently_pinned(now)).order_by(
            Post.pinned_at, ascending=False
        ).limit(50)
        query = Post.select(*POST_COLUMNS).where(*filters, _not_pinned(now))
    else:
        published_iso, last_id = decode_cursor(cursor, secret, 2)
        try:
            published = datetime.fromisoformat(published_iso)
            last_id = int(last_id)
        except (TypeError, ValueError):
            raise ValidationException("This page link is not valid any more. Please reload.") from None
        query = Post.select(*POST_COLUMNS).where(
            *filters,
            _not_pinned(now),
            (Post.published_at < published) | ((Post.published_at == published) & (Post.id < last_id)),
        )
    rows = await query.order_by(Post.published_at, Post.id, ascending=False).limit(limit + 1)
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor([last["published_at"].isoformat(), last["id"]], secret)
    return head + rows, next_cursor
