"""Enqueue, claim and finish jobs; safe with many workers on PostgreSQL, one on SQLite.

A claim is one attempt: its lease is held by this worker *and* this attempt number, so a
worker that lost a job (its lease ran out in a long database outage and another lane or
worker took it) can neither renew, finish nor fail the attempt that replaced its own.
"""

from __future__ import annotations

import json
import os
import socket
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from piccolo.columns.combination import WhereRaw

from server.db import is_postgres
from server.jobs.tables import Job
from server.jobs.wakeup import notify_sql

__all__ = [
    "JobSpec", "enqueue", "cancel", "claim", "renew", "complete", "retry_or_fail", "WORKER_ID", "Claimed", "LeaseLost",
    "running", "still_held",
]

WORKER_ID = f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class JobSpec:
    """How a kind of job runs: its time limit and how often it is tried (Pixelfed-style)."""

    timeout: float = 60.0
    tries: int = 5
    backoff: float = 5.0  # seconds before the 2nd try, doubling after each failure


class LeaseLost(Exception):
    """This worker no longer holds the job (its lease ran out and another worker took it)."""


@dataclass
class Claimed:
    id: int
    kind: str
    payload: dict[str, Any]
    attempts: int


# The attempt this task is running (set by the worker around a handler), for `still_held`.
running: ContextVar[Claimed | None] = ContextVar("hallway_running_job", default=None)


def _now() -> datetime:
    return datetime.now(timezone.utc)


async def enqueue(kind: str, payload: dict[str, Any], *, unique_key: str | None = None, run_at: datetime | None = None) -> None:
    """Add a job; with a unique_key, a job already waiting or running for it is kept instead."""
    query = Job.insert(Job(kind=kind, payload=json.dumps(payload), unique_key=unique_key, run_at=run_at or _now()))
    if unique_key:
        query = query.on_conflict(action="DO NOTHING")
    await query
    if is_postgres(Job._meta.db):
        # Idle workers LISTEN (server/jobs/wakeup.py); inside a transaction this arrives at commit.
        await Job.raw(notify_sql())


async def cancel(unique_key: str) -> bool:
    """Delete the job waiting under this key, if any; True when there was one.

    A job already running is left to finish: its handler checks that its subject still exists.
    """
    deleted = await Job.delete().where((Job.unique_key == unique_key) & (Job.status == "queued")).returning(Job.id)
    return bool(deleted)


async def claim(lease: float) -> Claimed | None:
    """Take the next due job (or one whose worker's lease ran out) and lease it to this worker."""
    now = _now()
    skip_locked = "FOR UPDATE SKIP LOCKED" if is_postgres(Job._meta.db) else ""
    rows = await Job.raw(
        f"""UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_until = {{}}, locked_by = {{}}
        WHERE id = (
            SELECT id FROM jobs
            WHERE (status = 'queued' AND run_at <= {{}}) OR (status = 'running' AND locked_until < {{}})
            ORDER BY run_at, id LIMIT 1 {skip_locked}
        )
        RETURNING id, kind, payload, attempts""",
        now + timedelta(seconds=lease), WORKER_ID, now, now,
    )
    if not rows:
        return None
    row = rows[0]
    payload = row["payload"]
    return Claimed(
        id=row["id"], kind=row["kind"], payload=json.loads(payload) if isinstance(payload, str) else payload,
        attempts=row["attempts"],
    )


def _ours(job: Claimed):
    """The attempt this worker still holds: after a lost lease another attempt owns the job, and its outcome too."""
    return (Job.id == job.id) & (Job.status == "running") & (Job.locked_by == WORKER_ID) & (Job.attempts == job.attempts)


def still_held() -> WhereRaw | None:
    """A condition true while the running attempt still holds its job (None outside a job).

    Added to a handler's claim of work that leaves the database (a push sent), it stops an
    attempt that lost its lease from starting more of that work beside the one that replaced it.
    """
    job = running.get()
    if job is None:
        return None
    return WhereRaw(
        "EXISTS (SELECT 1 FROM jobs WHERE jobs.id = {} AND jobs.status = 'running' AND jobs.locked_by = {} "
        "AND jobs.attempts = {})",
        job.id, WORKER_ID, job.attempts,
    )


async def renew(job: Claimed, lease: float) -> bool:
    """Extend this worker's lease on a job it is still running; False when it is no longer ours."""
    renewed = await Job.update({Job.locked_until: _now() + timedelta(seconds=lease)}).where(_ours(job)).returning(Job.id)
    return bool(renewed)


async def complete(job: Claimed) -> None:
    # A finished job frees its unique key, so the same work can be asked for again later.
    await Job.update(
        {Job.status: "done", Job.finished_at: _now(), Job.locked_until: None, Job.last_error: "", Job.unique_key: None}
    ).where(_ours(job))


async def retry_or_fail(job: Claimed, error: str, spec: JobSpec, *, permanent: bool = False) -> bool:
    """Schedule another try with exponential backoff; returns False when the job gave up."""
    if permanent or job.attempts >= spec.tries:
        await Job.update(
            {Job.status: "failed", Job.finished_at: _now(), Job.locked_until: None, Job.last_error: error[:2000],
             Job.unique_key: None}
        ).where(_ours(job))
        return False
    delay = spec.backoff * 2 ** (job.attempts - 1)
    await Job.update(
        {Job.status: "queued", Job.run_at: _now() + timedelta(seconds=delay), Job.locked_until: None,
         Job.last_error: error[:2000]}
    ).where(_ours(job))
    return True
