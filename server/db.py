"""Which database: the pooled SQLite engine (server/sqlite_engine.py) by default, PostgreSQL when configured."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine, PostgresTransaction
from piccolo.table import Table

from server.sqlite_engine import PooledSQLiteEngine

__all__ = [
    "PLACEHOLDER", "make_engine", "bind_tables", "start_engine", "stop_engine", "is_postgres", "change_counter", "content_counter", "fetch",
]

PLACEHOLDER = "{}"  # one argument of `fetch` (see there)


# How long stopping waits for connections still in use before it closes them anyway.
_STOP_WAIT = 10.0


class _Transaction(PostgresTransaction):
    """Piccolo's PostgreSQL transaction, letting go of its connection even when the server is gone.

    Piccolo's own one releases its connection and stops being the task's current transaction
    only after a successful COMMIT or ROLLBACK. When the server restarts under it, both fail: the
    connection never returns to the pool (stopping then waits forever) and every later query of
    the task is sent to the dead connection, so the task never recovers once the server is back.
    """

    async def __aenter__(self) -> PostgresTransaction:
        try:
            return await super().__aenter__()
        except BaseException:
            await self._let_go()  # BEGIN failed on a connection taken from the pool
            raise

    async def __aexit__(self, exception_type, exception, traceback) -> bool:
        try:
            return await super().__aexit__(exception_type, exception, traceback)
        except BaseException:
            if self.engine.current_transaction.get() is self:
                self.engine.current_transaction.reset(self.context)
                await self._let_go()
            raise

    async def _let_go(self) -> None:
        connection = getattr(self, "connection", None)
        if connection is None:
            return
        connection.terminate()  # its state is unknown: never hand it out again
        if self.engine.pool:
            try:
                await self.engine.pool.release(connection)
            except Exception:  # noqa: BLE001  released already: nothing more to do
                pass


class _PostgresEngine(PostgresEngine):
    def transaction(self, allow_nested: bool = True) -> PostgresTransaction:
        return _Transaction(engine=self, allow_nested=allow_nested)


def make_engine(database_url: str, data_dir: Path) -> Engine:
    """The engine for DATABASE_URL, or the embedded SQLite file in the data dir."""
    if database_url.startswith(("postgres://", "postgresql://")):
        # No extensions: Hallway needs none, and CREATE EXTENSION needs a superuser.
        return _PostgresEngine(config={"dsn": database_url}, extensions=())
    if database_url.startswith("sqlite:///"):
        path = Path(database_url.removeprefix("sqlite:///"))
    elif database_url:
        raise ValueError("DATABASE_URL must start with postgresql:// or sqlite:///")
    else:
        path = data_dir / "hallway.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    return PooledSQLiteEngine(path=str(path))


def change_counter(engine: Engine) -> int | None:
    """See PooledSQLiteEngine.data_version (any commit: the job wake-up and live watcher want
    those); None where no such cheap signal exists (PostgreSQL)."""
    version = getattr(engine, "data_version", None)
    return version() if version is not None else None


def content_counter(engine: Engine) -> int | None:
    """See PooledSQLiteEngine.content_version: what the per-process caches compare (server/lib/caches.py)."""
    version = getattr(engine, "content_version", None)
    return version() if version is not None else None


async def fetch(table: type[Table], sql: str, *args: Any) -> list[dict]:
    """Rows of a SELECT written in Hallway's placeholder style.

    Placeholder style: each `{}` in `sql` stands for the next of `args`, in order. It is Piccolo's
    QueryString style, so on PostgreSQL the text goes to `table.raw` unchanged (Piccolo numbers
    them $1, $2, …); on the pooled SQLite engine each `{}` becomes `?` and the statement goes
    straight to a reader (Piccolo's QueryString costs CPU per argument, and a feed page passes
    dozens of them to each statement). Values are always arguments, never formatted into
    the text, and the text holds no other `{}`: a count that does not match is refused.
    """
    if sql.count(PLACEHOLDER) != len(args):
        raise ValueError(f"{sql.count(PLACEHOLDER)} placeholders for {len(args)} arguments")
    engine = table._meta.db
    if isinstance(engine, PooledSQLiteEngine):
        return await engine.run_sql(sql.replace(PLACEHOLDER, "?"), list(args))
    return await table.raw(sql, *args)


def is_postgres(engine: Engine) -> bool:
    return engine.engine_type == "postgres"


def _all_tables(cls: type[Table] = Table):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_tables(sub)


def bind_tables(engine: Engine) -> None:
    """Point every table class at this engine (piccolo_conf.use_engine also makes it Piccolo's)."""
    for table in _all_tables():
        table._meta.db = engine


async def start_engine(engine: Engine) -> None:
    if isinstance(engine, PostgresEngine):
        await engine.start_connection_pool(min_size=2, max_size=20)


async def stop_engine(engine: Engine) -> None:
    if isinstance(engine, PostgresEngine):
        # A connection some task still holds (stuck on a dead server) must not keep the process up.
        try:
            await asyncio.wait_for(engine.close_connection_pool(), _STOP_WAIT)
        except asyncio.TimeoutError:
            if engine.pool is not None:
                engine.pool.terminate()
                engine.pool = None
    elif isinstance(engine, PooledSQLiteEngine):
        await engine.close()
