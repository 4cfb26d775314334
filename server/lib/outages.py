"""Riding out a database that is gone for a moment (a restart, a fail-over, SQLite's write lock held long).

Work that already happened outside the database — a push handed to a push service — must still
be written down once the database is back, or a retry would do it a second time. `patiently`
retries such a write while the error says "unreachable", never when it says "wrong".
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import asyncpg

__all__ = ["OUTAGE_LIMIT", "is_transient", "patiently"]

log = logging.getLogger("hallway.outages")

T = TypeVar("T")

# A restart or fail-over takes seconds; beyond this the caller's job fails and is retried later.
OUTAGE_LIMIT = 120.0
_FIRST_WAIT, _LONGEST_WAIT = 0.2, 5.0

_TRANSIENT = (
    OSError,  # refused or reset connections; asyncio's timeouts are OSErrors too
    asyncpg.PostgresConnectionError,  # the connection died under a statement
    asyncpg.exceptions.OperatorInterventionError,  # the server is shutting down or starting up
    asyncpg.exceptions.InsufficientResourcesError,  # too many connections while the pool refills
    asyncpg.exceptions.TransactionRollbackError,  # deadlock or serialization failure: try again
    asyncpg.InterfaceError,  # "connection is closed": the pool hands out a new one next time
    # "cannot switch to state …": the server's goodbye arrived, the closed socket not yet — a dead
    # connection the pool terminates when it comes back.
    asyncpg.InternalClientError,
)


# The driver's own errors, which may be raised while it cleans up after a lost connection.
_DRIVER = (asyncpg.InterfaceError, asyncpg.PostgresError)


def _transient(exc: BaseException) -> bool:
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc).lower()
        return "locked" in text or "busy" in text
    return isinstance(exc, _TRANSIENT)


def is_transient(exc: BaseException) -> bool:
    """True when the database could not be reached or asked us to try again; False for real errors.

    A driver error raised while handling one of those (a ROLLBACK on a connection the server
    just closed) is judged by the error it was handling.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if _transient(current):
            return True
        if not isinstance(current, _DRIVER):
            return False
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


async def patiently(operation: Callable[[], Awaitable[T]], *, what: str, within: float = OUTAGE_LIMIT) -> T:
    """Run `operation()` until it succeeds, waiting out an unreachable database for up to `within` seconds."""
    deadline = time.monotonic() + within
    wait = _FIRST_WAIT
    failures = 0
    while True:
        try:
            result = await operation()
        except Exception as exc:
            if not is_transient(exc) or time.monotonic() + wait > deadline:
                raise
            failures += 1
            if failures == 1:
                log.warning("database unreachable; waiting to retry", extra={"what": what, "error": repr(exc)[:300]})
            await asyncio.sleep(wait)
            wait = min(wait * 2, _LONGEST_WAIT)
            continue
        if failures:
            log.warning("database back", extra={"what": what, "retries": failures})
        return result
