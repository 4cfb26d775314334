"""Scheduled announcements go out on time, and late rather than never.

Two paths, both idempotent through `states.publish_due`: a job per post with run_at =
publish_at (on time when a worker is up), and `publish_due_posts`, which the worker runs at
start and every half minute, for every scheduled post whose time has passed (a worker that
was down, a job that gave up, a video that finished processing after its time).
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone

from server.announcements import listeners  # noqa: F401  (the worker notifies on publish too)
from server.announcements.services import PUBLISH_JOB
from server.jobs.registry import job
from server.posts import states
from server.posts.tables import Post

__all__ = ["publish_scheduled", "publish_due_posts", "SWEEP_EVERY"]

log = logging.getLogger(__name__)
SWEEP_EVERY = 30.0  # seconds between catch-up sweeps in a running worker


@job(PUBLISH_JOB, timeout=300, tries=5, backoff=5)
async def publish_scheduled(payload: dict) -> None:
    """Publish one scheduled post; nothing when it is gone, already out, or its video is not ready."""
    await states.publish_due(int(payload["post_id"]))


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
