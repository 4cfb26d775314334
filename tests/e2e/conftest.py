"""A real Hallway server and Debian's Chromium at a phone viewport, for the browser tests."""

from __future__ import annotations

import base64
import os
import shutil
import sqlite3
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.support import need

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = ROOT / ".venv" / "bin"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}

ADMIN = {"email": "ada@example.com", "name": "Ada Admin", "password": "ada-correct-horse"}
MEMBER = {"email": "max@example.com", "name": "Max Member", "password": "max-correct-horse"}


# Each served instance's data directory, by base URL (the video seeding writes to its database).
_DATA: dict[str, Path] = {}


def _hallway() -> str:
    exe = VENV_BIN / "hallway"
    return str(exe) if exe.exists() else shutil.which("hallway") or "hallway"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"hallway serve exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/api/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"hallway serve did not become healthy in {timeout}s:\n{log.read_text()[-3000:]}")


def build_pwa(out: Path) -> Path:
    """The PWA as served in production (`node pwa/build.mjs OUT`): the browser tests drive the build."""
    need((ROOT / "node_modules" / "esbuild").is_dir(), "esbuild in node_modules (npm ci)")
    node = shutil.which("node")
    need(node is not None, "node on PATH")
    run = subprocess.run([node, str(ROOT / "pwa" / "build.mjs"), str(out)], capture_output=True, text=True, timeout=120, cwd=ROOT)
    if run.returncode != 0:
        pytest.fail(f"pwa/build.mjs failed:\n{run.stdout}\n{run.stderr}")
    return out


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> str:
    """Base URL of a migrated instance with an admin and a member, served on a free port."""
    data = tmp_path_factory.mktemp("hallway-data")
    pwa = build_pwa(tmp_path_factory.mktemp("hallway-pwa") / "pwa")
    # The two test people post and comment far more in a run than anyone may in an hour.
    env = {**os.environ, "HALLWAY_DATA": str(data), "HALLWAY_SIGNIN_ATTEMPTS": "20", "HALLWAY_PWA_DIR": str(pwa),
           "HALLWAY_POSTS_PER_HOUR": "10000", "HALLWAY_COMMENTS_PER_HOUR": "10000", "HALLWAY_MENTIONS_PER_HOUR": "10000"}
    env.pop("DATABASE_URL", None)
    hallway = _hallway()
    subprocess.run([hallway, "migrate"], env=env, check=True, capture_output=True, timeout=120)
    for person, role in ((ADMIN, "admin"), (MEMBER, "member")):
        subprocess.run(
            [hallway, "user", "add", person["email"], "--name", person["name"], "--role", role],
            input=person["password"] + "\n", text=True, env=env, check=True, capture_output=True, timeout=60,
        )
    port = _free_port()
    log = data / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [hallway, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT,
        )
    # A worker next to the web process, as `make run` has: media posts get processed and published.
    # At the web process's priority: here a browser and the tests are busier than any server's
    # visitors (the lower default is tested in tests/server/jobs/test_worker_priority.py).
    with (data / "worker.log").open("w") as out:
        worker = subprocess.Popen([hallway, "worker"], env={**env, "HALLWAY_WORKER_NICE": "0"}, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    _DATA[url] = data
    try:
        _wait_healthy(url, proc, log)
        yield url
    finally:
        for child in (proc, worker):
            child.terminate()
        for child in (proc, worker):
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


@pytest.fixture(scope="session")
def browser():
    need(Path(CHROMIUM).exists(), f"Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - depends on the environment
        need(False, "the playwright Python package")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser, server):
    """Factory for fresh phone-sized browser contexts (own cookies, storage and service worker)."""
    contexts = []

    def make(**overrides):
        options = {**PHONE, "base_url": server, "locale": "en-US", **overrides}
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


def _post_clip(url: str, person: dict, clip: Path, body: str) -> dict:
    """Sign in over HTTP, upload the clip with tus, create the post and wait for the worker."""
    import httpx

    with httpx.Client(base_url=url, timeout=30) as http:
        http.get("/api/health")
        csrf = {"x-csrftoken": http.cookies.get("csrftoken", "")}
        http.post("/api/session", json={"email": person["email"], "password": person["password"]}, headers=csrf).raise_for_status()
        csrf = {"x-csrftoken": http.cookies.get("csrftoken", "")}
        data = clip.read_bytes()
        name = base64.b64encode(clip.name.encode()).decode()
        created = http.post("/api/uploads", content=data, headers={
            **csrf, "Tus-Resumable": "1.0.0", "Upload-Length": str(len(data)),
            "Upload-Metadata": f"filename {name}", "Content-Type": "application/offset+octet-stream",
        })
        assert created.status_code == 201 and created.headers["upload-offset"] == str(len(data)), created.text
        upload_id = created.headers["location"].rsplit("/", 1)[1]
        post = http.post("/api/posts", json={"body": body, "upload_ids": [upload_id]}, headers=csrf)
        assert post.status_code == 201, post.text
        post_id = post.json()["id"]
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            current = http.get(f"/api/posts/{post_id}").json()
            # Published with the proper transcode, not only the fast-start remux.
            if current["status"] == "published" and not current["media"][0].get("fast_start"):
                return current
            assert current["status"] != "failed", current
            time.sleep(0.3)
    pytest.fail(f"the worker did not publish post {post_id} in time")


def _copy_posts(db: Path, post_id: int, bodies: list[str]) -> list[int]:
    """New published posts sharing the stored outputs of post_id (one transcode for any number)."""
    con = sqlite3.connect(db, timeout=30)
    try:
        columns = lambda table: [row[1] for row in con.execute(f"PRAGMA table_info({table})") if row[1] != "id"]  # noqa: E731
        post_cols = [c for c in columns("posts") if c != "body"]
        media_cols = [c for c in columns("post_media") if c != "post"]
        ids = []
        with con:
            for body in bodies:
                cursor = con.execute(
                    f"INSERT INTO posts (body, {', '.join(post_cols)}) SELECT ?, {', '.join(post_cols)} FROM posts WHERE id = ?",
                    (body, post_id),
                )
                new_id = cursor.lastrowid
                con.execute(
                    f"INSERT INTO post_media (post, {', '.join(media_cols)}) SELECT ?, {', '.join(media_cols)} "
                    "FROM post_media WHERE post = ?",
                    (new_id, post_id),
                )
                ids.append(new_id)
        return ids
    finally:
        con.close()


@pytest.fixture(scope="session")
def seeded_clip(server, tmp_path_factory) -> dict:
    """One generated portrait clip posted by the member, processed by the real worker."""
    from tests.media.makers import make_clip

    clip = make_clip(tmp_path_factory.mktemp("clips") / "seed.mp4", width=320, height=568, seconds=2.0)
    return _post_clip(server, MEMBER, clip, "Seed clip for the pager")


@pytest.fixture
def seed_videos(server, seeded_clip):
    """seed_videos(n, prefix) -> post ids, newest first in the feed: published video posts made
    from the one processed clip by copying its rows, so 200 videos cost one transcode."""

    def seed(n: int, prefix: str = "Clip") -> list[int]:
        bodies = [f"{prefix} {i + 1}" for i in range(n)]
        # Inserted last first, so the feed (newest first) shows "<prefix> 1" on top.
        return _copy_posts(_DATA[server] / "hallway.sqlite3", seeded_clip["id"], bodies[::-1])[::-1]

    return seed


__all__ = ["ADMIN", "MEMBER", "server", "browser", "new_context", "page", "seeded_clip", "seed_videos"]
