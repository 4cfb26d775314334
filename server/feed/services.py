"""The feed: must-reads the viewer has not confirmed, pinned posts, then everything newest first.

Announcements aimed at some departments or locations appear only to those people (and their author).
"""

from __future__ import annotations

from datetime import datetime, timezone

from litestar.exceptions import ValidationException

from server.db import fetch
from server.feed import queries
from server.lib.guards import Viewer
from server.lib.pagination import decode_cursor, encode_cursor
from server.posts import states
from server.posts.services import with_media
from server.posts.tables import Post
from server.settings import get_settings
from server.feed import cards
from server.social.parsing import MAX_TAG, normalise_tag

__all__ = ["feed_page", "checked_tag"]


def checked_tag(tag: str) -> str:
    """A #hashtag as stored (any case, with or without the '#'), or a 400."""
    normalised = normalise_tag(tag.strip())
    if not normalised or len(normalised) > MAX_TAG:
        raise ValidationException(f"A hashtag has 1 to {MAX_TAG} letters, digits or underscores.")
    return normalised


def _keyset(cursor: str, secret: str) -> tuple[datetime, int]:
    published_iso, last_id = decode_cursor(cursor, secret, 2)
    try:
        return datetime.fromisoformat(published_iso), int(last_id)
    except (TypeError, ValueError):
        raise ValidationException("This page link is not valid any more. Please reload.") from None


async def feed_page(
    viewer: Viewer, *, cursor: str | None, limit: int, kind: str | None = None, author: int | None = None,
    scope: str = "company", tag: str | None = None, pins: bool = True,
) -> tuple[list[dict], str | None]:
    """One page of the feed, each row ready for post_out, and the cursor of the next one (None at the end).

    The first page starts with the viewer's own unfinished or scheduled posts, then the must-reads
    they have not confirmed (on top for each person until they tap "Got it", pinned or not), then
    the pinned ones. The "following" scope narrows the time-ordered posts only: pinned and
    must-read company messages still come first. `tag` keeps posts with that #hashtag;
    `pins=False` (tag pages) puts pinned posts in their place in time like the rest.
    """
    secret = get_settings().secret
    now = datetime.now(timezone.utc)
    shown = queries.Where().add("posts.status = {}", states.PUBLISHED).plus(queries.visible(viewer))
    if kind:
        shown.add("posts.kind = {}", kind)
    if author is not None:
        shown.add("posts.author = {}", author)
    if tag is not None:
        shown.add("posts.id IN (SELECT post FROM post_tags WHERE tag = {})", checked_tag(tag))
    rest = queries.Where()
    if scope == "following":
        rest.add(
            "(posts.author IN (SELECT followee FROM follows WHERE follower = {}) OR posts.author = {})", viewer.id, viewer.id
        )
    if pins:
        rest.add("(posts.pinned_at IS NULL OR posts.pinned_until <= {})", now)
    if cursor is not None:
        published, last_id = _keyset(cursor, secret)
        rest.add("(posts.published_at < {} OR (posts.published_at = {} AND posts.id < {}))", published, published, last_id)
    sql, args = queries.page_sql(
        viewer, shown, rest, first=cursor is None, own=author in (None, viewer.id) and tag is None, pins=pins,
        now=now, limit=limit,
    )
    rows = await fetch(Post, sql, *args)
    # Rows come in the page's order: the head parts (own, must-read, pinned) first, then the rest.
    on_top = sum(row.pop("part") != queries.REST for row in rows)
    head, rows = rows[:on_top], rows[on_top:]
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor([last["published_at"].isoformat(), last["id"]], secret)
    return await cards.attach(await with_media(head + rows), viewer), next_cursor
