"""When an announcement is published, everyone in its audience is notified (must-reads urgently)."""

from __future__ import annotations

from server.announcements import audience
from server.announcements.notify import headline, notify
from server.announcements.tables import Announcement
from server.notifications.messages import Message
from server.posts import attachments, states
from server.posts.tables import Post

__all__ = ["announce"]


@states.on_published
async def announce(post_id: int) -> None:
    """Notify the audience; ordinary posts (pinned or not) are none of this module's business."""
    if not await Announcement.exists().where(Announcement.post == post_id):
        return
    row = await Post.select(
        Post.id, Post.body, Post.must_read, Post.audience, Post.author.id.as_alias("author_id"),
        Post.author.name.as_alias("author_name"),
    ).where(Post.id == post_id).first()
    if row is None:  # deleted meanwhile
        return
    people = await audience.members(row["audience"], exclude=row["author_id"])
    media = (await attachments.media_by_post([post_id])).get(post_id, [])
    poster = next((item["poster"] for item in media if item.get("poster")), None)
    await notify(
        [p["id"] for p in people], "must_read" if row["must_read"] else "announcement", post_id,
        Message("must_read" if row["must_read"] else "announcement", {"name": row["author_name"]}), headline(row["body"]),
        urgent=row["must_read"], url=f"/#/post/{post_id}", image=poster,
    )
