"""An idle worker wakes when a job is queued (SQLite's commit counter, PostgreSQL's NOTIFY), not on its next poll."""

from __future__ import annotations

import asyncio

from server.jobs import queue
from server.jobs.wakeup import Wakeup


async def test_an_idle_wait_ends_as_soon_as_a_job_is_queued(engine):
    wakeup = Wakeup(engine)
    await wakeup.start()
    try:
        waiting = asyncio.ensure_future(wakeup.wait(30, asyncio.Event()))
        await asyncio.sleep(0.3)
        assert not waiting.done(), "nothing was queued: the worker keeps waiting"
        loop = asyncio.get_running_loop()
        queued_at = loop.time()
        await queue.enqueue("demo", {"id": 1})
        await asyncio.wait_for(waiting, 5)
        # Woken within a few ticks of the commit, not after the 30 s fallback poll.
        assert loop.time() - queued_at < 2
    finally:
        await wakeup.stop()


async def test_an_idle_wait_ends_on_its_timeout_or_when_stopping(engine):
    wakeup = Wakeup(engine)
    await wakeup.start()
    loop = asyncio.get_running_loop()
    try:
        started = loop.time()
        await wakeup.wait(0.2, asyncio.Event())
        assert 0.15 < loop.time() - started < 2

        stopping = asyncio.Event()
        waiting = asyncio.ensure_future(wakeup.wait(30, stopping))
        await asyncio.sleep(0.1)
        stopping.set()
        await asyncio.wait_for(waiting, 2)
    finally:
        await wakeup.stop()
