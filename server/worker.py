"""The worker process: takes due jobs from the database and runs them; any number may run.

Nothing needs recovering at start: a running job's lease is renewed while it runs, so a job
whose worker died keeps status `running` only until its lease (HALLWAY_JOB_LEASE) runs out,
then the next claim takes it again (jobs are safe to run twice).

A database that goes away (a restart, a fail-over) takes no worker down: the lanes keep asking
for work, the lease renewals keep asking until it is back, and a job's end (done, or retry
later) is written down once it is, so a job that finished is not run again.
"""

from __future__ import annotations

import asyncio
import logging
import signal

from server import db, wiring
from server.jobs import queue
from server.jobs.wakeup import Wakeup
from server.jobs.registry import Permanent, gave_up_handler, handlers
from server.lib.outages import is_transient, patiently
from server.settings import get_settings

__all__ = ["configure", "run_worker", "run_one", "sweep"]

log = logging.getLogger("hallway.worker")
# The longest an idle worker waits before looking again even without a wake-up signal.
IDLE_SLEEP = 1.0
# While the database is unreachable: how soon a lease renewal is asked for again.
_RENEW_AGAIN = 1.0


async def run_one() -> bool:
    """Claim and run one due job; False when none was due."""
    lease = get_settings().job_lease
    job = await queue.claim(lease=lease)
    if job is None:
        return False
    entry = handlers.get(job.kind)
    if entry is None:
        await _record(job, f"no handler for job kind {job.kind!r}", queue.JobSpec(), permanent=True)
        return True
    handler, spec = entry
    running = queue.running.set(job)
    try:
        await _holding_lease(job, asyncio.wait_for(handler(job.payload), timeout=spec.timeout), lease)
    except queue.LeaseLost:
        # Another worker runs it now and owns its row: stop without touching it.
        log.warning("job lease lost", extra={"job_id": job.id, "kind": job.kind})
    except Permanent as exc:
        await _give_up(job, str(exc), spec)
    except Exception as exc:  # noqa: BLE001  a crashing job is retried, never takes the worker down
        reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        log.warning("job failed", extra={"job_id": job.id, "kind": job.kind, "attempt": job.attempts, "error": reason})
        if not await _record(job, reason, spec):
            await _give_up(job, reason, spec, already_failed=True)
    else:
        # Once the database is back: a finished job left `running` would run again when its lease ends.
        await patiently(lambda: queue.complete(job), what="finish a job")
    finally:
        queue.running.reset(running)
    return True


async def _record(job: queue.Claimed, reason: str, spec: queue.JobSpec, *, permanent: bool = False) -> bool:
    return await patiently(lambda: queue.retry_or_fail(job, reason, spec, permanent=permanent), what="record a failed job")


async def _holding_lease(job: queue.Claimed, work, lease: float) -> None:
    """Run a job while renewing its lease: a live worker keeps it, a killed one loses it within `lease`.

    While the database is unreachable the renewal is asked for again every second, so the lease
    is extended the moment it is back, before another lane or worker may take the job. One that
    could not renew in time (an outage longer than the lease) finds the job taken by another
    attempt and stops its own, so two workers never work on one job for long.
    """
    task = asyncio.ensure_future(work)
    try:
        wait = lease / 3
        while not (await asyncio.wait({task}, timeout=wait))[0]:
            try:
                renewed = await asyncio.wait_for(queue.renew(job, lease), timeout=lease / 3)
            except Exception as exc:  # the next renewal may succeed before the lease ends
                if not is_transient(exc):  # a renewal that timed out is an OSError too
                    log.exception("could not renew a job lease", extra={"job_id": job.id})
                wait = min(_RENEW_AGAIN, lease / 3)
                continue
            if not renewed:
                raise queue.LeaseLost(job.id)
            wait = lease / 3
        task.result()
    finally:
        task.cancel()


async def _give_up(job: queue.Claimed, reason: str, spec: queue.JobSpec, already_failed: bool = False) -> None:
    if not already_failed:
        await _record(job, reason, spec, permanent=True)
    if hook := gave_up_handler(job.kind):
        await hook(job.payload, reason)


async def sweep() -> None:
    """Catch-up for what a lost or late job would miss: scheduled posts already due publish now;
    abandoned uploads go even when nobody starts a new one (server/wiring.py lists them)."""
    for task in wiring.SWEEPS:
        try:
            await task()
        except Exception:  # the database hiccuped: the next sweep tries again
            log.exception("sweep failed", extra={"sweep": task.__name__})


def configure() -> None:
    """What a worker process sets up before its first job: logs, and every listener and job kind."""
    from server.lib.logs import configure_logging

    configure_logging(get_settings().log_level)
    wiring.wire()


async def run_worker(once: bool = False, concurrency: int | None = None) -> None:
    """Run jobs until SIGTERM/SIGINT (or, with once, until none is due)."""
    from server import piccolo_conf

    settings = get_settings()
    configure()
    engine = piccolo_conf.DB
    piccolo_conf.use_engine(engine)
    await db.start_engine(engine)
    stopping = asyncio.Event()
    wakeup = Wakeup(engine)
    await wakeup.start()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopping.set)

    async def lane() -> None:
        failures = 0
        while not stopping.is_set():
            try:
                ran = await run_one()
            except Exception as exc:  # the database is away: wait, try again, and say so once per outage
                if not is_transient(exc) or failures == 0:
                    log.exception("worker loop error")
                failures += 1
                ran = False
            else:
                if failures:
                    log.warning("worker loop carries on", extra={"failed_claims": failures})
                failures = 0
            if not ran:
                if once:
                    return
                await wakeup.wait(IDLE_SLEEP, stopping)

    async def sweeper() -> None:
        while True:
            await sweep()
            if once:
                return
            try:
                await asyncio.wait_for(stopping.wait(), wiring.SWEEP_EVERY)
                return
            except asyncio.TimeoutError:
                pass

    log.info("worker started", extra={"worker": queue.WORKER_ID, "kinds": sorted(handlers)})
    try:
        # SQLite has one writer: several lanes in one worker still overlap media work with I/O.
        await asyncio.gather(sweeper(), *(lane() for _ in range(concurrency or settings.worker_concurrency)))
    finally:
        for hook in wiring.WORKER_STOP:
            try:
                await hook()
            except Exception:  # one hook failing must not keep the others (or the engine) open
                log.exception("worker stop hook failed", extra={"hook": getattr(hook, "__name__", "?")})
        await wakeup.stop()
        await db.stop_engine(engine)
