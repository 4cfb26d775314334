"""Disk full while a transcode writes: the author reads why, nothing half-written is served, Retry works once there is room.

A real full disk: a tiny tmpfs mounted over the worker's work directory (where the media child
writes) or over the media directory (where outputs are stored). Needs root, as CI has.
"""

from __future__ import annotations

import os
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.server.posts.helpers import post_files, run_jobs, upload
from tests.support import need

pytestmark = pytest.mark.faults

FULL = "The server's storage is full, so this could not be processed; your file is kept, try again once there is room."


def _can_mount() -> bool:
    return os.geteuid() == 0 and Path("/bin/mount").exists()


@contextmanager
def full_disk(path: Path, size: str = "8k"):
    """`path` on a tmpfs of `size` for the block: writes there run out of space."""
    need(_can_mount(), "root and mount(8) for a small tmpfs (a real full disk)")
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True, text=True)
    need(mounted.returncode == 0, f"mounting a tmpfs: {mounted.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=True)


async def _post_video(client, files) -> dict:
    response = await client.post("/api/posts", json={"body": "from the tunnel", "upload_ids": [await upload(client, files["hevc"])]})
    assert response.status_code == 201, response.text
    return response.json()


@pytest.mark.parametrize("where", ["work", "media"])
async def test_a_full_disk_fails_the_post_in_words_and_retry_works_once_there_is_room(member_client, files, where):
    from server.settings import get_settings

    settings = get_settings()
    target = settings.data_dir / "work" if where == "work" else settings.media_dir
    post = await _post_video(member_client, files)
    with full_disk(target):
        await run_jobs()
        seen = (await member_client.get(f"/api/posts/{post['id']}")).json()
        assert (seen["status"], seen["error"]) == ("failed", FULL)
        # Nothing half-written is stored or served; the original is kept for the Retry.
        assert post_files(post["id"]) == []
        assert not [p for p in target.rglob("*") if p.is_file()]
        assert len(list((settings.originals_dir / str(post["id"])).iterdir())) == 1
    # Room again: the author's Retry publishes the video.
    assert (await member_client.post(f"/api/posts/{post['id']}/retry")).status_code == 200
    await run_jobs()
    seen = (await member_client.get(f"/api/posts/{post['id']}")).json()
    assert seen["status"] == "published" and seen["media"][0]["renditions"]
