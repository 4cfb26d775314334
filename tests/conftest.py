"""Fixtures shared by the server suites: an app on SQLite and on PostgreSQL, people, clients."""

from __future__ import annotations

import asyncio
import atexit
import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest

# Before anything imports server.piccolo_conf: this run's data dir, not the developer's ./var.
_DATA = Path(tempfile.mkdtemp(prefix="hallway-test-"))
os.environ["HALLWAY_DATA"] = str(_DATA)
atexit.register(shutil.rmtree, _DATA, True)  # every run leaves a fresh one behind otherwise
os.environ.setdefault("PICCOLO_CONF", "server.piccolo_conf")
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("HALLWAY_LOG_LEVEL", "WARNING")

from tests.support import need  # noqa: E402

# argon2id at its production cost takes ~50 ms a hash, and nearly every test makes accounts:
# the suite uses the same algorithm at its lowest cost (the server's own tests of timing and
# hashing still go through the same functions).
import server.accounts.passwords as _passwords  # noqa: E402
from argon2 import PasswordHasher  # noqa: E402

_passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
_passwords._DUMMY = _passwords._hasher.hash("not a real password, only for timing")

PG_ADMIN_DSN = os.environ.get("HALLWAY_TEST_PG", "postgresql://127.0.0.1:5432/test")
PASSWORD = "correct horse battery"


def _pg_available() -> bool:
    import asyncpg

    async def probe() -> bool:
        try:
            conn = await asyncpg.connect(PG_ADMIN_DSN, timeout=3)
        except (OSError, asyncpg.PostgresError):
            return False
        await conn.close()
        return True

    return asyncio.run(probe())


@pytest.fixture(scope="session")
def postgres_url():
    """A database of its own for this test run, dropped at the end."""
    need(_pg_available(), f"PostgreSQL is not reachable at {PG_ADMIN_DSN}")
    import asyncpg

    name = f"hallway_test_{uuid.uuid4().hex[:10]}"

    async def admin(sql: str) -> None:
        conn = await asyncpg.connect(PG_ADMIN_DSN)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    base = PG_ADMIN_DSN.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def pytest_collection_modifyitems(config, items):
    # Playwright's sync API keeps an event loop running in the main thread until the session
    # ends, and asyncio.run() in the fixtures below cannot run beside it: browser tests go last.
    items.sort(key=lambda item: item.nodeid.startswith("tests/e2e/"))


_migrated: set[str] = set()


def _database_url(request) -> str:
    if request.param == "postgres":
        return request.getfixturevalue("postgres_url")
    return f"sqlite:///{_DATA / 'test.sqlite3'}"


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request) -> str:
    """Each API test runs on the embedded SQLite and on PostgreSQL."""
    url = _database_url(request)
    if url not in _migrated:
        from server import db
        from server.migrations import migrate
        from server.settings import get_settings

        async def run() -> None:
            engine = db.make_engine(url, get_settings().data_dir)
            await db.start_engine(engine)
            try:
                await migrate(engine)
            finally:
                await db.stop_engine(engine)

        asyncio.run(run())
        _migrated.add(url)
    return url


async def _empty_tables(engine) -> None:
    from server.db import is_postgres

    if is_postgres(engine):
        rows = await engine.run_querystring(_qs("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'"))
        names = [r["name"] for r in rows if r["name"] != "migration"]
        if names:
            await engine.run_ddl("TRUNCATE " + ", ".join(f'"{n}"' for n in names) + " RESTART IDENTITY CASCADE")
    else:
        rows = await engine.run_sql("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        # FTS5 tables (search) are emptied with their own command; their shadow tables never directly.
        fts = [r["name"] for r in rows if (r["sql"] or "").upper().startswith("CREATE VIRTUAL TABLE")]
        shadows = {f"{name}_{part}" for name in fts for part in ("data", "idx", "docsize", "config", "content")}
        await engine.run_sql("PRAGMA foreign_keys = 0")
        # content_generation's one row is the caches' counter, not data (server/content_counter/triggers.py).
        for r in rows:
            if r["name"] not in ("migration", "content_generation") and r["name"] not in shadows and r["name"] not in fts:
                await engine.run_sql(f'DELETE FROM "{r["name"]}"')
        for name in fts:
            await engine.run_sql(f"INSERT INTO \"{name}\"(\"{name}\") VALUES ('delete-all')")
        await engine.run_sql("PRAGMA foreign_keys = 1")


def _qs(sql: str):
    from piccolo.querystring import QueryString

    return QueryString(sql)


@pytest.fixture
async def engine(database_url):
    """The engine for this test, started, with every table empty."""
    from server import db, piccolo_conf, wiring
    from server.settings import get_settings

    # What the app and the worker do at start; tests also run jobs and publish without either.
    wiring.wire()
    eng = db.make_engine(database_url, get_settings().data_dir)
    piccolo_conf.use_engine(eng)
    await db.start_engine(eng)
    await _empty_tables(eng)
    yield eng
    # What the worker closes when it stops: push keeps its sender open between jobs.
    for hook in wiring.WORKER_STOP:
        await hook()
    await db.stop_engine(eng)


@pytest.fixture
def app(engine):
    from server.app import create_app

    return create_app(engine=engine)


class Clients:
    """Makes test clients for the app: anonymous or signed in, each with its own cookies."""

    def __init__(self, app) -> None:
        self.app = app
        self._open: list = []

    async def anonymous(self):
        import httpx

        # httpx's ASGI transport runs the app in the test's own event loop, where the
        # engine's connections live (Litestar's test client uses a loop in another thread).
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url="http://hallway.test")
        self._open.append(client)
        # A GET hands out the csrftoken cookie; unsafe requests must echo it in x-csrftoken.
        await client.get("/api/health")
        client.headers["x-csrftoken"] = client.cookies.get("csrftoken")
        return client

    async def signed_in(self, user: dict):
        client = await self.anonymous()
        response = await client.post("/api/session", json={"email": user["email"], "password": user["password"]})
        assert response.status_code == 200, response.text
        return client

    async def close(self) -> None:
        for client in self._open:
            await client.aclose()


@pytest.fixture
async def clients(app):
    made = Clients(app)
    yield made
    await made.close()


class Users:
    """Creates accounts straight in the database; each dict carries its plain password."""

    def __init__(self) -> None:
        self.count = 0

    async def create(self, role: str = "member", name: str | None = None, **profile) -> dict:
        from server.accounts import organisation
        from server.accounts.services import create_user, update_profile
        from server.accounts.schemas import ProfilePatch
        from server.accounts.tables import User

        self.count += 1
        name = name or f"Person {self.count}"
        email = profile.pop("email", f"person{self.count}-{uuid.uuid4().hex[:6]}@example.com")
        row = await create_user(email, name, PASSWORD, role)
        # Title, department, location and manager as an admin sets them; the rest as the person does.
        await organisation.apply(row["id"], {f: profile.pop(f) for f in organisation.FIELDS if f in profile})
        if profile:
            await update_profile(row["id"], ProfilePatch(**profile))
        row = await User.select().where(User.id == row["id"]).first()
        return {**row, "password": PASSWORD}


@pytest.fixture
def users(engine) -> Users:
    return Users()


@pytest.fixture
async def member(users):
    return await users.create("member", "Mia Member")


@pytest.fixture
async def admin(users):
    return await users.create("admin", "Ada Admin")


@pytest.fixture
async def member_client(clients, member):
    return await clients.signed_in(member)


@pytest.fixture
async def admin_client(clients, admin):
    return await clients.signed_in(admin)
