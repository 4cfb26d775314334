"""Which post a job was queued for: its id and its created_at, checked by every step that writes.

Ids are never given out twice (server/content_counter/piccolo_migrations, AUTOINCREMENT on
SQLite) and deleting a post deletes its waiting jobs (posts/services.delete_post). A job
already running when its post is deleted keeps going until its next write; each write is
guarded by the post's created_at too, so it can only ever change the post it was queued for,
even on a database restored from a backup whose counters went back.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from server.posts.tables import Post, PostMedia

__all__ = ["payload", "created_at", "is_post", "post_where", "media_where", "holds"]


async def payload(post_id: int) -> dict[str, Any]:
    """A job payload naming this post as it is now (call it where the post exists, e.g. in its transaction)."""
    row = await Post.select(Post.created_at).where(Post.id == post_id).first()
    return {"post_id": post_id, "created_at": row["created_at"].isoformat() if row else None}


def created_at(job_payload: dict[str, Any]) -> datetime | None:
    """None for payloads queued before the fence existed: they are checked by id alone."""
    value = job_payload.get("created_at")
    return datetime.fromisoformat(value) if value else None


def is_post(post_id: int, made_at: datetime | None):
    """The Post row with this id, and with this created_at when one is given."""
    where = Post.id == post_id
    return where if made_at is None else where & (Post.created_at == made_at)


def post_where(job_payload: dict[str, Any]):
    return is_post(int(job_payload["post_id"]), created_at(job_payload))


def media_where(job_payload: dict[str, Any]):
    """PostMedia rows of the job's post, and none once that post is gone."""
    return PostMedia.post.is_in(Post.select(Post.id).where(post_where(job_payload)))


async def holds(job_payload: dict[str, Any]) -> bool:
    """The job's post still exists."""
    return await Post.exists().where(post_where(job_payload))
