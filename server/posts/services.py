"""What the posts domain does: write, read, delete, retry and pin posts."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone

from litestar.exceptions import NotFoundException, PermissionDeniedException, ValidationException

from server.jobs.queue import cancel, enqueue
from server.accounts.names import name_mentions
from server.lib import budgets, events
from server.lib.guards import Viewer
from server.lib.text import clean_text
from server.posts import attachments, fence, states, visibility
from server.posts.schemas import Author, NewPost, PostOut
from server.posts.tables import Post, PostMedia
from server.settings import get_settings
from server.uploads.services import discard_upload

__all__ = [
    "MAX_BODY", "POST_COLUMNS", "PROCESS_JOB", "create_post", "get_post", "delete_post", "retry_post", "set_pin",
    "post_out", "with_media", "is_pinned", "enqueue_processing",
]

log = logging.getLogger(__name__)

MAX_BODY = 5000
PROCESS_JOB = "process-post"

# The columns every post listing selects: the post and its author in one query.
POST_COLUMNS = (
    Post.id, Post.kind, Post.body, Post.status, Post.error, Post.created_at, Post.published_at,
    Post.pinned_at, Post.pinned_until, Post.must_read, Post.publish_at, Post.audience,
    Post.author.id.as_alias("author_id"), Post.author.name.as_alias("author_name"),
    Post.author.title.as_alias("author_title"), Post.author.department.as_alias("author_department"),
)


def is_pinned(row: dict, now: datetime) -> bool:
    return row["pinned_at"] is not None and (row["pinned_until"] is None or row["pinned_until"] > now)


def post_out(row: dict, viewer: Viewer, now: datetime | None = None) -> PostOut:
    now = now or datetime.now(timezone.utc)
    pinned = is_pinned(row, now)
    return PostOut(
        id=row["id"], kind=row["kind"], body=row["body"], status=row["status"], error=row["error"],
        created_at=row["created_at"], published_at=row["published_at"],
        author=Author(
            id=row["author_id"], name=row["author_name"], title=row["author_title"],
            department=row["author_department"],
        ),
        pinned=pinned, pinned_until=row["pinned_until"] if pinned else None, must_read=row["must_read"],
        media=row.get("media", []),
        can_delete=row["author_id"] == viewer.id or viewer.at_least("moderator"),
        can_pin=viewer.at_least("moderator"),
        # Announcements (server/announcements/receipts.py fills these in for the viewer).
        announcement=row.get("announcement", False), acknowledged=row.get("acknowledged", False),
        watched=row.get("watched", 0.0), publish_at=row["publish_at"] if row["status"] == states.SCHEDULED else None,
        can_see_stats=row.get("announcement", False) and (row["author_id"] == viewer.id or viewer.at_least("moderator")),
        reactions=row.get("reactions", {}), my_reactions=row.get("my_reactions", []),
        comment_count=row.get("comment_count", 0), kudos=row.get("kudos", []),
    )


async def with_media(rows: list[dict]) -> list[dict]:
    """Attach each post's media JSON to its row, with one query for the whole page."""
    found = await attachments.media_by_post([row["id"] for row in rows if row["kind"] != "text"])
    for row in rows:
        row["media"] = found.get(row["id"], [])
    return rows


async def enqueue_processing(post_id: int) -> None:
    await enqueue(PROCESS_JOB, await fence.payload(post_id), unique_key=f"{PROCESS_JOB}:{post_id}")


async def _spend(viewer: Viewer) -> None:
    """One post from the author's hourly budget once the request is otherwise valid (a 429 past it)."""
    limit = get_settings().posts_per_hour
    await budgets.spend(f"posts:{viewer.id}", 1, limit, f"You can write at most {budgets.counted(limit, 'post')} an hour.")


async def create_post(
    viewer: Viewer, data: NewPost, *, fields: dict | None = None, prepare: Callable[[int], Awaitable[None]] | None = None
) -> dict:
    """A text post is published at once; one with media is processing until its job is done.

    Announcements pass extra Post `fields` and a `prepare(post_id)` that writes their own rows
    in the post's transaction, so nothing publishes a half-made announcement (an Idempotency-Key
    is bound to the post there too).
    """
    body = await name_mentions(clean_text(data.body, field="post", max_length=MAX_BODY, multiline=True))
    if data.upload_ids:
        return await _create_media_post(viewer, body, data, fields or {}, prepare)
    if not body:
        raise ValidationException("Write something before posting.")
    await _spend(viewer)
    # One transaction: a text post is made and published (with what publishing sets off) or not at all.
    async with events.transaction(Post._meta.db):
        rows = await Post.insert(
            Post(author=viewer.id, body=body, kind="text", status=states.PROCESSING, **(fields or {}))
        ).returning(Post.id)
        if prepare:
            await prepare(rows[0]["id"])
        await events.emit(events.POST_CREATED, post_id=rows[0]["id"], author_id=viewer.id, body=body)
        await states.publish(rows[0]["id"])
    return await _load(rows[0]["id"])


