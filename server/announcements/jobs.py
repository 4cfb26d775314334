"""Announcements' jobs: the audience told on publishing, scheduled posts out on time.

Scheduled announcements go out on time, and late rather than never. Two paths, both idempotent
through `states.publish_due`: a job per post with run_at = publish_at (on time when a worker is
up), and `publish_due_posts`, which the worker runs at start and every half minute, for every
scheduled post whose time has passed (a worker that was down, a job that gave up, a video that
finished processing after its time).
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any

from server.announcements import audience
from server.announcements.notify import headline, notify
from server.announcements.tables import Announcement
from server.jobs.registry import job
from server.notifications.messages import Message
from server.posts import attachments, fence, states
from server.posts.tables import Post

__all__ = ["notify_audience", "publish_scheduled", "publish_due_posts", "SWEEP_EVERY"]

log = logging.getLogger(__name__)
SWEEP_EVERY = 30.0  # seconds between catch-up sweeps in a running worker


@job(timeout=300, tries=5, backoff=10)
async def notify_audience(payload: dict[str, Any]) -> None:
    """Notify an announcement's audience (must-reads urgently); safe twice: `notify(once=True)`."""
    post_id = int(payload["post_id"])
    if not await Announcement.exists().where(Announcement.post == post_id):
        return  # an ordinary post (pinned or not) is none of this module's business
    row = await Post.select(
        Post.id, Post.body, Post.status, Post.must_read, Post.audience, Post.author.id.as_alias("author_id"),
        Post.author.name.as_alias("author_name"),
    ).where(fence.post_where(payload)).first()
    if row is None or row["status"] != states.PUBLISHED:  # deleted meanwhile
        return
    people = await audience.members(row["audience"], exclude=row["author_id"])
    media = (await attachments.media_by_post([post_id])).get(post_id, [])
    poster = next((item["poster"] for item in media if item.get("poster")), None)
    kind = "must_read" if row["must_read"] else "announcement"
    await notify(
        [p["id"] for p in people], kind, post_id, Message(kind, {"name": row["author_name"]}), headline(row["body"]),
        urgent=row["must_read"], url=f"/#/post/{post_id}", image=poster,
    )


@job(timeout=300, tries=5, backoff=5)
async def publish_scheduled(payload: dict) -> None:
    """Publish one scheduled post; nothing when it is gone, already out, or its video is not ready."""
    await states.publish_due(int(payload["post_id"]), created_at=fence.created_at(payload))


async def publish_due_posts(now: datetime | None = None) -> int:
    """Publish every scheduled post that is due; returns how many this call published."""
    now = now or datetime.now(timezone.utc)
    due = await Post.select(Post.id).where((Post.status == states.SCHEDULED) & (Post.publish_at <= now)).order_by(
        Post.publish_at
    )
    published = 0
    for row in due:
        if await states.publish_due(row["id"]):
            published += 1
    if published:
        log.info("published scheduled posts that were due", extra={"count": published})
    return published
