"""What the posts domain does: write, read, delete and pin posts."""

from __future__ import annotations

from datetime import datetime, timezone

from litestar.exceptions import NotFoundException, PermissionDeniedException, ValidationException

from server.lib.guards import Viewer
from server.lib.text import clean_text
from server.posts import states
from server.posts.schemas import Author, NewPost, PostOut
from server.posts.tables import Post

__all__ = ["MAX_BODY", "POST_COLUMNS", "create_post", "get_post", "delete_post", "set_pin", "post_out", "is_pinned"]

MAX_BODY = 5000

# The columns every post listing selects: the post and its author in one query.
POST_COLUMNS = (
    Post.id, Post.kind, Post.body, Post.status, Post.error, Post.created_at, Post.published_at,
    Post.pinned_at, Post.pinned_until, Post.must_read,
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
        media=[],
        can_delete=row["author_id"] == viewer.id or viewer.at_least("moderator"),
        can_pin=viewer.at_least("moderator"),
    )


async def create_post(viewer: Viewer, data: NewPost) -> dict:
    """A text post is published at once."""
    body = clean_text(data.body, field="post", max_length=MAX_BODY, multiline=True)
    if data.upload_ids:
        raise ValidationException("Posting photos and videos is not available yet.")
    if not body:
        raise ValidationException("Write something before posting.")
    rows = await Post.insert(Post(author=viewer.id, body=body, kind="text", status=states.PROCESSING)).returning(Post.id)
    await states.publish(rows[0]["id"])
    return await _load(rows[0]["id"])


async def _load(post_id: int) -> dict | None:
    return await Post.select(*POST_COLUMNS).where(Post.id == post_id).first()


async def get_post(viewer: Viewer, post_id: int) -> dict:
    """A post the viewer may see: published ones, and their own in any state."""
    row = await _load(post_id)
    if row is None or (row["status"] != states.PUBLISHED and row["author_id"] != viewer.id and not viewer.at_least("moderator")):
        raise NotFoundException("This post does not exist or was deleted.")
    return row


async def delete_post(viewer: Viewer, post_id: int) -> None:
    row = await get_post(viewer, post_id)
    if row["author_id"] != viewer.id and not viewer.at_least("moderator"):
        raise PermissionDeniedException("Only the author or a moderator can delete this post.")
    await Post.delete().where(Post.id == post_id)


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
