"""Which function runs which kind of job: filled by server/wiring.py, read by the worker.

A handler declares how it runs next to its code (`@job(timeout=…, tries=…)`, Pixelfed-style);
which kind it answers to is said once, in the wiring, so every process knows the same kinds.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from server.jobs.queue import JobSpec

__all__ = ["Handler", "GaveUp", "Permanent", "job", "spec_of", "register", "clear", "handlers", "gave_up_handler"]

Handler = Callable[[dict[str, Any]], Awaitable[None]]
# Called with (payload, last error) when a job failed for the last time.
GaveUp = Callable[[dict[str, Any], str], Awaitable[None]]

handlers: dict[str, tuple[Handler, JobSpec]] = {}
_gave_up: dict[str, GaveUp] = {}


class Permanent(Exception):
    """Raised by a handler when trying again cannot help (e.g. a file media rejects)."""


def job(*, timeout: float = 60.0, tries: int = 5, backoff: float = 5.0) -> Callable[[Handler], Handler]:
    """Declare how an async handler `fn(payload)` runs; it must be safe to run twice. Registers nothing."""

    def declare(fn: Handler) -> Handler:
        fn.job_spec = JobSpec(timeout=timeout, tries=tries, backoff=backoff)  # type: ignore[attr-defined]
        return fn

    return declare


def spec_of(fn: Handler) -> JobSpec:
    return getattr(fn, "job_spec", None) or JobSpec()


def register(kind: str, handler: Handler, gave_up: GaveUp | None = None) -> None:
    """Run `handler` for jobs of `kind` (and `gave_up` when one failed for good: tell the user, clean up)."""
    handlers[kind] = (handler, spec_of(handler))
    if gave_up is not None:
        _gave_up[kind] = gave_up


def clear() -> None:
    handlers.clear()
    _gave_up.clear()


def gave_up_handler(kind: str) -> GaveUp | None:
    return _gave_up.get(kind)
