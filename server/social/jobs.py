"""Social's job: the followers of a post's author are told it is out (in-app, and pushed)."""

from __future__ import annotations

import json
from typing import Any

from server.jobs.registry import job
from server.notifications import services as notifications
from server.notifications.messages import Message
from server.notifications.tables import Notification
from server.posts import attachments, fence, states
from server.posts.tables import Post
from server.social.follows import followers_of

__all__ = ["notify_followers"]

_FIRST_LINE = 140


def _title(name: str, kind: str, media: list[dict]) -> Message:
    """"Ana posted a video", in each follower's language (server/notifications/messages.py)."""
    if kind == "video":
        return Message("post.video", {"name": name})
    if kind == "gallery":
        return Message("post.photo" if len(media) == 1 else "post.photos", {"name": name})
    return Message("post", {"name": name})


def image_of(media: list[dict]) -> str:
    """The poster of a video, or a phone-sized variant of a gallery's first photo."""
    if not media:
        return ""
    first = media[0]
    if first.get("poster"):
        return first["poster"]
    variants = sorted(first.get("variants") or [], key=lambda v: v.get("width") or 0)
    fitting = [v for v in variants if (v.get("width") or 0) <= 1080]
    chosen = (fitting or variants or [{}])[-1]
    return chosen.get("url") or ""


def _first_line(body: str) -> str:
    line = next((part.strip() for part in body.splitlines() if part.strip()), "")
    return line if len(line) <= _FIRST_LINE else line[: _FIRST_LINE - 1].rstrip() + "…"


def _has_audience(raw: Any) -> bool:
    value = json.loads(raw) if isinstance(raw, str) and raw else raw
    return bool(value)


@job(timeout=300, tries=5, backoff=10)
async def notify_followers(payload: dict[str, Any]) -> None:
    """Notify the author's followers of a published post (safe to run twice: `notify(once=True)`)."""
    post_id = payload["post_id"]
    post = await Post.select(
        Post.id, Post.kind, Post.body, Post.status, Post.must_read, Post.audience,
        Post.author.id.as_alias("author_id"), Post.author.name.as_alias("author_name"),
    ).where(fence.post_where(payload)).first()
    if post is None or post["status"] != states.PUBLISHED:
        return  # deleted, or not visible any more: nothing to say
    # Announcements (must-read or for an audience) are notified by server/announcements to
    # exactly their audience; following the author must not widen it.
    if post["must_read"] or _has_audience(post["audience"]):
        return
    author = post["author_id"]
    recipients = [uid for uid in dict.fromkeys(await followers_of(author)) if uid != author]
    if not recipients:
        return
    # Someone already told about this post some other way (a mention, an announcement) gets no second one.
    told = {r["user"] for r in await Notification.select(Notification.user).where(Notification.post == post_id)}
    recipients = [uid for uid in recipients if uid not in told]
    media = (await attachments.media_by_post([post_id])).get(post_id, []) if post["kind"] != "text" else []
    await notifications.notify(
        recipients, "post", post_id, _title(post["author_name"], post["kind"], media), _first_line(post["body"]),
        image=image_of(media),
    )
