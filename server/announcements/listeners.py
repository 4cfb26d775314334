"""What publishing sets off for announcements: their audience's notifications, as a job."""

from __future__ import annotations

from server.jobs.queue import enqueue

__all__ = ["NOTIFY_AUDIENCE_JOB", "enqueue_audience"]

NOTIFY_AUDIENCE_JOB = "notify-audience"


async def enqueue_audience(post_id: int) -> None:
    """In the publishing transaction: tens of thousands of people are told by the worker, never lost."""
    await enqueue(NOTIFY_AUDIENCE_JOB, {"post_id": post_id}, unique_key=f"{NOTIFY_AUDIENCE_JOB}:{post_id}")
