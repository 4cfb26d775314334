"""`hallway user disable|enable|role|reset EMAIL`, run as the separate process an operator starts."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from server.accounts.tables import User
from server.lib.caches import cache_for
from server.accounts.tables import Session
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


async def hallway(database_url: str, *args: str) -> tuple[int, str, str]:
    """Run `hallway ARGS` in a process of its own against the test's database."""
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT), "HALLWAY_LOG_LEVEL": "WARNING"}
    env.pop("HALLWAY_BASE_URL", None)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "server.cli", *args, cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    return proc.returncode, out.decode(), err.decode()


async def test_disabled_from_the_command_line_the_session_stops_in_the_running_web_process(
    database_url, clients, member, admin
):
    """The operator disables a leaver while their phone is signed in: the web process (which on
    SQLite answers sessions from its own cache) refuses the phone's very next request."""
    phone = await clients.signed_in(member)
    assert (await phone.get("/api/me")).status_code == 200
    cache = cache_for(Session._meta.db, "sessions")
    hits = cache.hits if cache else 0
    assert (await phone.get("/api/me")).status_code == 200
    if cache is not None:  # SQLite: the session was answered from this process's cache
        assert cache.hits > hits

    code, out, err = await hallway(database_url, "user", "disable", member["email"])
    assert code == 0, err
    assert f"disabled {member['email']}" in out
    assert (await phone.get("/api/me")).status_code == 401
    refused = await (await clients.anonymous()).post("/api/session", json={"email": member["email"], "password": PASSWORD})
    assert refused.status_code == 403

    code, out, err = await hallway(database_url, "user", "enable", member["email"].upper())
    assert code == 0, err
    again = await (await clients.anonymous()).post("/api/session", json={"email": member["email"], "password": PASSWORD})
    assert again.status_code == 200


async def test_role_and_reset_from_the_command_line(database_url, clients, users, admin):
    person = await users.create()
    code, out, _ = await hallway(database_url, "user", "role", person["email"], "moderator")
    assert code == 0 and out.strip() == f"{person['email']} is now a moderator"
    assert (await User.select(User.role).where(User.id == person["id"]).first())["role"] == "moderator"

    code, out, err = await hallway(database_url, "user", "reset", person["email"])
    assert code == 0, err
    link = out.strip()
    assert "/#/reset/" in link and "valid until" in err
    used = await (await clients.anonymous()).post(
        f"/api/password-resets/{link.rsplit('/', 1)[1]}", json={"password": "chosen by them alone"}
    )
    assert used.status_code == 200

    code, _, err = await hallway(database_url, "user", "disable", "nobody@example.com")
    assert code == 2 and "error: There is no account with the email nobody@example.com." in err
    code, _, err = await hallway(database_url, "user", "role", admin["email"], "member")
    assert code == 2 and "last active admin" in err
