"""The fault suite's own PostgreSQL server: one per test run, stopped and started by the tests themselves."""

from __future__ import annotations

import pytest

from tests.faults.support import PrivatePostgres, need_private_postgres


@pytest.fixture(scope="session")
def private_postgres():
    """A running PostgreSQL server on a free port, for this run alone (removed at the end)."""
    server = PrivatePostgres(need_private_postgres())
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.destroy()
