"""Scheduled announcements: invisible before their time, published once, even after a worker was down."""

from datetime import datetime, timedelta, timezone

from tests.server.announcements.conftest import announce, feed_bodies, later


async def _due_now(post_id: int, *, move_job: bool = True) -> None:
    """Pretend the scheduled time has come (the clock moved on)."""
    from server.jobs.tables import Job
    from server.posts.tables import Post

    past = datetime.now(timezone.utc) - timedelta(seconds=5)
    await Post.update({Post.publish_at: past}).where(Post.id == post_id)
    if move_job:
        await Job.update({Job.run_at: past}).where(Job.unique_key == f"publish-announcement:{post_id}")


async def test_a_scheduled_announcement_is_invisible_until_its_job_publishes_it(clients, users, admin, sent):
    reader = await clients.signed_in(await users.create(name="Reader"))
    author = await clients.signed_in(admin)
    post = await announce(author, "Press release at 09:00", publish_at=later(hours=1), must_read=True, pinned=True)
    assert post["status"] == "scheduled" and post["publish_at"] is not None
    assert "Press release at 09:00" not in await feed_bodies(reader)
    assert (await reader.get(f"/api/posts/{post['id']}")).status_code == 404
    # Its author sees it, marked scheduled, at the top of their own feed.
    own = (await author.get("/api/feed")).json()["items"]
    assert own[0]["id"] == post["id"] and own[0]["status"] == "scheduled"
    assert sent.calls == []

    from server.jobs.tables import Job
    from server.worker import run_one

    [job] = await Job.select().where(Job.unique_key == f"publish-announcement:{post['id']}")
    assert abs(job["run_at"] - datetime.fromisoformat(post["publish_at"])) < timedelta(seconds=1)
    while await run_one():  # nothing is due yet
        pass
    assert (await Job.select(Job.status).where(Job.id == job["id"]).first())["status"] == "queued"
    assert (await reader.get(f"/api/posts/{post['id']}")).status_code == 404

    await _due_now(post["id"])
    while await run_one():
        pass
    assert (await Job.select(Job.status).where(Job.id == job["id"]).first())["status"] == "done"
    seen = await reader.get(f"/api/posts/{post['id']}")
    assert seen.status_code == 200 and seen.json()["status"] == "published" and seen.json()["pinned"]
    assert (await feed_bodies(reader))[0] == "Press release at 09:00"
    assert [c["kind"] for c in sent.calls] == ["must_read"]


async def test_the_sweep_publishes_what_was_due_while_no_worker_ran_and_only_once(admin_client, users, sent):
    from server.announcements.jobs import publish_due_posts
    from server.jobs.tables import Job
    from server.posts.tables import Post
    from server.worker import run_one

    await users.create(name="Reader")
    lost = await announce(admin_client, "Job lost", publish_at=later(minutes=30))
    kept = await announce(admin_client, "Job kept", publish_at=later(minutes=30))
    future = await announce(admin_client, "Still ahead", publish_at=later(days=1))
    await Job.delete().where(Job.unique_key == f"publish-announcement:{lost['id']}")
    await _due_now(lost["id"])
    await _due_now(kept["id"])

    # The worker comes back: its sweep runs first and publishes both due posts...
    assert await publish_due_posts() == 2
    # ...then the kept job runs too and changes nothing; a second sweep neither.
    while await run_one():
        pass
    assert await publish_due_posts() == 0
    statuses = {r["id"]: r["status"] for r in await Post.select(Post.id, Post.status)}
    assert statuses == {lost["id"]: "published", kept["id"]: "published", future["id"]: "scheduled"}
    assert sorted(c["post_id"] for c in sent.calls) == sorted([lost["id"], kept["id"]])


async def test_a_post_still_processing_waits_for_its_media_even_when_due(admin, sent):
    from server.posts import states
    from server.posts.tables import Post

    now = datetime.now(timezone.utc)
    ids = []
    for publish_at in (now - timedelta(minutes=1), now + timedelta(hours=1)):
        rows = await Post.insert(Post(author=admin["id"], body="video", kind="video", status=states.PROCESSING,
                                      publish_at=publish_at)).returning(Post.id)
        ids.append(rows[0]["id"])
    due, ahead = ids
    # The scheduled-publish path never shows a post whose video is not ready.
    assert await states.publish_due(due) is False
    assert (await Post.select(Post.status).where(Post.id == due).first())["status"] == "processing"
    # When the media job finishes: a due post publishes, one still ahead waits as scheduled.
    assert await states.publish(due) is True
    assert await states.publish(ahead) is False
    assert (await Post.select(Post.status).where(Post.id == ahead).first())["status"] == "scheduled"


async def test_a_deleted_scheduled_announcement_takes_its_job_along_and_the_next_one_gets_its_own(admin_client, users, sent):
    """The next announcement is published by its own job at its own time, never by the deleted one's."""
    from server.jobs.tables import Job

    await users.create(name="Reader")
    gone = await announce(admin_client, "Cancelled", publish_at=later(hours=1))
    assert (await admin_client.delete(f"/api/posts/{gone['id']}")).status_code == 204
    assert await Job.count().where(Job.kind == "publish-announcement") == 0
    kept = await announce(admin_client, "Moved to Friday", publish_at=later(hours=2))
    assert kept["id"] != gone["id"]
    [job] = await Job.select().where(Job.kind == "publish-announcement")
    assert job["unique_key"] == f"publish-announcement:{kept['id']}"
    assert abs(job["run_at"] - datetime.fromisoformat(kept["publish_at"])) < timedelta(seconds=1)


async def test_a_publish_job_of_an_earlier_post_with_the_same_id_does_not_publish_the_new_one(admin_client, users, sent):
    """A database whose ids went back (a restored backup): the job's fence, the post's created_at, holds;
    the post is published by its own job or the sweep, never by another post's."""
    from server.announcements.jobs import publish_due_posts
    from server.jobs.tables import Job
    from server.posts.tables import Post
    from server.worker import run_one

    await users.create(name="Reader")
    post = await announce(admin_client, "Embargoed until noon", publish_at=later(hours=1))
    earlier = (datetime.fromisoformat(post["created_at"]) - timedelta(days=1)).isoformat()
    await Job.update({Job.payload: {"post_id": post["id"], "created_at": earlier}}).where(Job.kind == "publish-announcement")
    await _due_now(post["id"])
    while await run_one():
        pass
    assert (await Post.select(Post.status).where(Post.id == post["id"]).first())["status"] == "scheduled"
    assert sent.calls == []
    assert await publish_due_posts() == 1
