"""A database gone for a moment: which errors mean that, retrying until it is back, transactions that let go."""

from __future__ import annotations

import asyncio
import sqlite3

import asyncpg
import pytest

from server.lib import outages
from server.lib.outages import is_transient, patiently


def test_unreachable_means_transient_and_wrong_does_not():
    assert is_transient(ConnectionRefusedError(111, "Connect call failed"))
    assert is_transient(asyncpg.exceptions.CannotConnectNowError("the database system is shutting down"))
    assert is_transient(asyncpg.exceptions.AdminShutdownError("terminating connection due to administrator command"))
    assert is_transient(asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed in the middle of operation"))
    assert is_transient(asyncpg.InternalClientError("cannot switch to state 15; another operation (2) is in progress"))
    assert is_transient(sqlite3.OperationalError("database is locked"))
    # A mistake stays a mistake: retrying it would only hide it for OUTAGE_LIMIT seconds.
    assert not is_transient(sqlite3.OperationalError("no such column: pushed_at"))
    assert not is_transient(asyncpg.exceptions.UndefinedColumnError("column does not exist"))
    assert not is_transient(ValueError("bad payload"))


def test_a_driver_error_while_cleaning_up_after_a_lost_connection_counts_as_the_loss():
    try:
        try:
            raise ConnectionResetError(104, "Connection reset by peer")
        except ConnectionResetError:
            raise asyncpg.InterfaceError("cannot call Transaction.rollback(): the underlying connection is closed")
    except asyncpg.InterfaceError as exc:
        assert is_transient(exc)
    try:
        try:
            raise ConnectionResetError(104, "Connection reset by peer")
        except ConnectionResetError:
            raise KeyError("user")  # a bug in an except block is not an outage
    except KeyError as exc:
        assert not is_transient(exc)


async def test_patiently_waits_until_the_database_is_back(monkeypatch):
    monkeypatch.setattr(outages, "_FIRST_WAIT", 0.01)
    calls = []

    async def write():
        calls.append(1)
        if len(calls) < 4:
            raise ConnectionRefusedError(111, "Connect call failed")
        return "written"

    assert await patiently(write, what="test write") == "written"
    assert len(calls) == 4


async def test_patiently_gives_up_after_its_limit_and_never_retries_a_real_error(monkeypatch):
    monkeypatch.setattr(outages, "_FIRST_WAIT", 0.01)
    calls = []

    async def down():
        calls.append(1)
        raise asyncpg.exceptions.CannotConnectNowError("the database system is starting up")

    with pytest.raises(asyncpg.exceptions.CannotConnectNowError):
        await patiently(down, what="test write", within=0.2)
    assert 3 <= len(calls) < 30

    calls.clear()

    async def wrong():
        calls.append(1)
        raise asyncpg.exceptions.UndefinedColumnError("column does not exist")

    with pytest.raises(asyncpg.exceptions.UndefinedColumnError):
        await patiently(wrong, what="test write")
    assert len(calls) == 1


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_a_transaction_whose_connection_the_server_ended_lets_go_of_it(engine):
    """What a restart does to a transaction in flight: it fails, and the task's next query works.

    Piccolo's own transaction stays the task's current one when its COMMIT fails, so every later
    query of the task went to the dead connection, and stopping waited for it forever.
    """
    from piccolo.querystring import QueryString

    from server import db

    killer = await asyncpg.connect(engine.config["dsn"])
    try:
        with pytest.raises(Exception) as failed:
            async with engine.transaction():
                pid = (await engine.run_querystring(QueryString("SELECT pg_backend_pid() AS pid")))[0]["pid"]
                await killer.execute("SELECT pg_terminate_backend($1)", pid)
                await asyncio.sleep(0.2)  # the server's goodbye arrives
        assert is_transient(failed.value)
        assert engine.current_transaction.get() is None
        rows = await patiently(lambda: engine.run_querystring(QueryString("SELECT 1 AS one")), what="test read")
        assert [dict(r) for r in rows] == [{"one": 1}]
    finally:
        await killer.close()
    await asyncio.wait_for(db.stop_engine(engine), 15)
    await db.start_engine(engine)  # the fixture stops it again
