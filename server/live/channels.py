"""Live updates: "a post was published" fanned out to open PWA clients over server-sent events.

In memory by default (one web process); through Redis pub/sub when REDIS_URL is set, so every
web process hears what any process published. Media posts are published by the worker: it
has no app, so it publishes straight to Redis; without Redis those events stay in the worker
and the web process's watcher (watch.py) notices them from the database instead.
"""

from __future__ import annotations

import asyncio
import logging

import msgspec
from litestar.channels import ChannelsPlugin
from litestar.channels.backends.memory import MemoryChannelsBackend
from litestar.channels.backends.redis import RedisChannelsPubSubBackend

__all__ = ["CHANNEL", "LiveChannels", "make_channels", "post_event", "announce", "announced", "running"]

log = logging.getLogger("hallway.live")

CHANNEL = "hallway.posts"
_PUBLISH_TIMEOUT = 2.0

# The channels of the apps running in this process (tests make several apps in turn).
_running: set[LiveChannels] = set()
_pending: set[asyncio.Task] = set()  # fire-and-forget publishes, kept referenced until done
_worker_redis: tuple | None = None  # (event loop, client): a client belongs to one loop
_recent: dict[int, None] = {}  # post ids announced here lately, so the watcher skips them
_RECENT_MAX = 1000


class LiveChannels(ChannelsPlugin):
    """ChannelsPlugin that knows when its app is running, so the publish listener can reach it."""

    def __init__(self, backend, *, uses_redis: bool) -> None:
        # A slow client loses old events rather than holding memory: the pill needs only one.
        super().__init__(
            backend=backend, channels=[CHANNEL], subscriber_max_backlog=50, subscriber_backlog_strategy="dropleft"
        )
        self.uses_redis = uses_redis
        self._watcher: asyncio.Task | None = None

    async def __aenter__(self) -> LiveChannels:
        await super().__aenter__()
        _running.add(self)
        if not self.uses_redis:
            from server.live.watch import watch

            self._watcher = asyncio.get_running_loop().create_task(watch())
        return self

    async def __aexit__(self, *exc) -> None:
        _running.discard(self)
        if self._watcher is not None:
            self._watcher.cancel()
            await asyncio.gather(self._watcher, return_exceptions=True)
            self._watcher = None
        await super().__aexit__(*exc)


def make_channels(redis_url: str) -> LiveChannels:
    if redis_url:
        from redis.asyncio import Redis

        backend = RedisChannelsPubSubBackend(redis=Redis.from_url(redis_url))
        return LiveChannels(backend, uses_redis=True)
    return LiveChannels(MemoryChannelsBackend(), uses_redis=False)


def running() -> set[LiveChannels]:
    return set(_running)


def announced(post_id: int) -> bool:
    return post_id in _recent


def post_event(post_id: int, author_id: int, audience) -> dict:
    """What travels between processes: the audience too, so each stream shows only what its viewer may see."""
    if isinstance(audience, str):
        audience = msgspec.json.decode(audience or "{}")
    return {"type": "post", "id": post_id, "author_id": author_id, "audience": audience or {}}


def announce(event: dict) -> None:
    """Hand the event to every running app's channels; never waits (publishing must not block)."""
    data = msgspec.json.encode(event)
    _recent[event["id"]] = None
    while len(_recent) > _RECENT_MAX:
        del _recent[next(iter(_recent))]
    if _running:
        for plugin in _running:
            plugin.publish(data, CHANNEL)  # queued; the plugin's own task sends it
        return
    from server.settings import get_settings

    url = get_settings().redis_url
    if url:  # the worker: no app here, but Redis reaches the web processes
        task = asyncio.get_running_loop().create_task(_publish_to_redis(url, data))
        _pending.add(task)
        task.add_done_callback(_pending.discard)


async def _publish_to_redis(url: str, data: bytes) -> None:
    global _worker_redis
    try:
        loop = asyncio.get_running_loop()
        if _worker_redis is None or _worker_redis[0] is not loop:
            from redis.asyncio import Redis

            _worker_redis = (loop, Redis.from_url(url))
        # The pub/sub backend subscribes to the channel name as is, so a plain PUBLISH reaches it.
        await asyncio.wait_for(_worker_redis[1].publish(CHANNEL, data), _PUBLISH_TIMEOUT)
    except Exception:
        log.warning("live update not sent", exc_info=True)
