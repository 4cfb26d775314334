"""A post deleted while its job runs: the job stops touching it, and nothing of it reaches the next post."""

from __future__ import annotations

import asyncio

import pytest

from server.posts import jobs
from tests.media.makers import make_clip
from tests.server.posts.helpers import post_files, run_jobs, upload


async def _create(client, upload_id: str) -> dict:
    response = await client.post("/api/posts", json={"body": "clip", "upload_ids": [upload_id]})
    assert response.status_code == 201, response.text
    return response.json()


def _pause_full_transcode(monkeypatch, post_id: int) -> tuple[asyncio.Event, asyncio.Event]:
    """Hold the job of `post_id` as its full transcode ends, before it stores the outputs: (paused, go on)."""
    paused, resume = asyncio.Event(), asyncio.Event()
    real = jobs._run

    async def pausing(item, fast_start):
        made = await real(item, fast_start)
        if item["post"] == post_id and not fast_start:
            paused.set()
            await resume.wait()
        return made

    monkeypatch.setattr(jobs, "_run", pausing)
    return paused, resume


async def test_a_post_deleted_mid_job_never_lends_its_video_to_the_next_post(clients, users, files, monkeypatch, tmp_path):
    """The finding's sequence: Ann deletes her post while its job transcodes, Bob posts his own clip;
    Bob's post must play Bob's clip, processed by its own job, and nothing of Ann's clip remains."""
    from server.jobs.tables import Job
    from server.settings import get_settings
    from server.worker import run_one

    ann, bob = await clients.signed_in(await users.create(name="Ann")), await clients.signed_in(await users.create(name="Bob"))
    bobs_clip = make_clip(tmp_path / "bob.mp4", width=256, height=144, seconds=2.0)
    first = await _create(ann, await upload(ann, files["h264"]))  # 320x180, 1 s
    paused, resume = _pause_full_transcode(monkeypatch, first["id"])
    worker = asyncio.create_task(run_one())
    await asyncio.wait_for(paused.wait(), 60)  # Ann's clip plays (fast start) and its transcode is done

    assert (await ann.delete(f"/api/posts/{first['id']}")).status_code == 204
    second = await _create(bob, await upload(bob, bobs_clip))
    resume.set()
    await asyncio.wait_for(worker, 120)
    await run_jobs()

    seen = (await bob.get(f"/api/posts/{second['id']}")).json()
    assert seen["status"] == "published", seen
    [item] = seen["media"]
    # Bob sees his own clip, not the deleted one.
    assert (item["width"], item["height"]) == (256, 144)
    assert item["duration"] == pytest.approx(2.0, abs=0.1)
    assert item["fast_start"] is False and [r["name"] for r in item["renditions"]] == ["144p"]
    # A new post never takes a deleted post's id; Ann's job stopped quietly and Bob's own job ran.
    assert second["id"] > first["id"]
    ran = await Job.select(Job.status, Job.payload).where(Job.kind == "process-post").order_by(Job.id).output(load_json=True)
    assert [(job["payload"]["post_id"], job["status"]) for job in ran] == [(first["id"], "done"), (second["id"], "done")]
    # Nothing of Ann's post is left behind: not its outputs, not its original.
    assert post_files(first["id"]) == []
    assert not (get_settings().originals_dir / str(first["id"])).exists()
    assert not (get_settings().originals_dir / str(second["id"])).exists()  # Bob's, used and dropped by his job


async def test_a_job_queued_for_an_earlier_post_with_the_same_id_leaves_the_new_post_alone(member_client, files):
    """Belt and braces for a database whose ids went back (a restored backup): the job's fence is the
    post's created_at, so a stale job changes nothing, and the post's own job still processes it."""
    from datetime import datetime, timedelta

    from server.jobs.tables import Job
    from server.posts.tables import PostMedia

    post = await _create(member_client, await upload(member_client, files["h264"]))
    [own] = await Job.select(Job.id).where(Job.kind == "process-post")
    earlier = (datetime.fromisoformat(post["created_at"]) - timedelta(minutes=5)).isoformat()
    await Job.update({Job.unique_key: None, Job.payload: {"post_id": post["id"], "created_at": earlier}}).where(
        Job.id == own["id"]
    )
    await run_jobs()
    # The stale job ran and changed nothing: the post is still waiting, its media untouched.
    seen = (await member_client.get(f"/api/posts/{post['id']}")).json()
    assert seen["status"] == "processing"
    assert await PostMedia.select(PostMedia.status, PostMedia.renditions).where(PostMedia.post == post["id"]) == [
        {"status": "processing", "renditions": "[]"}
    ]
    assert post_files(post["id"]) == []
    # The post's own job (e.g. the author's Retry) processes it.
    from server.posts.services import enqueue_processing

    await enqueue_processing(post["id"])
    await run_jobs()
    assert (await member_client.get(f"/api/posts/{post['id']}")).json()["status"] == "published"

