"""Live updates through Redis: what one process publishes reaches the streams of another."""

from __future__ import annotations

import asyncio
import json

import msgspec

from server.live import channels as live_channels
from tests.support import need, redis_up

REDIS_URL = "redis://127.0.0.1:6379/0"
TIMEOUT = 5.0



async def test_web_processes_and_the_worker_share_events_through_redis():
    need(redis_up(), "Redis at 127.0.0.1:6379")
    listening = live_channels.make_channels(REDIS_URL)  # a web process with an open stream
    other = live_channels.make_channels(REDIS_URL)  # another web process
    assert listening.uses_redis
    async with listening, other:
        subscriber = await listening.subscribe(live_channels.CHANNEL)
        events = subscriber.iter_events()
        await asyncio.sleep(0.1)  # the Redis SUBSCRIBE is sent by the backend's task

        other.publish(msgspec.json.encode({"type": "post", "id": 1, "author_id": 7}), live_channels.CHANNEL)
        assert json.loads(await asyncio.wait_for(anext(events), TIMEOUT))["id"] == 1

        # The worker has no app: it PUBLISHes straight to Redis.
        await live_channels._publish_to_redis(REDIS_URL, msgspec.json.encode({"type": "post", "id": 2, "author_id": 7}))
        assert json.loads(await asyncio.wait_for(anext(events), TIMEOUT))["id"] == 2
        await listening.unsubscribe(subscriber)
