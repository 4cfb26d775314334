"""Helpers for the tus tests: protocol headers, settings overrides, a raw ASGI driver."""

from __future__ import annotations

import base64
import hashlib

import pytest

TUS = {"Tus-Resumable": "1.0.0"}
OCTETS = "application/offset+octet-stream"


def sha256_header(data: bytes) -> str:
    return "sha256 " + base64.b64encode(hashlib.sha256(data).digest()).decode()


async def create(client, length: int, **headers) -> str:
    """A new upload of `length` bytes; returns its path (the Location)."""
    response = await client.post("/api/uploads", headers={**TUS, "Upload-Length": str(length), **headers})
    assert response.status_code == 201, response.text
    return response.headers["location"]


async def patch(client, location: str, offset: int, data, **headers):
    return await client.patch(
        location, content=data,
        headers={**TUS, "Content-Type": OCTETS, "Upload-Offset": str(offset), **headers},
    )


def part_file(location: str):
    from server.uploads.services import part_path

    return part_path(location.rsplit("/", 1)[1])


@pytest.fixture
def settings_env(monkeypatch):
    """Set HALLWAY_* variables for one test; the cached settings are rebuilt before and after."""
    from server.settings import reset_settings

    def set_env(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        reset_settings()

    yield set_env
    monkeypatch.undo()
    reset_settings()


async def raw_request(app, client, method: str, path: str, headers: dict[str, str], events: list[dict]):
    """Drive the ASGI app with exactly these receive events (e.g. a body cut by http.disconnect).

    The signed-in httpx client lends its cookies and CSRF header. Returns (status, headers).
    """
    cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
    all_headers = {**headers, "cookie": cookie, "x-csrftoken": client.headers["x-csrftoken"], "host": "hallway.test"}
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in all_headers.items()],
        "client": ("127.0.0.1", 50000), "server": ("hallway.test", 80),
    }
    queue = list(events)

    async def receive():
        if queue:
            event = queue.pop(0)
            if isinstance(event, BaseException):
                raise event
            return event
        return {"type": "http.disconnect"}

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], {k.decode().lower(): v.decode() for k, v in start["headers"]}