async def _create_media_post(viewer: Viewer, body: str, data: NewPost, fields: dict, prepare) -> dict:
    """All or nothing: the post, its media rows, its kept originals and its job, or none of them."""
    checked = await attachments.check_uploads(viewer.id, data.upload_ids, data.alt_texts)
    await _spend(viewer)
    kind = "video" if checked[0].kind == "video" else "gallery"
    post_id = None
    try:
        async with events.transaction(Post._meta.db):
            rows = await Post.insert(
                Post(author=viewer.id, body=body, kind=kind, status=states.PROCESSING, **fields)
            ).returning(Post.id)
            post_id = rows[0]["id"]
            if prepare:
                await prepare(post_id)
            await events.emit(events.POST_CREATED, post_id=post_id, author_id=viewer.id, body=body)
            kept = await asyncio.to_thread(attachments.keep_originals, post_id, checked)
            await PostMedia.insert(*[
                PostMedia(post=post_id, position=position, kind=item.kind, alt=item.alt, original=original)
                for position, (item, original) in enumerate(zip(checked, kept))
            ])
            await enqueue_processing(post_id)
    except BaseException:
        if post_id is not None:
            await asyncio.to_thread(attachments.put_back, post_id, checked)
        raise
    for item in checked:
        try:
            await discard_upload(item.upload.id)
        except Exception:  # the post is made and its file moved; the uploads' expiry sweep removes the rest
            log.exception("could not discard a consumed upload", extra={"upload_id": item.upload.id})
    return await _load(post_id)


async def _load(post_id: int) -> dict | None:
    row = await Post.select(*POST_COLUMNS).where(Post.id == post_id).first()
    return (await with_media([row]))[0] if row else None


async def get_post(viewer: Viewer, post_id: int) -> dict:
    """A post the viewer may see (posts/visibility.may_see), with its media."""
    row = await _load(post_id)
    if row is None or not visibility.may_see(row, viewer):
        raise NotFoundException("This post does not exist or was deleted.")
    return row


async def delete_post(viewer: Viewer, post_id: int) -> None:
    row = await get_post(viewer, post_id)
    if row["author_id"] != viewer.id and not viewer.at_least("moderator"):
        raise PermissionDeniedException("Only the author or a moderator can delete this post.")
    # With the post go its waiting jobs (other domains' too, through the event); a job already
    # running stops at its next write (posts/fence.py).
    async with events.transaction(Post._meta.db):
        await cancel(f"{PROCESS_JOB}:{post_id}")
        await events.emit(events.POST_DELETED, post_id=post_id)
        await Post.delete().where(Post.id == post_id)
    if row["kind"] != "text":
        # Inline: on local disk this is quick, and a job would need the rows just deleted.
        await attachments.remove_files(post_id)


async def retry_post(viewer: Viewer, post_id: int) -> dict:
    """The author's Retry: a failed post goes back to processing with its kept originals."""
    row = await get_post(viewer, post_id)
    if row["author_id"] != viewer.id:
        raise PermissionDeniedException("Only the author can retry this post.")
    async with Post._meta.db.transaction():
        if not await states.retry(post_id):
            raise ValidationException("Only a post that failed can be retried.")
        await PostMedia.update({PostMedia.status: "processing", PostMedia.error: ""}).where(
            (PostMedia.post == post_id) & (PostMedia.status == "failed")
        )
        await enqueue_processing(post_id)
    return await _load(post_id)


async def set_pin(viewer: Viewer, post_id: int, pinned: bool, until: datetime | None = None) -> dict:
    """Pin a published post to the top of everyone's feed, optionally until a date."""
    row = await get_post(viewer, post_id)
    if row["status"] != states.PUBLISHED:
        raise ValidationException("Only published posts can be pinned.")
    now = datetime.now(timezone.utc)
    if until is not None:
        if until.tzinfo is None:
            until = until.replace(tzinfo=timezone.utc)
        if until <= now:
            raise ValidationException("The end of the pin must be in the future.")
    values = {Post.pinned_at: now, Post.pinned_until: until} if pinned else {Post.pinned_at: None, Post.pinned_until: None}
    await Post.update(values).where(Post.id == post_id)
    return await _load(post_id)
