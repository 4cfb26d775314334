"""The backoff counters of server/lib/ratelimit.py, in memory and in Redis (shared by web processes)."""

from __future__ import annotations

import uuid

import pytest

from server.lib import ratelimit
from server.lib.ratelimit import MemoryLimiter, RedisLimiter, backoff_wait
from tests.support import need

REDIS = "redis://127.0.0.1:6379/0"


async def _redis_reachable() -> bool:
    import redis.asyncio as redis

    probe = redis.Redis.from_url(REDIS)
    try:
        await probe.ping()
        return True
    except OSError:
        return False
    finally:
        await probe.aclose()


@pytest.fixture(params=["memory", "redis"])
async def limiters(request):
    """Two limiters that should see the same counts: one object in memory, two Redis clients."""
    if request.param == "memory":
        one = MemoryLimiter()
        yield one, one
        return
    need(await _redis_reachable(), f"Redis is not reachable at {REDIS}")
    yield RedisLimiter(REDIS), RedisLimiter(REDIS)


def test_backoff_is_free_then_doubles_up_to_the_ceiling():
    assert backoff_wait(4, last=100.0, free=5, ceiling=900, now=100.0) == 0
    assert [backoff_wait(n, last=100.0, free=5, ceiling=900, now=100.0) for n in (5, 6, 7, 8)] == [1, 2, 4, 8]
    assert backoff_wait(40, last=100.0, free=5, ceiling=900, now=100.0) == 900
    # Measured from the last failure: time already waited counts.
    assert backoff_wait(8, last=100.0, free=5, ceiling=900, now=105.0) == 3
    assert backoff_wait(8, last=100.0, free=5, ceiling=900, now=109.0) == 0


async def test_failures_add_up_across_processes_and_reset(limiters):
    one, other = limiters
    key = f"test:{uuid.uuid4().hex}"  # a key of its own: the Redis server may be shared
    assert await one.failures(key) == (0, 0.0)
    for _ in range(3):
        await one.fail(key, 60)
    await other.fail(key, 60)
    count, last = await other.failures(key)
    assert count == 4 and last > 0
    await other.reset(key)
    assert await one.failures(key) == (0, 0.0)


async def test_failures_are_forgotten_after_the_quiet_time(monkeypatch):
    now = [1_900_000_000.0]
    monkeypatch.setattr(ratelimit, "clock", lambda: now[0])
    limiter = MemoryLimiter()
    await limiter.fail("k", 60)
    now[0] += 50
    await limiter.fail("k", 60)  # each failure starts the quiet time again
    now[0] += 50
    assert (await limiter.failures("k"))[0] == 2
    now[0] += 11
    assert await limiter.failures("k") == (0, 0.0)


async def test_redis_forgets_failures_after_the_quiet_time():
    need(await _redis_reachable(), f"Redis is not reachable at {REDIS}")
    limiter = RedisLimiter(REDIS)
    key = f"test:{uuid.uuid4().hex}"
    await limiter.fail(key, 1)
    assert (await limiter.failures(key))[0] == 1
    import asyncio

    await asyncio.sleep(1.2)
    assert await limiter.failures(key) == (0, 0.0)


async def test_the_memory_store_stays_bounded_under_a_spray_of_keys(monkeypatch):
    monkeypatch.setattr(ratelimit, "_MAX_KEYS", 100)
    limiter = MemoryLimiter()
    for i in range(1000):
        await limiter.fail(f"addr:{i}", 3600)
    assert len(limiter._failures) <= 100
    assert (await limiter.failures("addr:999"))[0] == 1  # the newest are kept
