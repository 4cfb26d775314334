"""Fixed-window failure counters for sign-in: in memory by default, in Redis when configured."""

from __future__ import annotations

import math
import time
from typing import Protocol

__all__ = ["Limiter", "MemoryLimiter", "RedisLimiter", "make_limiter"]


class Limiter(Protocol):
    async def blocked_for(self, key: str, limit: int) -> int:
        """Seconds until `key` may try again, or 0 when it may try now."""

    async def hit(self, key: str, window: int) -> None:
        """Count one failure for `key` in a window of `window` seconds."""

    async def reset(self, key: str) -> None:
        """Forget the failures of `key` (after a successful sign-in)."""


class MemoryLimiter:
    """Counters in this process; enough for the single-process default."""

    def __init__(self) -> None:
        self._hits: dict[str, tuple[int, float]] = {}

    async def blocked_for(self, key: str, limit: int) -> int:
        count, until = self._hits.get(key, (0, 0.0))
        now = time.monotonic()
        if until <= now:
            self._hits.pop(key, None)
            return 0
        return math.ceil(until - now) if count >= limit else 0

    async def hit(self, key: str, window: int) -> None:
        now = time.monotonic()
        count, until = self._hits.get(key, (0, 0.0))
        if until <= now:
            count, until = 0, now + window
        self._hits[key] = (count + 1, until)
        if len(self._hits) > 100_000:  # bound memory under a spray of addresses
            self._hits = {k: v for k, v in self._hits.items() if v[1] > now}

    async def reset(self, key: str) -> None:
        self._hits.pop(key, None)


class RedisLimiter:
    """Counters shared by every web process."""

    def __init__(self, url: str) -> None:
        from redis.asyncio import Redis

        self._redis = Redis.from_url(url)

    async def blocked_for(self, key: str, limit: int) -> int:
        count, ttl = await self._redis.pipeline().get(f"rl:{key}").ttl(f"rl:{key}").execute()
        return max(int(ttl), 1) if count is not None and int(count) >= limit else 0

    async def hit(self, key: str, window: int) -> None:
        pipe = self._redis.pipeline()
        pipe.incr(f"rl:{key}")
        pipe.expire(f"rl:{key}", window, nx=True)
        await pipe.execute()

    async def reset(self, key: str) -> None:
        await self._redis.delete(f"rl:{key}")


def make_limiter(redis_url: str) -> Limiter:
    return RedisLimiter(redis_url) if redis_url else MemoryLimiter()
