"""Per-person limits on writing (posts, comments, people mentioned): budgets per window, in memory or Redis.

Unlike the sign-in limits (server/accounts/throttle.py), which count failures after the fact, a
budget is checked and taken in one step, with a cost (a comment naming five colleagues spends
five mentions), so two requests at once cannot both take the last unit. Windows are fixed, as
Mastodon's per-account rate limits are; each process keeps its own counters unless REDIS_URL
makes them shared.
"""

from __future__ import annotations

import math
import time
from typing import Protocol

from litestar.exceptions import HTTPException, ValidationException

from server.settings import get_settings

__all__ = ["WINDOW", "Store", "MemoryStore", "RedisStore", "TooMany", "configure", "get_store", "counted", "spend"]

WINDOW = 3600  # every write limit is "so many per hour"


class TooMany(HTTPException):
    """429 with Retry-After and a sentence saying what to wait for."""

    status_code = 429


class Store(Protocol):
    async def take(self, key: str, cost: int, limit: int, window: int) -> int:
        """Take `cost` from the budget of `limit` per `window` seconds: 0 when taken, else seconds until it may be."""


class MemoryStore:
    """Counters in this process; enough for the single-process default."""

    def __init__(self) -> None:
        self._used: dict[str, tuple[int, float]] = {}

    async def take(self, key: str, cost: int, limit: int, window: int) -> int:
        now = time.monotonic()
        used, until = self._used.get(key, (0, 0.0))
        if until <= now:
            used, until = 0, now + window
        if used + cost > limit:
            return max(1, math.ceil(round(until - now, 3)))  # round: float noise would make 3600 s 3601
        self._used[key] = (used + cost, until)
        if len(self._used) > 100_000:  # bound memory: drop the windows that are over
            self._used = {k: v for k, v in self._used.items() if v[1] > now}
        return 0


# Check and take in one step: two web processes cannot both spend the last unit.
_TAKE = """
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used + tonumber(ARGV[1]) > tonumber(ARGV[2]) then
  local ttl = redis.call('TTL', KEYS[1])
  if ttl < 1 then ttl = tonumber(ARGV[3]) end
  return ttl
end
redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], ARGV[3]) end
return 0
"""


class RedisStore:
    """Counters shared by every web process."""

    def __init__(self, url: str) -> None:
        from redis.asyncio import Redis

        self._redis = Redis.from_url(url)
        self._take = self._redis.register_script(_TAKE)

    async def take(self, key: str, cost: int, limit: int, window: int) -> int:
        return int(await self._take(keys=[f"budget:{key}"], args=[cost, limit, window]))


_store: Store | None = None


def configure(redis_url: str) -> Store:
    """A fresh store for this process (create_app calls it, so each app starts with full budgets)."""
    global _store
    _store = RedisStore(redis_url) if redis_url else MemoryStore()
    return _store


def get_store() -> Store:
    return _store if _store is not None else configure(get_settings().redis_url)


def counted(n: int, noun: str) -> str:
    """"1 post", "30 posts": for the rules the limits state."""
    return f"{n} {noun}{'s' * (n != 1)}"


def _wait(seconds: int) -> str:
    if seconds >= 90:
        return counted(math.ceil(seconds / 60), "minute")
    return counted(seconds, "second")


async def spend(key: str, cost: int, limit: int, rule: str) -> None:
    """Take `cost` from the hourly budget `limit` of `key`, or raise TooMany: `rule` and how long to wait."""
    if cost <= 0:
        return
    if cost > limit:  # no wait would ever let this one through
        raise ValidationException(rule)
    wait = await get_store().take(key, cost, limit, WINDOW)
    if wait:
        raise TooMany(detail=f"{rule} Please wait {_wait(wait)} and try again.", headers={"Retry-After": str(wait)})
