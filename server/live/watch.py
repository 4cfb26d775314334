"""Without Redis the worker's publishes cannot reach the web process: notice them in the database.

One cheap indexed query every few seconds per web process (status, published_at), only in the
in-memory mode; posts this process announced itself are skipped.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timezone

from server.live import channels
from server.posts.tables import Post

__all__ = ["watch", "INTERVAL"]

log = logging.getLogger("hallway.live")
INTERVAL = 5.0


async def watch() -> None:
    since = datetime.now(timezone.utc)
    while True:
        await asyncio.sleep(INTERVAL)
        try:
            rows = await Post.select(Post.id, Post.author, Post.published_at).where(
                (Post.status == "published") & (Post.published_at > since)
            ).order_by(Post.published_at).limit(100)
        except Exception:
            log.warning("live watcher could not read posts", exc_info=True)
            continue
        for row in rows:
            since = max(since, row["published_at"])
            if not channels.announced(row["id"]):
                channels.announce({"type": "post", "id": row["id"], "author_id": row["author"]})
