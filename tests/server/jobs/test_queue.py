"""The persisted job queue and the worker loop: claiming, leases, retries with backoff, giving up."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

import pytest

from server.jobs import queue, registry
from server.jobs.tables import Job
from server.worker import run_one


def _now() -> datetime:
    return datetime.now(timezone.utc)


@pytest.fixture
def kinds():
    """Register job kinds for one test only."""
    added: list[str] = []

    def add(kind: str, fn, gave_up=None, **spec):
        registry.register(kind, registry.job(**spec)(fn), gave_up)
        added.append(kind)

    yield add
    for kind in added:
        registry.handlers.pop(kind, None)
        registry._gave_up.pop(kind, None)


async def _job(kind: str | None = None) -> dict:
    query = Job.select()
    if kind:
        query = query.where(Job.kind == kind)
    return await query.first()


async def test_unique_key_keeps_one_live_job_until_it_is_done(engine):
    await queue.enqueue("demo", {"id": 1}, unique_key="demo:1")
    await queue.enqueue("demo", {"id": 1}, unique_key="demo:1")
    assert await Job.count() == 1
    claimed = await queue.claim(lease=30)
    assert (claimed.kind, claimed.payload, claimed.attempts) == ("demo", {"id": 1}, 1)
    await queue.enqueue("demo", {"id": 1}, unique_key="demo:1")  # still running: nothing new
    assert await Job.count() == 1
    await queue.complete(claimed)
    await queue.enqueue("demo", {"id": 1}, unique_key="demo:1")  # asked for again later: a new job
    assert await Job.count() == 2


async def test_claim_takes_due_jobs_in_order_and_respects_leases(engine):
    await queue.enqueue("later", {}, run_at=_now() + timedelta(minutes=5))
    await queue.enqueue("first", {})
    await queue.enqueue("second", {})
    a = await queue.claim(lease=30)
    b = await queue.claim(lease=30)
    assert (a.kind, b.kind) == ("first", "second")
    assert await queue.claim(lease=30) is None  # "later" is not due; the others are leased
    row = await Job.select().where(Job.id == a.id).first()
    assert row["status"] == "running" and row["locked_by"] == queue.WORKER_ID
    assert timedelta(seconds=25) < row["locked_until"] - _now() <= timedelta(seconds=30)
    # A worker that died holds its job only until the lease runs out.
    await Job.update({Job.locked_until: _now() - timedelta(seconds=1)}).where(Job.id == a.id)
    again = await queue.claim(lease=30)
    assert (again.id, again.attempts) == (a.id, 2)


async def test_backoff_doubles_and_the_last_try_fails(engine):
    spec = queue.JobSpec(tries=3, backoff=5)
    await queue.enqueue("flaky", {}, unique_key="flaky")
    delays = []
    for attempt in (1, 2):
        job = await queue.claim(lease=30)
        assert job.attempts == attempt
        assert await queue.retry_or_fail(job, "boom", spec) is True
        row = await _job()
        assert (row["status"], row["last_error"], row["locked_until"]) == ("queued", "boom", None)
        delays.append(round((row["run_at"] - _now()).total_seconds()))
        assert await queue.claim(lease=30) is None  # not due yet
        await Job.update({Job.run_at: _now()}).where(Job.id == job.id)
    assert delays == [5, 10]
    job = await queue.claim(lease=30)
    assert await queue.retry_or_fail(job, "boom again", spec) is False
    row = await _job()
    assert (row["status"], row["attempts"], row["last_error"], row["unique_key"]) == ("failed", 3, "boom again", None)
    assert row["finished_at"] is not None
    assert await queue.claim(lease=30) is None


async def test_worker_retries_a_crash_and_gives_up_after_the_last_try(engine, kinds):
    runs, gave_up = [], []

    async def crashes(payload):
        runs.append(payload["n"])
        raise RuntimeError("disk on fire")

    async def told(payload, error):
        gave_up.append((payload, error))

    kinds("test-crash", crashes, told, tries=2, backoff=60)
    await queue.enqueue("test-crash", {"n": 7})
    assert await run_one() is True
    row = await _job()
    assert (row["status"], row["attempts"], row["last_error"]) == ("queued", 1, "RuntimeError: disk on fire")
    assert 55 < (row["run_at"] - _now()).total_seconds() <= 60
    assert await run_one() is False and gave_up == []
    await Job.update({Job.run_at: _now()}, force=True)
    assert await run_one() is True
    row = await _job()
    assert (row["status"], row["attempts"]) == ("failed", 2)
    assert runs == [7, 7] and gave_up == [({"n": 7}, "RuntimeError: disk on fire")]


async def test_permanent_error_is_not_retried(engine, kinds):
    gave_up = []

    async def refuses(payload):
        raise registry.Permanent("the file is not a video")

    async def told(payload, error):
        gave_up.append(error)

    kinds("test-permanent", refuses, told, tries=5)
    await queue.enqueue("test-permanent", {})
    assert await run_one() is True
    row = await _job()
    assert (row["status"], row["attempts"], row["last_error"]) == ("failed", 1, "the file is not a video")
    assert gave_up == ["the file is not a video"]


async def test_timeout_counts_as_a_crash(engine, kinds):
    async def slow(payload):
        await asyncio.sleep(5)

    kinds("test-slow", slow, timeout=0.2, tries=3)
    await queue.enqueue("test-slow", {})
    assert await run_one() is True
    row = await _job()
    assert (row["status"], row["attempts"], row["last_error"]) == ("queued", 1, "TimeoutError")


async def test_unknown_kind_fails_at_once(engine):
    await queue.enqueue("no-such-kind", {})
    assert await run_one() is True
    row = await _job()
    assert (row["status"], row["last_error"]) == ("failed", "no handler for job kind 'no-such-kind'")


async def test_a_running_job_keeps_its_lease(engine, kinds, monkeypatch):
    """A live worker renews its lease, so nobody else takes a job that outlasts HALLWAY_JOB_LEASE."""
    from server.settings import reset_settings

    monkeypatch.setenv("HALLWAY_JOB_LEASE", "1")
    reset_settings()
    stolen = []

    async def long(payload):
        for _ in range(6):
            await asyncio.sleep(0.4)
            stolen.append(await queue.claim(lease=1))

    kinds("test-long", long, timeout=10)
    await queue.enqueue("test-long", {})
    try:
        assert await run_one() is True
    finally:
        monkeypatch.delenv("HALLWAY_JOB_LEASE")
        reset_settings()
    assert stolen == [None] * 6  # 2.4 s of work on a 1 s lease, never up for grabs
    row = await _job()
    assert (row["status"], row["attempts"]) == ("done", 1)


async def test_a_worker_that_lost_its_lease_stops_and_leaves_the_job_alone(engine, kinds, monkeypatch):
    """After an outage longer than the lease, another worker owns the job: this one must let go."""
    from server.settings import reset_settings

    monkeypatch.setenv("HALLWAY_JOB_LEASE", "1")
    reset_settings()
    finished = []

    async def long(payload):
        # Meanwhile the lease ran out and another worker took the job.
        await Job.update({Job.locked_by: "elsewhere:1", Job.attempts: 2}).where(Job.kind == "test-taken")
        await asyncio.sleep(3)
        finished.append(True)

    kinds("test-taken", long, timeout=10)
    await queue.enqueue("test-taken", {})
    try:
        assert await run_one() is True
    finally:
        monkeypatch.delenv("HALLWAY_JOB_LEASE")
        reset_settings()
    assert finished == []  # cancelled at the first renewal, not run to the end
    row = await _job()
    assert (row["status"], row["locked_by"], row["attempts"], row["last_error"]) == ("running", "elsewhere:1", 2, "")


# SQLite has one writer, so one worker claims at a time by construction: PostgreSQL only.
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_postgres_workers_never_share_a_job(engine):
    """FOR UPDATE SKIP LOCKED: a claim passes over a job another worker is claiming right now."""
    from server.db import is_postgres

    assert is_postgres(engine)
    for n in range(30):
        await queue.enqueue("bulk", {"n": n})

    # Worker A claims inside a transaction it keeps open, so its row stays locked.
    a_claimed, b_done = asyncio.Event(), asyncio.Event()

    async def worker_a():
        async with engine.transaction():
            job = await queue.claim(lease=30)
            a_claimed.set()
            await asyncio.wait_for(b_done.wait(), 10)
            return job

    async def worker_b():
        await a_claimed.wait()
        async with engine.transaction():
            # Without SKIP LOCKED this would wait on A's row lock (and A waits for us): a timeout.
            job = await asyncio.wait_for(queue.claim(lease=30), 5)
        b_done.set()
        return job

    first, second = await asyncio.gather(worker_a(), worker_b())
    assert first.id != second.id

    # And many claimers at once take every job exactly once.
    async def drain() -> list[int]:
        taken = []
        while job := await queue.claim(lease=30):
            taken.append(job.payload["n"])
        return taken

    lanes = await asyncio.gather(*(drain() for _ in range(4)))
    taken = [n for lane in lanes for n in lane]
    assert len(taken) == len(set(taken)) == 28
    assert sorted(taken + [first.payload["n"], second.payload["n"]]) == list(range(30))


async def test_a_worker_whose_job_was_taken_over_cannot_finish_or_fail_it(engine):
    """The old worker's late outcome must not overwrite the new owner's run (nor free its unique key)."""
    await queue.enqueue("demo", {"id": 7}, unique_key="demo:7")
    claimed = await queue.claim(lease=30)
    await Job.update({Job.locked_by: "elsewhere:1", Job.attempts: 2}).where(Job.id == claimed.id)
    await queue.complete(claimed)
    assert await queue.retry_or_fail(claimed, "boom", queue.JobSpec()) is True
    assert await queue.retry_or_fail(claimed, "boom", queue.JobSpec(), permanent=True) is False
    row = await _job("demo")
    assert (row["status"], row["locked_by"], row["unique_key"], row["last_error"]) == ("running", "elsewhere:1", "demo:7", "")


async def test_a_lane_whose_job_another_lane_took_again_can_neither_renew_finish_nor_claim_work(engine):
    """Two lanes of one worker share its id; the attempt number tells their claims apart.

    After a database outage longer than the lease, the other lane takes the job again. The first
    lane's late renewal and outcome must come to nothing, and so must its claims of work that
    leaves the database (pushes: server/notifications/delivery.py), or both would send them.
    """
    await queue.enqueue("demo", {"id": 8})
    first = await queue.claim(lease=30)
    await Job.update({Job.locked_until: _now() - timedelta(seconds=1)}).where(Job.id == first.id)
    second = await queue.claim(lease=30)
    assert (second.id, second.attempts, first.attempts) == (first.id, 2, 1)

    assert queue.still_held() is None  # outside a job nothing is fenced
    for attempt, holds in ((first, False), (second, True)):
        token = queue.running.set(attempt)
        try:
            assert await Job.exists().where(queue.still_held()) is holds
        finally:
            queue.running.reset(token)
    assert await queue.renew(first, lease=30) is False
    await queue.complete(first)
    row = await _job("demo")
    assert (row["status"], row["attempts"]) == ("running", 2)
    assert await queue.renew(second, lease=30) is True
    await queue.complete(second)
    assert (await _job("demo"))["status"] == "done"
