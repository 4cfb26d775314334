"""Publishing a post tells open clients: {type: "post", id, author_id, audience} on the live channel.

Registered to run after the publishing commit (server/wiring.py), in the web process and the
worker alike: the worker, which publishes every media post, reaches the web processes through
Redis; without Redis the web process's watcher (watch.py) finds the post in the database.
"""

from __future__ import annotations

from server.live import channels
from server.posts.tables import Post
from server.settings import get_settings

__all__ = ["after_publish"]


async def after_publish(post_id: int) -> None:
    if not channels.running() and not get_settings().redis_url:
        return  # nobody in this process listens, and no Redis carries it further
    row = await Post.select(Post.author, Post.audience).where(Post.id == post_id).first()
    if row is not None:
        channels.announce(channels.post_event(post_id, row["author"], row["audience"]))
