"""The pooled SQLite engine of the embedded default: one writer connection behind a lock, a few readers."""

from __future__ import annotations

import asyncio
import collections
import sqlite3
from typing import Any

import aiosqlite
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType, dict_factory

__all__ = ["PooledSQLiteEngine"]

_READS = ("SELECT", "WITH", "EXPLAIN")


class _Pool:
    """One writer and a few reader connections, all bound to one event loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.writer: aiosqlite.Connection | None = None
        self.write_lock = asyncio.Lock()
        self.idle: list[aiosqlite.Connection] = []
        # First come, first served: asyncio.Queue lets a newcomer take a connection that was
        # just put back for a woken waiter, and under load some requests waited for seconds.
        self.waiting: collections.deque[asyncio.Future[aiosqlite.Connection]] = collections.deque()
        self.opened = 0
        self.all: list[aiosqlite.Connection] = []


class PooledSQLiteEngine(SQLiteEngine):
    """Piccolo's SQLiteEngine with persistent connections.

    The stock engine opens a connection per query, which costs more than most of Hallway's
    queries themselves (docs/benchmarks.md has the figures). Here writes go through one
    connection behind a lock, so they are serialised and transactions are correct; reads
    outside a transaction use a small pool of reader connections, which WAL lets run beside
    the writer.
    """

    def __init__(self, path: str, readers: int = 2, **kwargs: Any) -> None:
        # busy timeout covers the other process (web vs worker) holding the write lock.
        super().__init__(path=path, timeout=30, check_same_thread=False, **kwargs)
        self._readers = readers
        self._pool: _Pool | None = None
        self._watch: sqlite3.Connection | None = None
        # content_version's last reading: the data_version it was taken at, and the number.
        self._content_seen: int | None = None
        self._content: int | None = None

    def data_version(self) -> int:
        """A number that changes whenever any connection, in any process, commits a change.

        `PRAGMA data_version` on a connection of its own (it ignores the asking connection's own
        commits, so this one never writes) reads the WAL index in shared memory: microseconds,
        no thread hop, so per-process caches can check it on every request.
        """
        if self._watch is None:
            self._watch = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        return self._watch.execute("PRAGMA data_version").fetchone()[0]

    def content_version(self) -> int | None:
        """A number that changes only with commits that can change a cached answer.

        Triggers bump content_generation.n in the writing transaction of every table listed in
        server/content_counter/triggers.py, so views, jobs, uploads and push bookkeeping leave it alone.
        data_version is read first and the row only when it moved: the row read is then at
        least as new as every commit that data_version counted. None (no caching) when the
        table or its row is missing, e.g. before the migration.
        """
        seen = self.data_version()
        if seen != self._content_seen:
            try:
                # fetchall: the statement is done at once and holds no read snapshot open.
                rows = self._watch.execute("SELECT n FROM content_generation WHERE id = 1").fetchall()
            except sqlite3.OperationalError:
                rows = []
            self._content = rows[0][0] if rows else None
            self._content_seen = seen
        return self._content

    async def _connect(self) -> aiosqlite.Connection:
        conn = await aiosqlite.connect(**self.connection_kwargs)
        conn.row_factory = dict_factory  # type: ignore[assignment]
        for pragma in ("journal_mode = WAL", "synchronous = NORMAL", "foreign_keys = 1", "busy_timeout = 30000"):
            await conn.execute(f"PRAGMA {pragma}")
        return conn

    def _current_pool(self) -> _Pool:
        loop = asyncio.get_running_loop()
        if self._pool is None or self._pool.loop is not loop:
            # A new event loop (tests, CLI commands) cannot use connections of the old one;
            # stop their threads, or the process would wait for them at exit.
            if self._pool is not None:
                for conn in self._pool.all:
                    conn.stop()
            self._pool = _Pool(loop)
        return self._pool

    async def get_writer(self) -> tuple[_Pool, aiosqlite.Connection]:
        pool = self._current_pool()
        if pool.writer is None:
            pool.writer = await self._connect()
            pool.all.append(pool.writer)
        return pool, pool.writer

    async def _acquire_reader(self, pool: _Pool) -> aiosqlite.Connection:
        if pool.idle:
            return pool.idle.pop()
        if pool.opened < self._readers:
            pool.opened += 1
            conn = await self._connect()
            pool.all.append(conn)
            return conn
        handed: asyncio.Future[aiosqlite.Connection] = pool.loop.create_future()
        pool.waiting.append(handed)
        try:
            return await handed
        except asyncio.CancelledError:
            if handed.done() and not handed.cancelled():
                self._release_reader(pool, handed.result())  # handed over just as this task was cancelled
            elif handed in pool.waiting:
                pool.waiting.remove(handed)
            raise

    def _release_reader(self, pool: _Pool, conn: aiosqlite.Connection) -> None:
        """Hand the connection to the longest waiting read, or keep it idle."""
        while pool.waiting:
            handed = pool.waiting.popleft()
            if not handed.done():
                handed.set_result(conn)
                return
        pool.idle.append(conn)

    async def _execute(self, conn: aiosqlite.Connection, query: str, args: list[Any]) -> list[dict]:
        # One hand-off to the connection's thread; a cursor's execute, fetchall and close were three.
        return await conn.execute_fetchall(query, args)  # type: ignore[return-value]

    async def run_querystring(self, querystring, in_pool: bool = False):
        if self.current_transaction.get():
            return await super().run_querystring(querystring, in_pool)
        query, args = querystring.compile_string(engine_type=self.engine_type)
        if self.log_queries:
            self.print_query(query_id=self.get_query_id(), query=str(querystring))
        return await self.run_sql(query, args)

    async def run_sql(self, query: str, args: list[Any] | None = None) -> list[dict]:
        """Run one statement on a reader (SELECT) or on the writer (anything else)."""
        args = list(args or [])
        transaction = self.current_transaction.get()
        if transaction is not None:
            # Inside a transaction of this task: its connection already holds the write lock.
            return await self._execute(transaction.connection, query, args)
        pool = self._current_pool()
        if query.lstrip().upper().startswith(_READS):
            conn = await self._acquire_reader(pool)
            try:
                return await self._execute(conn, query, args)
            finally:
                self._release_reader(pool, conn)
        pool, writer = await self.get_writer()
        async with pool.write_lock:
            return await self._execute(writer, query, args)

    async def run_ddl(self, ddl: str, in_pool: bool = False):
        if self.current_transaction.get():
            return await super().run_ddl(ddl, in_pool)
        return await self.run_sql(ddl)

    def transaction(
        self, transaction_type: TransactionType = TransactionType.immediate, allow_nested: bool = True
    ) -> SQLiteTransaction:
        return _WriterTransaction(self, transaction_type=TransactionType.immediate, allow_nested=allow_nested)

    async def close(self) -> None:
        """Close every connection of the current loop's pool."""
        watch, self._watch = self._watch, None
        self._content_seen = self._content = None
        if watch is not None:
            watch.close()
        pool, self._pool = self._pool, None
        if pool is None:
            return
        for conn in pool.all:
            try:
                await conn.close()
            except (sqlite3.Error, RuntimeError, ValueError):
                pass


class _WriterTransaction(SQLiteTransaction):
    """A transaction on the shared writer connection, holding the write lock throughout.

    BEGIN IMMEDIATE takes SQLite's write lock up front, so two processes never deadlock
    upgrading a read lock to a write lock.
    """

    async def __aenter__(self):
        if self._parent is not None:
            return self._parent
        pool, self.connection = await self.engine.get_writer()
        await pool.write_lock.acquire()
        self._held = pool.write_lock
        try:
            await self.begin()
        except BaseException:
            self._held.release()
            raise
        self.context = self.engine.current_transaction.set(self)
        return self

    async def __aexit__(self, exception_type, exception, traceback) -> bool:
        if self._parent:
            return exception is None
        try:
            if exception:
                if not self._rolled_back:
                    await self.rollback()
            elif not self._committed and not self._rolled_back:
                await self.commit()
        finally:
            self._held.release()
            self.engine.current_transaction.reset(self.context)
        return exception is None
