"""PostgreSQL restarted in the middle of a push fan-out: the worker carries on, every phone buzzes exactly once.

A real `hallway worker` sends a reminder to 1,500 colleagues, one phone each, through a local push
service that takes a moment per message, so the fan-out lasts several seconds. While it runs, the
database is stopped (`pg_ctl stop -m fast`: every session ends at once) and started again three
seconds later, as an operator's restart or a fail-over does. What the colleagues see: each phone
shows the reminder once — none misses it, none shows it twice — and the worker is still running.
"""

from __future__ import annotations

import asyncio
import os

import pytest

from tests.faults.support import Processes, delivered_counts, people_with_devices, query, until
from tests.support_push import LocalPushService

pytestmark = pytest.mark.faults

COUNT = 1500
# Per message at the push service: with the sender's 80 slots per push service, about 5 s in all.
DELAY = 0.25
LEASE = 10
OUTAGE = 3.0


async def _unfinished_jobs(url: str) -> int:
    try:
        rows = await query(url, "SELECT count(*) AS n FROM jobs WHERE status IN ('queued', 'running')")
    except (OSError, Exception):  # noqa: BLE001  the server is still starting: ask again
        return -1
    return rows[0]["n"]


async def test_a_database_restart_mid_fan_out_sends_each_phone_the_reminder_exactly_once(private_postgres, tmp_path):
    from server import db, piccolo_conf
    from server.migrations import migrate
    from server.notifications.services import notify
    from server.settings import get_settings

    url = await private_postgres.create_database()
    engine = db.make_engine(url, get_settings().data_dir)
    piccolo_conf.use_engine(engine)
    await db.start_engine(engine)
    service = LocalPushService()
    service.start_in_thread()
    data = tmp_path / "data"
    data.mkdir()
    procs = Processes(tmp_path, {
        **os.environ, "HALLWAY_DATA": str(data), "DATABASE_URL": url, "HALLWAY_PUSH_ALLOW_LOOPBACK": "1",
        "HALLWAY_WORKER_NICE": "0", "HALLWAY_JOB_LEASE": str(LEASE), "HALLWAY_LOG_LEVEL": "WARNING",
    })
    failed = True
    try:
        await migrate(engine)
        people = await people_with_devices(COUNT, service)
        sids = [f"p{i}" for i in range(COUNT)]
        for sid in sids:
            service.delay(sid, DELAY)
        worker = procs.start("worker", "worker")
        # Urgent, as a must-read reminder is: quiet hours do not hold it back, whatever the hour.
        await notify(people, "reminder", None, "Fire drill at 11:00", "Meet at the car park.", urgent=True)
        await db.stop_engine(engine)  # the test's own connections stay out of the outage

        async def sending():
            if worker.poll() is not None:
                raise AssertionError(f"the worker exited before the fan-out:\n{procs.logs()}")
            return len(service.messages) >= COUNT // 5

        await until(sending, 60, "the fan-out to be under way")
        assert len(service.messages) < COUNT, "the fan-out ended before the database stopped: nothing was tested"
        private_postgres.stop("fast")
        await asyncio.sleep(OUTAGE)
        private_postgres.start()

        async def finished():
            return await _unfinished_jobs(url) == 0
        await until(finished, 60, "every job to finish after the restart", every=0.5)

        assert worker.poll() is None, f"the worker died in the outage:\n{procs.logs()}"
        missing, twice = delivered_counts(service, sids)
        assert (len(missing), len(twice)) == (0, 0), (
            f"{len(missing)} phones got nothing and {len(twice)} got the reminder more than once "
            f"(e.g. {list(twice.items())[:5]}); {len(service.messages)} messages for {COUNT} phones"
        )
        assert service.errors == []
        failed_jobs = await query(url, "SELECT kind, last_error FROM jobs WHERE status = 'failed'")
        assert failed_jobs == []
        # And it still stops when asked: no connection of the outage is left holding it up.
        worker.terminate()
        assert worker.wait(20) == 0
        failed = False
    finally:
        procs.stop()
        service.stop_in_thread()
        if engine.pool is not None:
            await db.stop_engine(engine)
        if failed:
            print(procs.logs())
            print("----- postgres -----\n" + private_postgres.logs())


async def test_an_idle_worker_hears_of_new_jobs_again_after_a_restart(private_postgres):
    """The LISTEN connection dies with the server; without it a colleague's post waited for the next poll."""
    from server import db, piccolo_conf
    from server.jobs import queue
    from server.jobs.wakeup import Wakeup
    from server.lib.outages import patiently
    from server.migrations import migrate
    from server.settings import get_settings

    url = await private_postgres.create_database()
    engine = db.make_engine(url, get_settings().data_dir)
    piccolo_conf.use_engine(engine)
    await db.start_engine(engine)
    wakeup = Wakeup(engine)
    try:
        await migrate(engine)
        await wakeup.start()
        await asyncio.to_thread(private_postgres.stop, "fast")
        await asyncio.to_thread(private_postgres.start)
        # Listening again counts as a wake-up: jobs may have been queued while nobody listened.
        await asyncio.wait_for(wakeup.wait(60, asyncio.Event()), 10)

        waiting = asyncio.ensure_future(wakeup.wait(60, asyncio.Event()))
        await asyncio.sleep(0.3)
        assert not waiting.done(), "nothing was queued: the worker keeps waiting"
        await patiently(lambda: queue.enqueue("demo", {}), what="queue a job after the restart")
        await asyncio.wait_for(waiting, 5)
    finally:
        await wakeup.stop()
        await db.stop_engine(engine)
