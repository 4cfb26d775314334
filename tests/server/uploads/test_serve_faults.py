"""Uploads against a real `hallway serve`: a connection that hangs mid-PATCH, a process killed mid-PATCH."""

from __future__ import annotations

import asyncio
import io
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[3]
TUS = {"Tus-Resumable": "1.0.0"}
OCTETS = "application/offset+octet-stream"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def serve(engine, database_url, tmp_path):
    """Start `hallway serve` processes on this test's database and data dir; returns start()."""
    from server.settings import get_settings

    started: list[subprocess.Popen] = []

    async def start(**env: str) -> tuple[str, subprocess.Popen]:
        port = _free_port()
        log = (tmp_path / f"serve-{port}.log").open("w")
        proc = subprocess.Popen(
            [sys.executable, "-m", "server.cli", "serve", "--host", "127.0.0.1", "--port", str(port)], cwd=ROOT,
            env={**os.environ, "HALLWAY_DATA": str(get_settings().data_dir), "DATABASE_URL": database_url,
                 "HALLWAY_LOG_LEVEL": "WARNING", **env},
            stdout=log, stderr=subprocess.STDOUT,
        )
        started.append(proc)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        async with httpx.AsyncClient(base_url=url) as probe:
            while time.monotonic() < deadline:
                try:
                    if (await probe.get("/api/health")).status_code == 200:
                        return url, proc
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
        raise AssertionError(f"hallway serve did not start:\n{(tmp_path / f'serve-{port}.log').read_text()[-2000:]}")

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


async def _signed_in(url: str, person: dict) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=url, timeout=30)
    await client.get("/api/health")
    client.headers["x-csrftoken"] = client.cookies["csrftoken"]
    response = await client.post("/api/session", json={"email": person["email"], "password": person["password"]})
    assert response.status_code == 200, response.text
    return client


async def _hanging_patch(url: str, client: httpx.AsyncClient, location: str, offset: int, length: int, first: bytes):
    """A PATCH at `offset` announcing `length` bytes that sends `first` and then nothing, its connection left open."""
    host, port = url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
    head = (
        f"PATCH {location} HTTP/1.1\r\nHost: {host}:{port}\r\nTus-Resumable: 1.0.0\r\nContent-Type: {OCTETS}\r\n"
        f"Upload-Offset: {offset}\r\nContent-Length: {length}\r\nCookie: {cookie}\r\n"
        f"x-csrftoken: {client.headers['x-csrftoken']}\r\n\r\n"
    )
    writer.write(head.encode() + first)
    await writer.drain()
    return reader, writer


async def _until_on_disk(location: str, size: int) -> None:
    from server.uploads.services import part_path

    path = part_path(location.rsplit("/", 1)[1])
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if path.exists() and path.stat().st_size >= size:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"the server never wrote {size} bytes")


async def _resume(client: httpx.AsyncClient, location: str, data: bytes, deadline: float) -> list[int]:
    """What tus-js-client does after an error: ask for the offset, send the rest, follow a 409; statuses seen."""
    seen = []
    offset = int((await client.head(location, headers=TUS)).headers["upload-offset"])
    while offset < len(data) and time.monotonic() < deadline:
        response = await client.patch(location, content=data[offset:], headers={
            **TUS, "Content-Type": OCTETS, "Upload-Offset": str(offset)})
        seen.append(response.status_code)
        if "upload-offset" in response.headers:
            offset = int(response.headers["upload-offset"])
    return seen


def _photo() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.frombytes("RGB", (200, 150), os.urandom(200 * 150 * 3)).save(out, "PNG")  # noise: ~90 KB
    return out.getvalue()


async def test_a_resume_goes_through_while_the_first_connection_hangs(serve, member):
    """The phone's first connection is dead but open; the app, reopened, resumes in seconds, not 423s."""
    url, _ = await serve(HALLWAY_UPLOAD_HANDOVER="1")
    first, second = await _signed_in(url, member), await _signed_in(url, member)
    data = os.urandom(100_000)
    location = (await first.post("/api/uploads", headers={**TUS, "Upload-Length": str(len(data))})).headers["location"]
    reader, writer = await _hanging_patch(url, first, location, 0, len(data), data[:30_000])
    try:
        await _until_on_disk(location, 30_000)
        started = time.monotonic()
        statuses = await _resume(second, location, data, started + 20)
        took = time.monotonic() - started
        assert statuses[-1:] == [204] and 423 not in statuses, statuses
        assert took < 5, f"the resume took {took:.1f} s"
        assert (await second.head(location, headers=TUS)).headers["upload-offset"] == str(len(data))
        # The hanging request was told, should its phone ever hear it.
        status_line = await asyncio.wait_for(reader.readline(), 5)
        assert status_line.startswith(b"HTTP/1.1 409"), status_line
    finally:
        writer.close()
        await first.aclose()
        await second.aclose()
    from server.uploads.services import part_path

    assert part_path(location.rsplit("/", 1)[1]).read_bytes() == data


async def test_an_upload_resumes_after_the_web_process_is_killed_mid_patch(serve, member):
    """SIGKILL while a chunk streams in: after a restart the upload resumes from what was committed."""
    from server.uploads.services import part_path

    photo = _photo()
    url, web = await serve()
    client = await _signed_in(url, member)
    response = await client.post("/api/uploads", headers={
        **TUS, "Upload-Length": str(len(photo)), "Upload-Metadata": "filename bm9pc2UucG5n"})
    location = response.headers["location"]
    # One chunk committed, then the second is cut by the kill.
    first = await client.patch(location, content=photo[:20_000], headers={**TUS, "Content-Type": OCTETS, "Upload-Offset": "0"})
    assert first.status_code == 204
    await client.aclose()
    hanging = await _signed_in(url, member)
    reader, writer = await _hanging_patch(url, hanging, location, 20_000, len(photo) - 20_000, photo[20_000:50_000])
    await _until_on_disk(location, 50_000)
    web.send_signal(signal.SIGKILL)
    web.wait(10)
    writer.close()
    await hanging.aclose()

    url, _ = await serve()
    again = await _signed_in(url, member)
    try:
        head = await again.head(location, headers=TUS)
        assert head.headers["upload-offset"] == "20000"  # what was committed; the uncommitted rest is sent again
        statuses = await _resume(again, location, photo, time.monotonic() + 20)
        assert statuses == [204], statuses
        assert part_path(location.rsplit("/", 1)[1]).read_bytes() == photo
        posted = await again.post("/api/posts", json={"upload_ids": [location.rsplit("/", 1)[1]]})
        assert (posted.status_code, posted.json()["status"]) == (201, "processing"), posted.text
    finally:
        await again.aclose()

