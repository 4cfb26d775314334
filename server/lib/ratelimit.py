"""Failure counters: in memory by default, in Redis when configured (shared by every web process).

A backoff (`failures`/`fail`, read through `backoff_wait`): a few failures are free, then each
further one doubles the wait before the next try, up to a ceiling; the count is forgotten some
time after the last failure. Sign-in uses it (server/accounts/throttle.py); write budgets, a
fixed window with a cost, are server/lib/budgets.py.
"""

from __future__ import annotations

import math
import time
from typing import Protocol

__all__ = ["Limiter", "MemoryLimiter", "RedisLimiter", "make_limiter", "backoff_wait", "clock"]

_MAX_KEYS = 100_000  # bound memory under a spray of addresses


def clock() -> float:
    """Seconds since the epoch: the same in every process and on Redis (tests move it)."""
    return time.time()


def backoff_wait(count: int, last: float, free: int, ceiling: int, now: float | None = None) -> int:
    """Seconds until the next try after `count` failures, the last at `last`: 0 while `count` is
    below `free`, then 1 s, 2 s, 4 s … from the last failure, never more than `ceiling`."""
    if count < free:
        return 0
    wait = min(2 ** min(count - free, 30), ceiling)
    left = last + wait - (clock() if now is None else now)
    return math.ceil(left) if left > 0 else 0


class Limiter(Protocol):
    async def failures(self, key: str) -> tuple[int, float]:
        """The backoff count of `key` and the time of its last failure; (0, 0.0) when none."""

    async def fail(self, key: str, forget_after: int) -> None:
        """Count one backoff failure for `key`, forgotten `forget_after` seconds from now."""

    async def reset(self, key: str) -> None:
        """Forget the failures of `key` (after a successful sign-in)."""


class MemoryLimiter:
    """Counters in this process; enough for the single-process default."""

    def __init__(self) -> None:
        # key -> (count, last failure, forget at)
        self._failures: dict[str, tuple[int, float, float]] = {}

    async def failures(self, key: str) -> tuple[int, float]:
        count, last, forget_at = self._failures.get(key, (0, 0.0, 0.0))
        if forget_at <= clock():
            self._failures.pop(key, None)
            return 0, 0.0
        return count, last

    async def fail(self, key: str, forget_after: int) -> None:
        now = clock()
        count, _ = await self.failures(key)
        self._failures.pop(key, None)  # re-inserted last: the dict stays in order of last failure
        self._failures[key] = (count + 1, now, now + forget_after)
        if len(self._failures) > _MAX_KEYS:
            live = {k: v for k, v in self._failures.items() if v[2] > now}
            # Still full: the keys that failed longest ago go first.
            self._failures = dict(list(live.items())[-_MAX_KEYS // 2:]) if len(live) > _MAX_KEYS else live

    async def reset(self, key: str) -> None:
        self._failures.pop(key, None)


class RedisLimiter:
    """Counters shared by every web process."""

    def __init__(self, url: str) -> None:
        from redis.asyncio import Redis

        self._redis = Redis.from_url(url)

    async def failures(self, key: str) -> tuple[int, float]:
        count, last = await self._redis.hmget(f"rl:bo:{key}", "n", "last")
        return (int(count), float(last)) if count is not None and last is not None else (0, 0.0)

    async def fail(self, key: str, forget_after: int) -> None:
        # One transaction: another process's failure in between adds to the count, never replaces it.
        pipe = self._redis.pipeline(transaction=True)
        pipe.hincrby(f"rl:bo:{key}", "n", 1)
        pipe.hset(f"rl:bo:{key}", "last", repr(clock()))
        pipe.expire(f"rl:bo:{key}", forget_after)
        await pipe.execute()

    async def reset(self, key: str) -> None:
        await self._redis.delete(f"rl:bo:{key}")


def make_limiter(redis_url: str) -> Limiter:
    return RedisLimiter(redis_url) if redis_url else MemoryLimiter()
