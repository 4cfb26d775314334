"""#hashtags of posts, recorded when a post is published."""

from __future__ import annotations

from server.social.access import is_duplicate
from server.social.parsing import hashtags
from server.social.tables import PostTag

__all__ = ["record_tags", "MAX_TAGS"]

MAX_TAGS = 30  # per post; the rest of a wall of tags stays text


async def record_tags(post_id: int, body: str) -> list[str]:
    tags = hashtags(body)[:MAX_TAGS]
    known = {r["tag"] for r in await PostTag.select(PostTag.tag).where(PostTag.post == post_id)}
    for tag in tags:
        if tag in known:
            continue
        try:
            await PostTag.insert(PostTag(post=post_id, tag=tag))
        except Exception as exc:
            if not is_duplicate(exc):
                raise
    return tags
