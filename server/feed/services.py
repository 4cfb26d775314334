"""The feed: must-reads the viewer has not confirmed, pinned posts, then everything newest first.

Announcements aimed at some departments or locations appear only to those people (and their author).
"""

from __future__ import annotations

from datetime import datetime, timezone

from litestar.exceptions import ValidationException

from server.announcements import audience, receipts
from server.lib.guards import Viewer
from server.lib.pagination import decode_cursor, encode_cursor
from server.posts import states
from server.posts.services import POST_COLUMNS, with_media
from server.posts.tables import Post
from server.settings import get_settings
from server.social.parsing import MAX_TAG, normalise_tag
from server.social.tables import Follow, PostTag

__all__ = ["feed_page"]


def _currently_pinned(now: datetime):
    return Post.pinned_at.is_not_null() & (Post.pinned_until.is_null() | (Post.pinned_until > now))


def _not_pinned(now: datetime):
    return Post.pinned_at.is_null() | (Post.pinned_until <= now)


def tag_filter(tag: str):
    """Posts carrying this #hashtag (any case, with or without the '#')."""
    normalised = normalise_tag(tag.strip())
    if not normalised or len(normalised) > MAX_TAG:
        raise ValidationException(f"A hashtag has 1 to {MAX_TAG} letters, digits or underscores.")
    return Post.id.is_in(PostTag.select(PostTag.post).where(PostTag.tag == normalised))


def _scoped(viewer: Viewer, scope: str) -> list:
    """The "following" scope: posts of the people the viewer follows, and their own."""
    if scope != "following":
        return []
    return [Post.author.is_in(Follow.select(Follow.followee).where(Follow.follower == viewer.id)) | (Post.author == viewer.id)]


async def feed_page(
    viewer: Viewer, *, cursor: str | None, limit: int, kind: str | None = None, author: int | None = None,
    scope: str = "company", tag: str | None = None, pins: bool = True,
) -> tuple[list[dict], str | None]:
    """One page of the feed and the cursor of the next one (None at the end).

    The "following" scope narrows the time-ordered posts only: pinned and must-read company
    messages still come first. `tag` keeps posts with that #hashtag; `pins=False` (tag pages)
    puts pinned posts in their place in time like the rest.
    """
    secret = get_settings().secret
    now = datetime.now(timezone.utc)
    filters = [Post.status == states.PUBLISHED, audience.visible_to(viewer)]
    if kind:
        filters.append(Post.kind == kind)
    if author is not None:
        filters.append(Post.author == author)
    if tag is not None:
        filters.append(tag_filter(tag))
    rest = [*_scoped(viewer, scope), *([_not_pinned(now)] if pins else [])]

    # Must-reads stay on top for each person until they tap "Got it", pinned or not, on every
    # page kept out of the time-ordered rest so none shows twice.
    unconfirmed = await Post.select(*POST_COLUMNS).where(
        *filters, Post.must_read == True, Post.author != viewer.id, receipts.not_acknowledged_by(viewer)  # noqa: E712
    ).order_by(Post.published_at, ascending=False).limit(20)
    on_top = [row["id"] for row in unconfirmed]
    if on_top:
        filters.append(Post.id.not_in(on_top))

    head: list[dict] = []
    if cursor is None:
        # The first page starts with the viewer's own unfinished or scheduled posts, then the must-reads
        # they have not confirmed, then the pinned ones.
        if author in (None, viewer.id) and tag is None:
            head += await Post.select(*POST_COLUMNS).where(
                (Post.author == viewer.id) & Post.status.is_in([states.PROCESSING, states.FAILED, states.SCHEDULED])
            ).order_by(Post.id, ascending=False).limit(20)
        head += unconfirmed
        if pins:
            head += await Post.select(*POST_COLUMNS).where(*filters, _currently_pinned(now)).order_by(
                Post.pinned_at, ascending=False
            ).limit(50)
        query = Post.select(*POST_COLUMNS).where(*filters, *rest)
    else:
        published_iso, last_id = decode_cursor(cursor, secret, 2)
        try:
            published = datetime.fromisoformat(published_iso)
            last_id = int(last_id)
        except (TypeError, ValueError):
            raise ValidationException("This page link is not valid any more. Please reload.") from None
        query = Post.select(*POST_COLUMNS).where(
            *filters,
            *rest,
            (Post.published_at < published) | ((Post.published_at == published) & (Post.id < last_id)),
        )
    rows = await query.order_by(Post.published_at, Post.id, ascending=False).limit(limit + 1)
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor([last["published_at"].isoformat(), last["id"]], secret)
    return await receipts.attach(await with_media(head + rows), viewer), next_cursor
