"""Media test helpers: files put where the worker puts them, and a raw ASGI GET."""

from __future__ import annotations

import asyncio
import os

import pytest


@pytest.fixture
def put_media(tmp_path, users):
    """Save bytes under a storage key, as the process-post job does, for a published post of that id
    (made if missing) that everyone may see; returns the bytes."""
    from server.storage import get_storage, reset_storage

    reset_storage()

    async def put(key: str, data: bytes | None = None, size: int = 5000) -> bytes:
        await _published_post(users, int(key.split("/")[1]))
        data = os.urandom(size) if data is None else data
        source = tmp_path / "source"
        source.write_bytes(data)
        await get_storage().save(key, source)
        return data

    return put


async def _published_post(users, post_id: int) -> None:
    from datetime import datetime, timezone

    from server.posts.tables import Post

    if not await Post.exists().where(Post.id == post_id):
        author = await users.create(name="Media Author")
        now = datetime.now(timezone.utc)
        await Post.insert(Post(id=post_id, author=author["id"], body="media", status="published", published_at=now))


async def raw_get(app, client, path: str, *, raw_path: bytes | None = None, headers: dict | None = None,
                  method: str = "GET", disconnect_after_start: bool = False):
    """GET exactly this path (no URL normalisation by a client library); returns status, headers, body messages."""
    cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
    all_headers = {"host": "hallway.test", "cookie": cookie, **(headers or {})}
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
        "path": path, "raw_path": raw_path if raw_path is not None else path.encode(), "query_string": b"",
        "root_path": "", "headers": [(k.lower().encode(), v.encode()) for k, v in all_headers.items()],
        "client": ("127.0.0.1", 50000), "server": ("hallway.test", 80),
    }
    received = 0
    complete = asyncio.Event()

    async def receive():
        nonlocal received
        received += 1
        if received == 1:
            return {"type": "http.request", "body": b"", "more_body": False}
        if not disconnect_after_start:
            await complete.wait()  # like an ASGI server: the client "leaves" once the response has ended
        return {"type": "http.disconnect"}

    sent: list[dict] = []

    async def send(message):
        sent.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body", False):
            complete.set()

    await app(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    bodies = [m["body"] for m in sent if m["type"] == "http.response.body"]
    return start["status"], {k.decode().lower(): v.decode() for k, v in start["headers"]}, bodies
