"""Issue 11: a video the worker process publishes reaches the live stream of another web process.

Real processes over real HTTP, as deployed beyond one machine: two `hallway serve` (web A, web B)
and one `hallway worker` sharing one data directory (SQLite, instance secret) and Redis. The
author uploads a clip to A; the worker transcodes and publishes it; a colleague's open
GET /api/live on B must get the "post" event. With REDIS_URL set the web processes run no
database watcher (server/live/channels.py), so Redis is the only way the event can arrive: before
the fix the worker never registered the live listener and the event never came.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import shutil
import socket
import subprocess
import time
import uuid
from pathlib import Path

import httpx
import pytest

from tests.support import need, redis_up

pytestmark = pytest.mark.redis

ROOT = Path(__file__).resolve().parents[3]
REDIS_URL = "redis://127.0.0.1:6379/5"
PASSWORD = "correct horse battery"
EVENT_TIMEOUT = 30.0



def _hallway() -> str:
    exe = ROOT / ".venv" / "bin" / "hallway"
    return str(exe) if exe.exists() else shutil.which("hallway") or "hallway"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Processes:
    """The children of this test, each with its log file; stopped (and dumped on failure) at the end."""

    def __init__(self, data: Path, env: dict[str, str]) -> None:
        self.data, self.env = data, env
        self.children: list[tuple[str, subprocess.Popen, Path]] = []

    def start(self, name: str, *args: str) -> subprocess.Popen:
        log = self.data / f"{name}.log"
        with log.open("w") as out:
            proc = subprocess.Popen([_hallway(), *args], env=self.env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        self.children.append((name, proc, log))
        return proc

    def check_running(self) -> None:
        for name, proc, log in self.children:
            if proc.poll() is not None:
                pytest.fail(f"{name} exited with {proc.returncode}:\n{log.read_text()[-3000:]}")

    def stop(self) -> None:
        for _, proc, _ in self.children:
            if proc.poll() is None:
                proc.terminate()
        for _, proc, _ in self.children:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def dump_logs(self) -> None:
        for name, proc, log in self.children:
            print(f"----- {name} (exit {proc.returncode}) {log} -----")
            print(log.read_text()[-5000:] if log.exists() else "(no log)")


async def _wait_healthy(procs: Processes, url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(timeout=2) as http:
        while time.monotonic() < deadline:
            procs.check_running()
            try:
                if (await http.get(f"{url}/api/health")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    pytest.fail(f"{url} did not become healthy in {timeout}s")


async def _signed_in(url: str, email: str, **options) -> httpx.AsyncClient:
    http = httpx.AsyncClient(base_url=url, **options)
    (await http.get("/api/health")).raise_for_status()  # hands out the csrftoken cookie
    http.headers["x-csrftoken"] = http.cookies.get("csrftoken", "")
    response = await http.post("/api/session", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    http.headers["x-csrftoken"] = http.cookies.get("csrftoken", "")
    return http


async def _read_stream(http: httpx.AsyncClient, opened: asyncio.Future, messages: asyncio.Queue) -> None:
    """Every SSE message of GET /api/live as a dict of its fields (comments under ":")."""
    async with http.stream("GET", "/api/live", headers={"accept": "text/event-stream"}) as response:
        if not opened.done():
            opened.set_result(response)
        if response.status_code != 200:
            return
        fields: dict[str, str] = {}
        async for line in response.aiter_lines():
            if line == "":
                if fields:
                    await messages.put(fields)
                fields = {}
                continue
            key, _, value = line.partition(":")
            fields[key or ":"] = value.removeprefix(" ")


async def test_a_video_the_worker_publishes_reaches_the_stream_of_another_web_process(tmp_path):
    need(redis_up(), "Redis at 127.0.0.1:6379")
    from tests.media.makers import make_clip

    data = tmp_path / "data"
    data.mkdir()
    env = {
        **os.environ, "HALLWAY_DATA": str(data), "REDIS_URL": REDIS_URL, "HALLWAY_WORKER_NICE": "0",
        "HALLWAY_LOG_LEVEL": "WARNING",
    }
    env.pop("DATABASE_URL", None)  # the embedded SQLite in the shared data directory
    hallway = _hallway()
    subprocess.run([hallway, "migrate"], env=env, check=True, capture_output=True, timeout=120)
    run = uuid.uuid4().hex[:8]  # the sign-in limits live in the shared Redis: fresh addresses each run
    author = f"author-{run}@example.com"
    reader = f"reader-{run}@example.com"  # not the author: the stream skips a viewer's own posts
    for email, name in ((author, "Ana Author"), (reader, "Rui Reader")):
        subprocess.run(
            [hallway, "user", "add", email, "--name", name, "--role", "member"],
            input=PASSWORD + "\n", text=True, env=env, check=True, capture_output=True, timeout=60,
        )
    clip = make_clip(tmp_path / "clip.mp4", width=160, height=284, seconds=1.0)

    procs = Processes(data, env)
    port_a, port_b = _free_port(), _free_port()
    url_a, url_b = f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"
    clients: list[httpx.AsyncClient] = []
    reading: asyncio.Task | None = None
    failed = True
    try:
        procs.start("web-a", "serve", "--host", "127.0.0.1", "--port", str(port_a))
        procs.start("web-b", "serve", "--host", "127.0.0.1", "--port", str(port_b))
        procs.start("worker", "worker")
        await asyncio.gather(_wait_healthy(procs, url_a), _wait_healthy(procs, url_b))

        # The reader's stream on B. The first message (": connected", "retry: 5000") is sent once
        # B's subscriber is in place, so the stream is live before anything is posted.
        b = await _signed_in(url_b, reader, timeout=httpx.Timeout(10, read=None))
        clients.append(b)
        me_b = (await b.get("/api/me")).json()
        messages: asyncio.Queue[dict[str, str]] = asyncio.Queue()
        opened: asyncio.Future = asyncio.get_running_loop().create_future()
        reading = asyncio.create_task(_read_stream(b, opened, messages))
        response = await asyncio.wait_for(opened, 10)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        first = await asyncio.wait_for(messages.get(), 10)
        assert first.get(":") == "connected" and first.get("retry") == "5000", first

        # The author posts a clip on A: processing until the worker has run it.
        a = await _signed_in(url_a, author, timeout=30)
        clients.append(a)
        author_id = (await a.get("/api/me")).json()["id"]
        assert author_id != me_b["id"]
        content = clip.read_bytes()
        created = await a.post("/api/uploads", content=content, headers={
            "Tus-Resumable": "1.0.0", "Content-Type": "application/offset+octet-stream",
            "Upload-Length": str(len(content)),
            "Upload-Metadata": f"filename {base64.b64encode(clip.name.encode()).decode()}",
        })
        assert created.status_code == 201, created.text
        assert created.headers["upload-offset"] == str(len(content))
        upload_id = created.headers["location"].rsplit("/", 1)[1]
        response = await a.post("/api/posts", json={"body": f"clip {run}", "upload_ids": [upload_id]})
        assert response.status_code == 201, response.text
        post = response.json()
        assert post["status"] == "processing", post

        # B's stream names the post: the worker published it through Redis.
        deadline = time.monotonic() + EVENT_TIMEOUT
        event = None
        while event is None:
            left = deadline - time.monotonic()
            if left <= 0 or reading.done():
                procs.check_running()
                if reading.done() and reading.exception():
                    raise reading.exception()
                state = (await b.get(f"/api/posts/{post['id']}")).json().get("status")
                pytest.fail(f"no live event for post {post['id']} on web B in {EVENT_TIMEOUT}s (post is {state})")
            try:
                message = await asyncio.wait_for(messages.get(), left)
            except asyncio.TimeoutError:
                continue
            if "data" not in message:
                continue  # keep-alive comments
            payload = json.loads(message["data"])
            if payload.get("id") == post["id"]:
                assert message.get("event") == "post", message
                event = payload
        assert event == {"type": "post", "id": post["id"], "author_id": author_id}

        # Announced after the publishing commit: B already serves it as published.
        seen = await b.get(f"/api/posts/{post['id']}")
        assert seen.status_code == 200, seen.text
        assert seen.json()["status"] == "published", seen.json()
        assert seen.json()["kind"] == "video"
        failed = False
    finally:
        if reading is not None:
            reading.cancel()
            await asyncio.gather(reading, return_exceptions=True)
        for client in clients:
            await client.aclose()
        procs.stop()
        if failed:
            procs.dump_logs()  # shown under "Captured stdout"
