"""What publishing a post sets off for push: a fan-out job, never sending inside the request."""

from __future__ import annotations

from server.jobs.queue import enqueue
from server.posts import states
from server.push.services import FANOUT_JOB

__all__ = ["enqueue_fan_out"]


@states.on_published
async def enqueue_fan_out(post_id: int) -> None:
    """Queue the followers' notifications for a newly published post (one job per post)."""
    await enqueue(FANOUT_JOB, {"post_id": post_id}, unique_key=f"{FANOUT_JOB}:{post_id}")
