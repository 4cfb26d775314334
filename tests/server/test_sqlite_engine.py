"""The pooled SQLite engine: persistent connections, serialised writes, correct transactions."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap

import pytest

from server.sqlite_engine import PooledSQLiteEngine


@pytest.fixture
async def sqlite(tmp_path):
    engine = PooledSQLiteEngine(path=str(tmp_path / "t.sqlite3"))
    await engine.run_sql("CREATE TABLE items (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
    await engine.run_sql("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)")
    await engine.run_sql("INSERT INTO counter (id, value) VALUES (1, 0)")
    yield engine
    await engine.close()


async def test_many_concurrent_writes_all_land_on_few_connections(sqlite):
    async def write(n: int) -> None:
        await sqlite.run_sql("INSERT INTO items (n) VALUES (?)", [n])
        await sqlite.run_sql("SELECT count(*) AS c FROM items")

    await asyncio.gather(*(write(n) for n in range(300)))
    rows = await sqlite.run_sql("SELECT count(*) AS c, sum(n) AS s FROM items")
    assert rows == [{"c": 300, "s": sum(range(300))}]
    # One writer and at most two readers, however many queries ran.
    assert len(sqlite._pool.all) <= 3


async def test_read_modify_write_in_transactions_loses_no_update(sqlite):
    async def increment() -> None:
        async with sqlite.transaction():
            [row] = await sqlite.run_sql("SELECT value FROM counter WHERE id = 1")
            await asyncio.sleep(0)  # let the other tasks try to interleave
            await sqlite.run_sql("UPDATE counter SET value = ? WHERE id = 1", [row["value"] + 1])

    await asyncio.gather(*(increment() for _ in range(50)))
    assert await sqlite.run_sql("SELECT value FROM counter") == [{"value": 50}]


async def test_a_failed_transaction_rolls_back_only_its_own_writes(sqlite):
    entered = asyncio.Event()

    async def failing() -> None:
        async with sqlite.transaction():
            await sqlite.run_sql("INSERT INTO items (n) VALUES (1)")
            entered.set()
            await asyncio.sleep(0.05)
            raise RuntimeError("boom")

    async def other() -> None:
        await entered.wait()
        # Waits for the transaction to end, then commits on its own.
        await sqlite.run_sql("INSERT INTO items (n) VALUES (2)")

    results = await asyncio.gather(failing(), other(), return_exceptions=True)
    assert isinstance(results[0], RuntimeError)
    assert await sqlite.run_sql("SELECT n FROM items") == [{"n": 2}]


async def test_readers_do_not_see_uncommitted_writes(sqlite):
    written, read = asyncio.Event(), asyncio.Event()
    seen = []

    async def reader() -> None:  # started outside the transaction, so not part of it
        await written.wait()
        seen.extend(await sqlite.run_sql("SELECT count(*) AS c FROM items"))
        read.set()

    task = asyncio.create_task(reader())
    async with sqlite.transaction():
        await sqlite.run_sql("INSERT INTO items (n) VALUES (7)")
        written.set()
        await read.wait()
    await task
    assert seen == [{"c": 0}]
    assert await sqlite.run_sql("SELECT count(*) AS c FROM items") == [{"c": 1}]


def test_each_event_loop_gets_its_own_connections(tmp_path):
    engine = PooledSQLiteEngine(path=str(tmp_path / "loops.sqlite3"))

    async def use() -> list:
        await engine.run_sql("CREATE TABLE IF NOT EXISTS t (n INTEGER)")
        await engine.run_sql("INSERT INTO t VALUES (1)")
        return await engine.run_sql("SELECT count(*) AS c FROM t")

    assert asyncio.run(use()) == [{"c": 1}]
    # A second loop (another CLI command, another test) must not touch the first loop's connections.
    assert asyncio.run(use()) == [{"c": 2}]
    asyncio.run(engine.close())


async def test_another_process_writing_at_the_same_time_waits_instead_of_failing(sqlite, tmp_path):
    """The web process and the worker share the file: busy_timeout makes them take turns."""
    script = textwrap.dedent(f"""
        import asyncio
        from server.sqlite_engine import PooledSQLiteEngine
        async def main():
            engine = PooledSQLiteEngine(path={str(tmp_path / 't.sqlite3')!r})
            for n in range(200):
                async with engine.transaction():
                    await engine.run_sql("INSERT INTO items (n) VALUES (1000)")
            await engine.close()
        asyncio.run(main())
    """)
    other = subprocess.Popen([sys.executable, "-c", script])
    for _ in range(200):
        await sqlite.run_sql("INSERT INTO items (n) VALUES (1)")
    assert await asyncio.to_thread(other.wait, 60) == 0
    rows = await sqlite.run_sql("SELECT n, count(*) AS c FROM items GROUP BY n ORDER BY n")
    assert rows == [{"n": 1, "c": 200}, {"n": 1000, "c": 200}]


async def test_the_content_version_moves_only_with_writes_to_triggered_tables(sqlite):
    # Before the migration there is no counter: None, which turns the caches off.
    assert sqlite.content_version() is None
    await sqlite.run_sql("CREATE TABLE content_generation (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL)")
    await sqlite.run_sql("INSERT INTO content_generation (id, n) VALUES (1, 0)")
    await sqlite.run_sql("CREATE TRIGGER bump AFTER INSERT ON items BEGIN UPDATE content_generation SET n = n + 1; END")
    start, raw = sqlite.content_version(), sqlite.data_version()
    assert start == 0
    # A bookkeeping write (counter has no trigger) commits, but the content stays as it was.
    await sqlite.run_sql("UPDATE counter SET value = value + 1")
    assert sqlite.data_version() != raw and sqlite.content_version() == start
    # A write that rolls back bumps nothing; one that commits does, with its change.
    with pytest.raises(RuntimeError):
        async with sqlite.transaction():
            await sqlite.run_sql("INSERT INTO items (n) VALUES (1)")
            raise RuntimeError("boom")
    assert sqlite.content_version() == start
    await sqlite.run_sql("INSERT INTO items (n) VALUES (2)")
    assert sqlite.content_version() == start + 1


async def test_reads_waiting_for_a_connection_are_served_first_come_first_served(sqlite):
    # Under load a read that arrived late used to take the connection put back for one already
    # waiting, and some requests waited for seconds.
    pool = sqlite._current_pool()
    held = [await sqlite._acquire_reader(pool) for _ in range(2)]
    served = []

    async def read(name: str) -> None:
        conn = await sqlite._acquire_reader(pool)
        served.append(name)
        sqlite._release_reader(pool, conn)

    first = asyncio.create_task(read("waiting"))
    await asyncio.sleep(0)  # it is waiting now
    sqlite._release_reader(pool, held[0])
    await read("late")  # arrives after the hand-over, before "waiting" has run
    await first
    assert served == ["waiting", "late"]
    sqlite._release_reader(pool, held[1])
    assert len(pool.idle) == 2 and not pool.waiting


async def test_a_cancelled_read_never_keeps_a_connection(sqlite):
    pool = sqlite._current_pool()
    held = [await sqlite._acquire_reader(pool) for _ in range(2)]
    gave_up = asyncio.create_task(sqlite._acquire_reader(pool))
    handed_then_cancelled = asyncio.create_task(sqlite._acquire_reader(pool))
    await asyncio.sleep(0)
    gave_up.cancel()  # while still waiting
    sqlite._release_reader(pool, held[0])  # goes to the second waiter...
    handed_then_cancelled.cancel()  # ...which is cancelled before it could run
    for task in (gave_up, handed_then_cancelled):
        with pytest.raises(asyncio.CancelledError):
            await task
    sqlite._release_reader(pool, held[1])
    assert len(pool.idle) == 2 and not pool.waiting
    assert await sqlite.run_sql("SELECT value FROM counter WHERE id = 1") == [{"value": 0}]
