"""The one module that changes a post's state, and the one place publishing tells others.

processing → published | failed;  scheduled → published.  Listeners registered with
`on_published` run after a post becomes visible (push notifications, live feed updates).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone

from server.posts.tables import Post

__all__ = ["PROCESSING", "PUBLISHED", "FAILED", "SCHEDULED", "publish", "fail", "on_published"]

log = logging.getLogger(__name__)

PROCESSING, PUBLISHED, FAILED, SCHEDULED = "processing", "published", "failed", "scheduled"

_listeners: list[Callable[[int], Awaitable[None]]] = []


def on_published(listener: Callable[[int], Awaitable[None]]) -> Callable[[int], Awaitable[None]]:
    """Register a coroutine called with the post id each time a post is published."""
    _listeners.append(listener)
    return listener


async def publish(post_id: int) -> bool:
    """Make a post visible; True when this call published it (safe to call twice)."""
    changed = await Post.update(
        {Post.status: PUBLISHED, Post.published_at: datetime.now(timezone.utc), Post.error: ""}
    ).where((Post.id == post_id) & Post.status.is_in([PROCESSING, SCHEDULED])).returning(Post.id)
    if not changed:
        return False
    for listener in _listeners:
        try:
            await listener(post_id)
        except Exception:  # one listener's failure must not undo or block publishing
            log.exception("post_published listener failed", extra={"post_id": post_id})
    return True


async def fail(post_id: int, reason: str) -> bool:
    """Mark a post failed with a reason its author can read."""
    changed = await Post.update({Post.status: FAILED, Post.error: reason}).where(
        (Post.id == post_id) & (Post.status == PROCESSING)
    ).returning(Post.id)
    return bool(changed)
