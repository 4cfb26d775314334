"""A worker killed (SIGKILL) in the middle of a push fan-out: another one finishes it, every phone gets the message.

What the colleagues see: all 1,000 phones show the reminder. The sends the killed worker had
claimed and not yet marked may have gone out already and go again (at least once): at most one
sub-batch for each lane the worker runs (one here, two by default), each of those phones
notified twice, its service worker replacing the first notification with the second (same tag).
Nobody else gets it twice.
"""

from __future__ import annotations

import os

import pytest

from server.notifications.delivery import IN_FLIGHT, SUB_BATCH
from tests.faults.support import Processes, delivered_counts, people_with_devices, until
from tests.support_push import LocalPushService

pytestmark = pytest.mark.faults

COUNT = 1000
DELAY = 0.3  # per message at the push service: the fan-out takes about four seconds
LEASE = 3
LANES = 1  # one job at a time: the kill lands in the middle of the second batch of 500


async def test_a_worker_killed_mid_fan_out_leaves_no_phone_without_the_reminder(engine, database_url, tmp_path):
    from server.jobs.tables import Job
    from server.notifications.services import notify

    service = LocalPushService()
    service.start_in_thread()
    procs = Processes(tmp_path, {
        **os.environ, "HALLWAY_DATA": str(tmp_path / "data"), "DATABASE_URL": database_url,
        "HALLWAY_PUSH_ALLOW_LOOPBACK": "1", "HALLWAY_WORKER_NICE": "0", "HALLWAY_JOB_LEASE": str(LEASE),
        "HALLWAY_WORKER_CONCURRENCY": str(LANES), "HALLWAY_LOG_LEVEL": "WARNING",
    })
    failed = True
    try:
        people = await people_with_devices(COUNT, service)
        sids = [f"p{i}" for i in range(COUNT)]
        for sid in sids:
            service.delay(sid, DELAY)
        first = procs.start("worker-1", "worker")
        await notify(people, "reminder", None, "Fire drill at 11:00", "Meet at the car park.", urgent=True)

        async def under_way():
            if first.poll() is not None:
                raise AssertionError(f"the worker exited before the fan-out:\n{procs.logs()}")
            return len(service.messages) >= COUNT * 3 // 4

        await until(under_way, 60, "the fan-out to be under way")
        procs.kill(first)
        at_kill = len(service.messages)
        assert at_kill < COUNT, "the fan-out ended before the worker was killed: nothing was tested"

        second = procs.start("worker-2", "worker")

        async def finished():
            if second.poll() is not None:
                raise AssertionError(f"the second worker exited:\n{procs.logs()}")
            return await Job.count().where(Job.status.is_in(["queued", "running"])) == 0

        await until(finished, 60, "the second worker to finish the fan-out", every=0.3)
        missing, twice = delivered_counts(service, sids)
        assert missing == [], f"{len(missing)} phones never got the reminder"
        print(f"killed at {at_kill} messages; {len(twice)} phones got the reminder twice")
        # The killed worker's lane had at most one sub-batch claimed and not marked.
        assert len(twice) <= LANES * IN_FLIGHT * SUB_BATCH and set(twice.values()) <= {2}, (
            f"{len(twice)} phones got it more than once (at most {LANES * IN_FLIGHT * SUB_BATCH} may): {list(twice.items())[:5]}"
        )
        assert await Job.count().where(Job.status == "failed") == 0
        assert service.errors == []
        failed = False
    finally:
        procs.stop()
        service.stop_in_thread()
        if failed:
            print(procs.logs())
