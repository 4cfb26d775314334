"""process-post when the media child crashes (retried with backoff) and when it runs twice."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

import media
from server.jobs.tables import Job
from server.posts import jobs
from server.posts.tables import Post, PostMedia
from tests.server.posts.helpers import post_files, process_job, run_jobs, upload

GAVE_UP = "We could not process this file. Please try again."


async def _video_post(client, files, name: str = "h264") -> int:
    response = await client.post("/api/posts", json={"upload_ids": [await upload(client, files[name])]})
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def _state(post_id: int) -> tuple[str, str]:
    row = await Post.select(Post.status, Post.error).where(Post.id == post_id).first()
    return row["status"], row["error"]


async def _due_now() -> None:
    await Job.update({Job.run_at: datetime.now(timezone.utc)}).where(Job.kind == "process-post")


@pytest.mark.parametrize("crash", [media.MediaCrash("media child exited with -11"), OSError("No space left on device")])
async def test_crashing_media_is_retried_with_backoff_then_the_post_fails(member_client, files, monkeypatch, crash):
    calls = []

    def crashing(path, outdir, limits=None, fast_start=False):
        calls.append(fast_start)
        raise crash

    monkeypatch.setattr(media, "process_isolated", crashing)
    post_id = await _video_post(member_client, files, "webm")
    delays = []
    for attempt in (1, 2, 3):
        assert await run_jobs() == 1
        job = await process_job()
        assert (job["status"], job["attempts"]) == ("queued", attempt)
        assert type(crash).__name__ in job["last_error"]
        delays.append(round((job["run_at"] - datetime.now(timezone.utc)).total_seconds()))
        # Not the author's problem (yet): the post waits, nothing is due until the backoff passes.
        assert await _state(post_id) == ("processing", "")
        assert await run_jobs() == 0
        await _due_now()
    assert delays == [15, 30, 60]
    assert await run_jobs() == 1  # the fourth and last try
    job = await process_job()
    assert (job["status"], job["attempts"]) == ("failed", 4)
    # The author reads a sentence, not a traceback; the item says the same.
    assert await _state(post_id) == ("failed", GAVE_UP)
    seen = (await member_client.get(f"/api/posts/{post_id}")).json()
    assert (seen["status"], seen["error"], [m["status"] for m in seen["media"]]) == ("failed", GAVE_UP, ["failed"])
    assert len(calls) == 4 and post_files(post_id) == []
    # Retry after the crashes works once media is well again.
    monkeypatch.undo()
    assert (await member_client.post(f"/api/posts/{post_id}/retry")).status_code == 200
    assert await run_jobs() == 1
    assert await _state(post_id) == ("published", "")


@pytest.mark.parametrize(("name", "first", "ladder"), [("h264", "fast", ["180p"]), ("hevc_480", "quick", ["480p", "360p"])])
async def test_crash_after_fast_start_keeps_the_post_playing_and_the_retry_swaps(
    member_client, files, monkeypatch, name, first, ladder
):
    real = media.process_isolated
    crashed = []

    def full_crashes_once(path, outdir, limits=None, fast_start=False):
        if not fast_start and not crashed:
            crashed.append(True)
            raise media.MediaCrash("killed")
        return real(path, outdir, limits, fast_start)

    monkeypatch.setattr(media, "process_isolated", full_crashes_once)
    post_id = await _video_post(member_client, files, name)
    await run_jobs()
    # Published with the remuxed upload (or the quick rendition); the proper renditions are still owed.
    assert await _state(post_id) == ("published", "")
    [item] = (await member_client.get(f"/api/posts/{post_id}")).json()["media"]
    assert item["fast_start"] is True and [r["name"] for r in item["renditions"]] == [first]
    assert (await process_job())["status"] == "queued"
    await _due_now()
    # The retry does not make the fast copy again: only the full ladder.
    calls = []

    def noting(path, outdir, limits=None, fast_start=False):
        calls.append(fast_start)
        return real(path, outdir, limits, fast_start)

    monkeypatch.setattr(media, "process_isolated", noting)
    assert await run_jobs() == 1
    assert calls == [False]
    [item] = (await member_client.get(f"/api/posts/{post_id}")).json()["media"]
    assert item["fast_start"] is False and [r["name"] for r in item["renditions"]] == ladder
    assert len(post_files(post_id)) == len(ladder) + 1  # the fast copy and its poster are gone
    assert (await PostMedia.select(PostMedia.original).first())["original"] == ""


@pytest.mark.parametrize("name", ["h264", "hevc_480"])
async def test_running_the_job_twice_changes_nothing(member_client, files, name):
    post_id = await _video_post(member_client, files, name)
    await run_jobs()
    before = (await member_client.get(f"/api/posts/{post_id}")).json()
    stored_before = post_files(post_id)
    # A worker that died after finishing but before marking the job done: the job runs again.
    await jobs.process_post({"post_id": post_id})
    await jobs.process_post({"post_id": post_id})
    after = (await member_client.get(f"/api/posts/{post_id}")).json()
    assert after == before and post_files(post_id) == stored_before
    assert await PostMedia.count() == 1


async def test_gallery_run_twice_after_a_partial_first_run(member_client, files, monkeypatch):
    """A crash after the first photo: the second run does only what is left, once."""
    ids = [await upload(member_client, files[n]) for n in ("png", "jpeg")]
    post_id = (await member_client.post("/api/posts", json={"upload_ids": ids})).json()["id"]
    real, calls = media.process_isolated, []

    def second_crashes(path, outdir, limits=None, fast_start=False):
        calls.append(str(path))
        if len(calls) == 2:
            raise media.MediaCrash("killed")
        return real(path, outdir, limits, fast_start)

    monkeypatch.setattr(media, "process_isolated", second_crashes)
    with pytest.raises(media.MediaCrash):
        await jobs.process_post({"post_id": post_id})
    assert await _state(post_id) == ("processing", "")
    assert len(post_files(post_id)) == 2  # the first photo's two variants
    await jobs.process_post({"post_id": post_id})
    await jobs.process_post({"post_id": post_id})
    assert len(calls) == 3  # photo 1, photo 2 (crash), photo 2 again; nothing after that
    assert await _state(post_id) == ("published", "")
    items = (await member_client.get(f"/api/posts/{post_id}")).json()["media"]
    assert [len(m["variants"]) for m in items] == [2, 2] and len(post_files(post_id)) == 4


async def test_a_rejected_photo_names_its_place_in_the_gallery(member_client, files, monkeypatch):
    ids = [await upload(member_client, files[n]) for n in ("png", "jpeg", "heic")]
    post_id = (await member_client.post("/api/posts", json={"upload_ids": ids})).json()["id"]
    real = media.process_isolated

    def third_rejected(path, outdir, limits=None, fast_start=False):
        if str(path).endswith(ids[2]):
            raise media.MediaError("this image is too large (400 megapixels)")
        return real(path, outdir, limits, fast_start)

    monkeypatch.setattr(media, "process_isolated", third_rejected)
    await run_jobs()
    reason = "Photo 3: This image is too large (400 megapixels)."
    assert await _state(post_id) == ("failed", reason)
    items = (await member_client.get(f"/api/posts/{post_id}")).json()["media"]
    assert [m["status"] for m in items] == ["ready", "ready", "failed"]
    job = await process_job()
    assert (job["status"], job["attempts"]) == ("failed", 1)


async def test_lease_runs_out_and_another_run_finishes(member_client, files):
    """A job whose worker vanished (status running, lease expired) is taken again and finished."""
    from server.jobs import queue

    post_id = await _video_post(member_client, files)
    claimed = await queue.claim(lease=60)  # the worker that will "die"
    assert claimed.payload["post_id"] == post_id
    assert await run_jobs() == 0  # its lease still holds
    await Job.update({Job.locked_until: datetime.now(timezone.utc) - timedelta(seconds=1)}).where(Job.id == claimed.id)
    assert await run_jobs() == 1
    assert await _state(post_id) == ("published", "")
    job = await process_job()
    assert (job["status"], job["attempts"]) == ("done", 2)
