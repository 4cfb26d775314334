"""Which function runs which kind of job."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from server.jobs.queue import JobSpec

__all__ = ["job", "handlers", "Permanent", "on_gave_up", "on_worker_stop", "stop_hooks"]

Handler = Callable[[dict[str, Any]], Awaitable[None]]

handlers: dict[str, tuple[Handler, JobSpec]] = {}
# Called with (kind, payload, last error) when a job failed for the last time.
_gave_up: dict[str, Callable[[dict[str, Any], str], Awaitable[None]]] = {}
# Called when a worker stops: whatever jobs keep open between runs (push connections) is closed.
stop_hooks: list[Callable[[], Awaitable[None]]] = []


class Permanent(Exception):
    """Raised by a handler when trying again cannot help (e.g. a file media rejects)."""


def job(kind: str, *, timeout: float = 60.0, tries: int = 5, backoff: float = 5.0) -> Callable[[Handler], Handler]:
    """Register an async handler `fn(payload)`; it must be safe to run twice."""

    def register(fn: Handler) -> Handler:
        handlers[kind] = (fn, JobSpec(timeout=timeout, tries=tries, backoff=backoff))
        return fn

    return register


def on_gave_up(kind: str):
    """Register what to do when a job of `kind` failed for good (tell the user, clean up)."""

    def register(fn):
        _gave_up[kind] = fn
        return fn

    return register


def gave_up_handler(kind: str):
    return _gave_up.get(kind)


def on_worker_stop(fn: Callable[[], Awaitable[None]]) -> Callable[[], Awaitable[None]]:
    """Register `await fn()` to run once when a worker process stops."""
    stop_hooks.append(fn)
    return fn
