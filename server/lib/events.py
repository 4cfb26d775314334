"""Domain events: a domain says what happened; who listens is decided in server/wiring.py alone.

Two kinds of listener. One *in the transaction* runs inside the writing transaction and only
writes rows (enqueue a job, record what the event implies), so its work commits with the event
or not at all, and a failure rolls both back instead of being logged and lost. One *after
commit* runs in this process once the data is visible to others, as a task of its own that
nobody waits for; it may be lost with the process, so only best-effort work goes there (the live
"New posts" pill, which the live watcher also finds in the database).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

from piccolo.engine.base import Engine

__all__ = [
    "POST_CREATED", "POST_PUBLISHED", "SESSIONS_ENDED", "POST_DELETED", "EVENTS", "Listener", "listen", "unlisten",
    "listeners", "clear", "emit", "transaction",
]

log = logging.getLogger("hallway.events")

Listener = Callable[..., Awaitable[None]]

# A post was written, before it is processed or published (posts/services.py); listeners get
# post_id=, author_id=, body=. An in-transaction listener may refuse it by raising (a 4xx).
POST_CREATED = "post_created"
# A post became visible (posts/states.py); listeners get post_id=.
POST_PUBLISHED = "post_published"
# Every session of a person ended at once: disabled, or signed out everywhere (accounts/lifecycle.py);
# listeners get user_id=.
SESSIONS_ENDED = "sessions_ended"
# A post is being deleted (posts/services.py), its row still there; listeners get post_id=.
POST_DELETED = "post_deleted"
EVENTS = (POST_CREATED, POST_PUBLISHED, SESSIONS_ENDED, POST_DELETED)

_in_transaction: dict[str, list[Listener]] = {}
_after_commit: dict[str, list[Listener]] = {}
# The after-commit calls of the outermost open transaction of this task, run once it commits.
_pending: ContextVar[list[tuple[Listener, dict[str, Any]]] | None] = ContextVar("hallway_after_commit", default=None)
_tasks: set[asyncio.Task] = set()


def listen(event: str, listener: Listener, *, after_commit: bool = False) -> None:
    """Register a listener (server/wiring.py does, for every process alike)."""
    if event not in EVENTS:
        raise ValueError(f"unknown event {event!r}")
    table = _after_commit if after_commit else _in_transaction
    if listener not in table.setdefault(event, []):
        table[event].append(listener)


def unlisten(event: str, listener: Listener) -> None:
    for table in (_in_transaction, _after_commit):
        if listener in table.get(event, []):
            table[event].remove(listener)


def listeners() -> dict[str, dict[str, list[str]]]:
    """What is registered, by event, as qualified names (for tests and the worker's start log)."""
    def names(fns: list[Listener]) -> list[str]:
        return [f"{fn.__module__}.{fn.__qualname__}" for fn in fns]

    return {
        event: {"in_transaction": names(_in_transaction.get(event, [])), "after_commit": names(_after_commit.get(event, []))}
        for event in EVENTS
    }


def clear() -> None:
    _in_transaction.clear()
    _after_commit.clear()


@asynccontextmanager
async def transaction(engine: Engine) -> AsyncIterator[None]:
    """A database transaction whose events' after-commit listeners run once it has committed.

    Nested inside another one it joins it, and the outermost one tells after its commit.
    """
    if _pending.get() is not None:
        async with engine.transaction():
            yield
        return
    pending: list[tuple[Listener, dict[str, Any]]] = []
    token = _pending.set(pending)
    try:
        async with engine.transaction():
            yield
    finally:
        _pending.reset(token)
    for listener, payload in pending:
        _start(listener, payload)


async def emit(event: str, **payload: Any) -> None:
    """Tell the listeners: in-transaction ones now (their errors propagate), after-commit ones
    when the surrounding `transaction` commits, or at once outside of one."""
    for listener in _in_transaction.get(event, []):
        await listener(**payload)
    later = _after_commit.get(event, [])
    pending = _pending.get()
    for listener in later:
        if pending is not None:
            pending.append((listener, payload))
        else:
            _start(listener, payload)


def _start(listener: Listener, payload: dict[str, Any]) -> None:
    task = asyncio.get_running_loop().create_task(_run(listener, payload))
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


async def _run(listener: Listener, payload: dict[str, Any]) -> None:
    try:
        await listener(**payload)
    except Exception:  # best effort by definition (see the module's docstring)
        log.warning("after-commit listener failed", exc_info=True, extra={"listener": listener.__qualname__})
