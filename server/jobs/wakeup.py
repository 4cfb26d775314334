"""Waking an idle worker as soon as a job may be there, instead of on its next poll.

Polling alone adds up to a poll interval to every upload's "playable" time and to every push
fan-out, so an idle worker waits for a signal, with the poll kept as the fallback:

- SQLite: `PRAGMA data_version` moves on every commit by any process (db.change_counter, a
  few microseconds on a connection of its own), so it is looked at every 50 ms;
- PostgreSQL: enqueue() sends `NOTIFY hallway_jobs` (delivered when its transaction commits)
  and the worker LISTENs on a connection of its own.

A wake-up only means "try to claim": a commit that queued nothing costs one empty claim.
A LISTEN connection that a database restart closed is opened again, and its return counts as a
wake-up (jobs may have been queued while nobody listened).
"""

from __future__ import annotations

import asyncio
import logging

from piccolo.engine.base import Engine

from server.db import change_counter, is_postgres

__all__ = ["CHANNEL", "Wakeup", "notify_sql"]

log = logging.getLogger(__name__)

CHANNEL = "hallway_jobs"
# How often the cheap signals are looked at while idle.
_TICK = 0.05
# How long a lost LISTEN connection waits before it is tried again.
_RELISTEN = 2.0


def notify_sql() -> str:
    return f"SELECT pg_notify('{CHANNEL}', '')"


class Wakeup:
    """Per worker process: `wait()` returns when work may have arrived, on stop, or after `timeout`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._notified = 0
        self._listener = None
        self._listening = False
        self._tried = 0.0
        self._warned = False

    async def start(self) -> None:
        if not is_postgres(self.engine):
            return
        self._listening = True
        await self._listen()

    async def _listen(self) -> None:
        import asyncpg

        self._tried = asyncio.get_running_loop().time()
        try:
            self._listener = await asyncpg.connect(**self.engine.config, timeout=5)
            await self._listener.add_listener(CHANNEL, self._on_notify)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
            # Polling still finds every job, a little later; the next wait tries again (said once).
            if not self._warned:
                log.warning("could not LISTEN for new jobs; polling meanwhile", exc_info=True)
            self._warned = True
            await self._close()
        else:
            self._warned = False

    async def _relisten(self) -> bool:
        """Open the LISTEN connection again after the database closed it (a restart, a fail-over); True once open."""
        if self._listener is not None and not self._listener.is_closed():
            return False
        if asyncio.get_running_loop().time() - self._tried < _RELISTEN:
            return False
        await self._close()
        await self._listen()
        return self._listener is not None

    async def _close(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            try:
                await listener.close(timeout=2)
            except Exception:  # noqa: BLE001  already gone with the server
                listener.terminate()

    async def stop(self) -> None:
        self._listening = False
        await self._close()

    def _on_notify(self, *_args: object) -> None:
        self._notified += 1

    def _signal(self) -> tuple[int, int | None]:
        return self._notified, change_counter(self.engine)

    async def wait(self, timeout: float, stopping: asyncio.Event) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        seen = self._signal()
        while not stopping.is_set():
            if self._listening and await self._relisten():
                return
            left = deadline - loop.time()
            if left <= 0 or self._signal() != seen:
                return
            try:
                await asyncio.wait_for(stopping.wait(), min(_TICK, left))
            except asyncio.TimeoutError:
                pass
