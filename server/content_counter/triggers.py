"""Which tables' writes can change a cached answer, and so move the caches' content counter.

The per-process caches (server/lib/caches.py) hold sessions and feed pages until the content
counter moves. Triggers on every table in CONTENT bump it inside the writing transaction; the
tables in NEVER_CACHED are written far more often (a view batch every few seconds per reader,
a job lease renewed during every transcode, every tus PATCH) and read by no cached answer.
tests/server/content_counter/test_content_tables.py fails until a new table is in one list or the other,
and a CONTENT table without its triggers (add them with a migration in server/content_counter).
"""

from __future__ import annotations

__all__ = ["COUNTER_TABLE", "CONTENT", "NEVER_CACHED", "trigger_names"]

COUNTER_TABLE = "content_generation"

# Read by viewer_for_token (sessions, users) or by a feed or tag page (all the rest).
CONTENT = (
    "users",  # viewers' roles and profiles, authors' names, a disabled account
    "sessions",
    "posts",
    "post_media",
    "post_tags",  # tag pages
    "follows",  # the "following" feed
    "reactions",
    "comments",
    "kudos",
    "announcements",
    "announcement_targets",  # audiences
    "announcement_receipts",  # acknowledged, video share watched
)

NEVER_CACHED = {
    "post_views": "view statistics; no feed or session answer shows them",
    "jobs": "the queue's own bookkeeping; a job's effect on posts is written to posts and post_media",
    "uploads": "bytes on their way in; an upload becomes content only as a post",
    "push_subscriptions": "browsers to push to, and when pushing last worked",
    "notifications": "the notification list, read fresh by its own route",
    "notification_preferences": "read when notifying, never by a cached answer",
    "invites": "read only when someone signs up with one",
    "password_resets": "read only when someone opens or uses a reset link",
    "mentions": "read for notifications; the feed shows the text that holds the @name",
    "idempotency_keys": "the first answers to creation requests, read only by their retries",
}


def trigger_names(table: str) -> tuple[str, str, str]:
    """The three triggers that bump the counter after an insert, update and delete on `table`."""
    return tuple(f"{COUNTER_TABLE}_{table}_{op}" for op in ("ai", "au", "ad"))
