"""A `hallway worker` killed mid-job (SIGKILL) loses nothing: another worker finishes the post."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.media.makers import make_clip
from tests.server.posts.helpers import post_files, process_job, upload

ROOT = Path(__file__).resolve().parents[3]
LEASE = 3


@pytest.fixture(scope="session")
def long_clip(tmp_path_factory) -> Path:
    """H.264/AAC at 720p: the fast start takes a moment, the full transcode a few seconds."""
    return make_clip(tmp_path_factory.mktemp("kill") / "commute.mp4", width=1280, height=720, seconds=6.0)


def _start_worker(database_url: str) -> subprocess.Popen:
    from server.settings import get_settings

    env = {
        **os.environ, "HALLWAY_DATA": str(get_settings().data_dir), "DATABASE_URL": database_url,
        "HALLWAY_JOB_LEASE": str(LEASE), "HALLWAY_WORKER_CONCURRENCY": "1", "HALLWAY_LOG_LEVEL": "WARNING",
        "HALLWAY_WORKER_NICE": "0",  # lease timings here assume a worker that is not starved by the tests
    }
    return subprocess.Popen([sys.executable, "-m", "server.cli", "worker"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _media_children(staging_parent: Path) -> list[int]:
    """The sandboxed media processes working in this directory (they run in a session of their own)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if "media.sandbox" in cmdline and str(staging_parent) in cmdline:
            found.append(int(proc.name))
    return found


async def _until(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := await check():
            return result
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


async def test_killed_worker_loses_nothing(member_client, database_url, long_clip):
    from server.posts.tables import Post, PostMedia
    from server.settings import get_settings

    settings = get_settings()
    response = await member_client.post("/api/posts", json={"body": "tunnel", "upload_ids": [await upload(member_client, long_clip)]})
    post_id = response.json()["id"]
    media_id = (await PostMedia.select(PostMedia.id).where(PostMedia.post == post_id).first())["id"]
    full_work = settings.data_dir / "work" / f"m{media_id}-full"

    first = _start_worker(database_url)
    orphans: list[int] = []
    try:
        # Mid-job: the fast start is published and the full transcode's child is at work.
        async def transcoding():
            return full_work.exists() and _media_children(full_work)
        orphans = await _until(transcoding, 60, "the full transcode to start")
        first.send_signal(signal.SIGKILL)
        assert first.wait(10) == -signal.SIGKILL
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    job = await process_job()
    assert (job["status"], job["attempts"]) == ("running", 1)
    post = await Post.select(Post.status).where(Post.id == post_id).first()
    item = await PostMedia.select().where(PostMedia.id == media_id).output(load_json=True).first()
    assert post["status"] == "published" and item["fast_start"] is True
    fast_keys = {r["key"] for r in item["renditions"]} | {item["poster"]}

    # The media child lives in its own session and outlives the worker; let it end so it cannot race.
    async def gone() -> bool:
        return not any(Path(f"/proc/{pid}").exists() for pid in orphans)
    try:
        await _until(gone, 60, "the orphaned media child to finish")
    finally:
        for pid in orphans:
            if Path(f"/proc/{pid}").exists():
                os.kill(pid, signal.SIGKILL)

    second = _start_worker(database_url)
    try:
        async def finished():
            job = await process_job()
            return job["status"] in ("done", "failed") and job
        job = await _until(finished, 90, "the second worker to finish the job")
    finally:
        second.terminate()
        _, stderr = second.communicate(timeout=20)
    assert second.returncode == 0, stderr.decode()[-2000:]
    assert (job["status"], job["attempts"], job["last_error"]) == ("done", 2, "")

    seen = (await member_client.get(f"/api/posts/{post_id}")).json()
    assert seen["status"] == "published"
    [item] = seen["media"]
    assert item["fast_start"] is False
    assert [(r["name"], r["width"], r["height"]) for r in item["renditions"]] == [("720p", 1280, 720), ("360p", 640, 360)]
    names = [url.rsplit("/", 1)[1] for url in [r["url"] for r in item["renditions"]] + [item["poster"]]]
    # Exactly the final outputs: no fast-start copy, no half-written or temporary file.
    assert post_files(post_id) == sorted(names)
    assert not any(key.rsplit("/", 1)[1] in post_files(post_id) for key in fast_keys)
    for name in names:
        assert (settings.media_dir / "p" / str(post_id) / name).stat().st_size > 0
    work = settings.data_dir / "work"
    assert not work.exists() or list(work.iterdir()) == []
    assert not (settings.originals_dir / str(post_id)).exists()
