"""Publishing a post tells open clients: {type: "post", id, author_id} on the live channel."""

from __future__ import annotations

import asyncio
import logging

from server.live import channels
from server.posts import states
from server.posts.tables import Post
from server.settings import get_settings

__all__ = ["after_publish"]

log = logging.getLogger("hallway.live")
_tasks: set[asyncio.Task] = set()


@states.on_published
async def after_publish(post_id: int) -> None:
    """Returns at once: looking up the author and sending happen in a task of their own."""
    if not channels.running() and not get_settings().redis_url:
        return  # nobody in this process listens, and no Redis carries it further
    task = asyncio.get_running_loop().create_task(_announce(post_id))
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


async def _announce(post_id: int) -> None:
    try:
        row = await Post.select(Post.author).where(Post.id == post_id).first()
        if row is not None:
            channels.announce({"type": "post", "id": post_id, "author_id": row["author"]})
    except Exception:
        log.warning("live update for post %s not sent", post_id, exc_info=True)
