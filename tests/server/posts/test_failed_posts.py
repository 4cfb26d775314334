"""A file media rejects: the author reads why on the post, can retry or delete; nothing is left behind."""

from __future__ import annotations

from tests.server.posts.helpers import post_files, process_job, run_jobs, upload

DAMAGED = "The file is damaged or incomplete."


async def _failed_post(client, files) -> dict:
    """A cut-off WebM: probing cannot tell (no index), the transcode finds the missing end."""
    response = await client.post("/api/posts", json={"body": "tunnel", "upload_ids": [await upload(client, files["cut"])]})
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "processing"
    await run_jobs()
    return response.json()


async def test_rejected_video_fails_the_post_in_words_and_is_not_retried(member_client, clients, users, files):
    from server.settings import get_settings

    post = await _failed_post(member_client, files)
    seen = (await member_client.get(f"/api/posts/{post['id']}")).json()
    assert (seen["status"], seen["error"], seen["published_at"]) == ("failed", DAMAGED, None)
    assert [(m["status"], m["renditions"]) for m in seen["media"]] == [("failed", [])]
    # Permanent: the job is over after one attempt, with nothing due again.
    job = await process_job()
    assert (job["status"], job["attempts"], job["last_error"]) == ("failed", 1, DAMAGED)
    assert await run_jobs() == 0
    # Nobody else sees a failed post, in the feed or by id.
    colleague = await clients.signed_in(await users.create(name="Colleague"))
    assert (await colleague.get(f"/api/posts/{post['id']}")).status_code == 404
    assert (await colleague.get("/api/feed")).json()["items"] == []
    # Nothing half-made is stored; the original is kept for a retry.
    assert post_files(post["id"]) == []
    assert len(list((get_settings().originals_dir / str(post["id"])).iterdir())) == 1
    work = get_settings().data_dir / "work"
    assert not work.exists() or list(work.iterdir()) == []


async def test_author_retries_a_failed_post(member_client, files):
    post = await _failed_post(member_client, files)
    response = await member_client.post(f"/api/posts/{post['id']}/retry")
    assert response.status_code == 200, response.text
    again = response.json()
    assert (again["status"], again["error"]) == ("processing", "")
    assert [m["status"] for m in again["media"]] == ["processing"]
    assert (await process_job())["status"] == "queued"
    # The same file fails the same way, with the same words.
    assert await run_jobs() == 1
    seen = (await member_client.get(f"/api/posts/{post['id']}")).json()
    assert (seen["status"], seen["error"]) == ("failed", DAMAGED)


async def test_only_a_failed_post_can_be_retried(member_client, files):
    response = await member_client.post("/api/posts", json={"upload_ids": [await upload(member_client, files["png"])]})
    post_id = response.json()["id"]
    refused = await member_client.post(f"/api/posts/{post_id}/retry")
    assert (refused.status_code, refused.json()["detail"]) == (400, "Only a post that failed can be retried.")
    await run_jobs()
    refused = await member_client.post(f"/api/posts/{post_id}/retry")
    assert (refused.status_code, refused.json()["detail"]) == (400, "Only a post that failed can be retried.")


async def test_nobody_else_retries(member_client, clients, users, files):
    post = await _failed_post(member_client, files)
    colleague = await clients.signed_in(await users.create(name="Colleague"))
    # A colleague cannot see the failed post at all, so it does not exist for them.
    response = await colleague.post(f"/api/posts/{post['id']}/retry")
    assert (response.status_code, response.json()["detail"]) == (404, "This post does not exist or was deleted.")
    # Nor does it for a moderator: an unpublished post is its author's alone (test_moderator_reads.py).
    moderator = await clients.signed_in(await users.create("moderator", name="Mod"))
    response = await moderator.post(f"/api/posts/{post['id']}/retry")
    assert (response.status_code, response.json()["detail"]) == (404, "This post does not exist or was deleted.")
    seen = (await member_client.get(f"/api/posts/{post['id']}")).json()
    assert seen["status"] == "failed"
    assert (await process_job())["status"] == "failed"


async def test_deleting_a_failed_post_removes_its_original(member_client, files):
    from server.posts.tables import PostMedia
    from server.settings import get_settings

    post = await _failed_post(member_client, files)
    assert (await member_client.delete(f"/api/posts/{post['id']}")).status_code == 204
    assert (await member_client.get(f"/api/posts/{post['id']}")).status_code == 404
    assert await PostMedia.count() == 0
    assert not (get_settings().originals_dir / str(post["id"])).exists()


async def test_deleting_a_published_video_removes_its_files(member_client, clients, users, files):
    from server.settings import get_settings

    response = await member_client.post("/api/posts", json={"upload_ids": [await upload(member_client, files["h264"])]})
    post_id = response.json()["id"]
    await run_jobs()
    assert len(post_files(post_id)) == 2  # the rendition and the poster
    colleague = await clients.signed_in(await users.create(name="Colleague"))
    refused = await colleague.delete(f"/api/posts/{post_id}")
    assert (refused.status_code, refused.json()["detail"]) == (403, "Only the author or a moderator can delete this post.")
    assert len(post_files(post_id)) == 2
    assert (await member_client.delete(f"/api/posts/{post_id}")).status_code == 204
    assert post_files(post_id) == []
    assert not (get_settings().media_dir / "p" / str(post_id)).exists()
    assert (await colleague.get("/api/feed")).json()["items"] == []


async def test_deleted_while_processing_its_waiting_job_goes_with_it(member_client, files):
    from server.settings import get_settings

    response = await member_client.post("/api/posts", json={"upload_ids": [await upload(member_client, files["h264"])]})
    post_id = response.json()["id"]
    assert (await process_job())["status"] == "queued"
    assert (await member_client.delete(f"/api/posts/{post_id}")).status_code == 204
    assert not (get_settings().originals_dir / str(post_id)).exists()
    assert await process_job() is None
    assert await run_jobs() == 0
    assert post_files(post_id) == []
