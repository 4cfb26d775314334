"""The worker process: takes due jobs from the database and runs them; any number may run.

Nothing needs recovering at start: a job whose worker died keeps status `running` only
until its lease runs out, then the next claim takes it again (jobs are safe to run twice).
"""

from __future__ import annotations

import asyncio
import logging
import signal

from server import db, jobs_catalog  # noqa: F401  (importing the catalog registers every job kind)
from server.jobs import queue
from server.jobs.registry import Permanent, gave_up_handler, handlers
from server.settings import get_settings

__all__ = ["run_worker", "run_one"]

log = logging.getLogger("hallway.worker")
IDLE_SLEEP = 1.0


async def run_one() -> bool:
    """Claim and run one due job; False when none was due."""
    longest = max((spec.timeout for _, spec in handlers.values()), default=60.0)
    job = await queue.claim(lease=longest + 30)
    if job is None:
        return False
    entry = handlers.get(job.kind)
    if entry is None:
        await queue.retry_or_fail(job, f"no handler for job kind {job.kind!r}", queue.JobSpec(), permanent=True)
        return True
    handler, spec = entry
    try:
        await asyncio.wait_for(handler(job.payload), timeout=spec.timeout)
    except Permanent as exc:
        await _give_up(job, str(exc), spec)
    except Exception as exc:  # noqa: BLE001  a crashing job is retried, never takes the worker down
        reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        log.warning("job failed", extra={"job_id": job.id, "kind": job.kind, "attempt": job.attempts, "error": reason})
        if not await queue.retry_or_fail(job, reason, spec):
            await _give_up(job, reason, spec, already_failed=True)
    else:
        await queue.complete(job.id)
    return True


async def _give_up(job: queue.Claimed, reason: str, spec: queue.JobSpec, already_failed: bool = False) -> None:
    if not already_failed:
        await queue.retry_or_fail(job, reason, spec, permanent=True)
    if hook := gave_up_handler(job.kind):
        await hook(job.payload, reason)


async def run_worker(once: bool = False, concurrency: int | None = None) -> None:
    """Run jobs until SIGTERM/SIGINT (or, with once, until none is due)."""
    from server import piccolo_conf
    from server.lib.logs import configure_logging

    settings = get_settings()
    configure_logging(settings.log_level)
    engine = piccolo_conf.DB
    db.use_engine(engine)
    await db.start_engine(engine)
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopping.set)

    async def lane() -> None:
        while not stopping.is_set():
            try:
                ran = await run_one()
            except Exception:  # the database hiccuped: wait and carry on
                log.exception("worker loop error")
                ran = False
            if not ran:
                if once:
                    return
                try:
                    await asyncio.wait_for(stopping.wait(), IDLE_SLEEP)
                except asyncio.TimeoutError:
                    pass

    log.info("worker started", extra={"worker": queue.WORKER_ID, "kinds": sorted(handlers)})
    try:
        # SQLite has one writer: several lanes in one worker still overlap media work with I/O.
        await asyncio.gather(*(lane() for _ in range(concurrency or settings.worker_concurrency)))
    finally:
        await db.stop_engine(engine)
