"""What publishing and deleting a post set off for announcements: their audience's notifications, as a job;
the waiting jobs of a deleted one go with it."""

from __future__ import annotations

from server.announcements.services import PUBLISH_JOB
from server.jobs.queue import cancel, enqueue
from server.posts import fence

__all__ = ["NOTIFY_AUDIENCE_JOB", "enqueue_audience", "cancel_jobs"]

NOTIFY_AUDIENCE_JOB = "notify-audience"


async def enqueue_audience(post_id: int) -> None:
    """In the publishing transaction: tens of thousands of people are told by the worker, never lost."""
    await enqueue(NOTIFY_AUDIENCE_JOB, await fence.payload(post_id), unique_key=f"{NOTIFY_AUDIENCE_JOB}:{post_id}")


async def cancel_jobs(post_id: int) -> None:
    """In the deleting transaction: a scheduled announcement is not published, a deleted one not announced."""
    for kind in (PUBLISH_JOB, NOTIFY_AUDIENCE_JOB):
        await cancel(f"{kind}:{post_id}")
