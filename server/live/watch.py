"""Without Redis the worker's publishes cannot reach the web process: notice them in the database.

On SQLite the change counter (db.change_counter, a few microseconds) is looked at four times a
second and the posts are read only after a commit somewhere, so a video the worker publishes
shows in colleagues' "New posts" pill within a fraction of a second. PostgreSQL has no such
counter: one cheap indexed query every few seconds per web process. Only in the in-memory
mode; posts this process announced itself are skipped.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timezone

from server.db import change_counter
from server.live import channels
from server.posts.tables import Post

__all__ = ["watch", "INTERVAL", "TICK"]

log = logging.getLogger("hallway.live")
# Without a change counter: how often the posts are read.
INTERVAL = 5.0
# With one: how often it is looked at.
TICK = 0.25


async def watch() -> None:
    loop = asyncio.get_running_loop()
    since = datetime.now(timezone.utc)
    engine = Post._meta.db
    seen = change_counter(engine)
    last_read = loop.time()
    while True:
        await asyncio.sleep(TICK if seen is not None else INTERVAL)
        if seen is not None:
            version = change_counter(engine)
            if version == seen and loop.time() - last_read < INTERVAL:
                continue
            seen = version
        last_read = loop.time()
        try:
            rows = await Post.select(Post.id, Post.author, Post.audience, Post.published_at).where(
                (Post.status == "published") & (Post.published_at > since)
            ).order_by(Post.published_at).limit(100)
        except Exception:
            log.warning("live watcher could not read posts", exc_info=True)
            continue
        for row in rows:
            since = max(since, row["published_at"])
            if not channels.announced(row["id"]):
                channels.announce(channels.post_event(row["id"], row["author"], row["audience"]))
