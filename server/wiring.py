"""Every event and who listens to it, every job kind and its handler: the one place that wires domains.

`create_app()` and the worker both call `wire()` at start, so every process reacts to the same
events and knows the same jobs, whatever its imports happen to reach. Read this module to see
what publishing a post sets off, in order.
"""

from __future__ import annotations

from server.announcements import jobs as announcement_jobs
from server.announcements import listeners as announcement_listeners
from server.announcements.services import PUBLISH_JOB
from server.idempotency import keys as idempotency_keys
from server.jobs import registry
from server.lib import events
from server.live import listeners as live_listeners
from server.notifications import delivery as notification_delivery
from server.notifications.services import DELIVER_JOB, DIGEST_JOB
from server.posts import jobs as post_jobs
from server.posts.services import PROCESS_JOB
from server.push import delivery as push_delivery
from server.push import listeners as push_listeners
from server.social import jobs as social_jobs
from server.social import listeners as social_listeners
from server.uploads.services import remove_expired

__all__ = ["LISTENERS", "JOBS", "SWEEPS", "WORKER_STOP", "wire"]

# (event, listener, after_commit). In the transaction: writes rows only (records, queued jobs),
# committed with the event or not at all. After commit: best effort in this process.
LISTENERS = (
    (events.POST_CREATED, social_listeners.spend_mention_budget, False),
    (events.POST_PUBLISHED, social_listeners.record_tags_and_mentions, False),
    (events.POST_PUBLISHED, social_listeners.enqueue_followers, False),
    (events.POST_PUBLISHED, announcement_listeners.enqueue_audience, False),
    (events.POST_PUBLISHED, live_listeners.after_publish, True),
    (events.SESSIONS_ENDED, push_listeners.forget_devices, False),
    (events.POST_DELETED, social_listeners.cancel_followers, False),
    (events.POST_DELETED, announcement_listeners.cancel_jobs, False),
)

# (kind, handler, what to do when it failed for good). Each handler declares its time limit and tries.
JOBS = (
    (PROCESS_JOB, post_jobs.process_post, post_jobs.gave_up),
    (PUBLISH_JOB, announcement_jobs.publish_scheduled, None),
    (announcement_listeners.NOTIFY_AUDIENCE_JOB, announcement_jobs.notify_audience, None),
    (social_listeners.NOTIFY_FOLLOWERS_JOB, social_jobs.notify_followers, None),
    (DELIVER_JOB, notification_delivery.deliver, None),
    (DIGEST_JOB, notification_delivery.digest, None),
    (push_delivery.RESEND_JOB, push_delivery.resend, None),
)

# Catch-up the worker runs at start and every SWEEP_EVERY seconds: what a lost or late job would miss.
SWEEPS = (announcement_jobs.publish_due_posts, remove_expired, idempotency_keys.remove_expired)
SWEEP_EVERY = announcement_jobs.SWEEP_EVERY

# Run once when a worker stops (push keeps its connections open between jobs).
WORKER_STOP = (push_delivery.close_senders,)


def wire() -> None:
    """Register every listener and job kind; calling it again gives the same registrations."""
    events.clear()
    for event, listener, after_commit in LISTENERS:
        events.listen(event, listener, after_commit=after_commit)
    registry.clear()
    for kind, handler, gave_up in JOBS:
        registry.register(kind, handler, gave_up)
