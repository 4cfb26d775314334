"""The one module that changes a post's state, and the one place publishing tells others.

processing → published | failed;  failed → processing (the author's Retry);  processing → scheduled when its
`publish_at` is still ahead;  scheduled → published once it is due.  Publishing emits
`events.POST_PUBLISHED` in the same transaction, so what it sets off (tags and mentions,
the followers' and the audience's notifications, the live pill) is wired in server/wiring.py.
"""

from __future__ import annotations

from datetime import datetime, timezone

from server.lib import events
from server.posts.fence import is_post
from server.posts.tables import Post

__all__ = ["PROCESSING", "PUBLISHED", "FAILED", "SCHEDULED", "publish", "publish_due", "fail", "retry"]

PROCESSING, PUBLISHED, FAILED, SCHEDULED = "processing", "published", "failed", "scheduled"


async def publish(post_id: int, *, created_at: datetime | None = None) -> bool:
    """Make a post visible; True when this call published it (safe to call twice).

    A post whose `publish_at` is still ahead waits as scheduled instead (announcements). Jobs
    pass the `created_at` of the post they were queued for (posts/fence.py).
    """
    if await _publish(post_id, [PROCESSING, SCHEDULED], created_at):
        return True
    await Post.update({Post.status: SCHEDULED}).where(
        is_post(post_id, created_at) & (Post.status == PROCESSING) & (Post.publish_at > datetime.now(timezone.utc))
    )
    return False


async def publish_due(post_id: int, *, created_at: datetime | None = None) -> bool:
    """Publish a scheduled post whose time has come; never one whose media is still processing."""
    return await _publish(post_id, [SCHEDULED], created_at)


async def _publish(post_id: int, from_states: list[str], created_at: datetime | None) -> bool:
    now = datetime.now(timezone.utc)
    # The listeners' rows (jobs, tags, mentions) commit with the state or not at all: a failure
    # rolls publishing back, and the job or request that published tries again.
    async with events.transaction(Post._meta.db):
        changed = await Post.update({Post.status: PUBLISHED, Post.published_at: now, Post.error: ""}).where(
            is_post(post_id, created_at) & Post.status.is_in(from_states)
            & (Post.publish_at.is_null() | (Post.publish_at <= now))
        ).returning(Post.id)
        if changed:
            await events.emit(events.POST_PUBLISHED, post_id=post_id)
    return bool(changed)


async def fail(post_id: int, reason: str, *, created_at: datetime | None = None) -> bool:
    """Mark a post failed with a reason its author can read."""
    changed = await Post.update({Post.status: FAILED, Post.error: reason}).where(
        is_post(post_id, created_at) & (Post.status == PROCESSING)
    ).returning(Post.id)
    return bool(changed)


async def retry(post_id: int) -> bool:
    """Put a failed post back to processing for another try; True when this call did it."""
    changed = await Post.update({Post.status: PROCESSING, Post.error: ""}).where(
        (Post.id == post_id) & (Post.status == FAILED)
    ).returning(Post.id)
    return bool(changed)
