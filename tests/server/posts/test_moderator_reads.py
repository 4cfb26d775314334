"""What moderators read: every published post, whatever its audience; never someone else's unpublished one.

Moderators moderate the whole company, so a published announcement for another office opens for
them (to remove it if need be); a draft still processing, a post that failed and an announcement
scheduled for later belong to their author until they are out.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tests.server.posts.helpers import run_jobs, upload

GONE = "This post does not exist or was deleted."


def _later(**delta) -> str:
    return (datetime.now(timezone.utc) + timedelta(**delta)).isoformat()


async def test_a_moderator_cannot_open_someone_elses_unpublished_posts(clients, users, files):
    member = await clients.signed_in(await users.create(name="Mia"))
    comms = await clients.signed_in(await users.create("admin", name="Comms", location="Berlin"))
    moderator = await clients.signed_in(await users.create("moderator", name="Mo", location="Hamburg"))
    await users.create(name="Bea", location="Berlin")

    processing = (await member.post("/api/posts", json={"upload_ids": [await upload(member, files["h264"])]})).json()
    failed = (await member.post("/api/posts", json={"upload_ids": [await upload(member, files["cut"])]})).json()
    scheduled = (await comms.post("/api/announcements", json={"body": "Reorg, embargoed", "publish_at": _later(hours=3)})).json()
    # Only the cut-off clip is processed (and fails); the other post stays "processing".
    from server.jobs.tables import Job

    await Job.update({Job.run_at: datetime.now(timezone.utc) + timedelta(hours=1)}).where(
        Job.unique_key.is_in([f"process-post:{processing['id']}", f"publish-announcement:{scheduled['id']}"])
    )
    await run_jobs()
    assert (await member.get(f"/api/posts/{failed['id']}")).json()["status"] == "failed"

    for post in (processing, failed, scheduled):
        response = await moderator.get(f"/api/posts/{post['id']}")
        assert (response.status_code, response.json()["detail"]) == (404, GONE), post["status"]
        # Nor can they act on it: delete, pin, see its statistics.
        assert (await moderator.delete(f"/api/posts/{post['id']}")).status_code == 404
        assert (await moderator.put(f"/api/posts/{post['id']}/pin", json={})).status_code == 404
    assert (await moderator.get(f"/api/announcements/{scheduled['id']}/stats")).status_code == 404
    assert "Reorg, embargoed" not in [p["body"] for p in (await moderator.get("/api/feed")).json()["items"]]
    # Their authors still see them.
    assert (await member.get(f"/api/posts/{processing['id']}")).status_code == 200
    assert (await comms.get(f"/api/posts/{scheduled['id']}")).status_code == 200


async def test_a_moderator_opens_a_published_announcement_for_another_office(clients, users):
    comms = await clients.signed_in(await users.create("admin", name="Comms", location="Berlin"))
    moderator = await clients.signed_in(await users.create("moderator", name="Mo", location="Hamburg"))
    member = await clients.signed_in(await users.create(name="Hal", location="Hamburg"))
    await users.create(name="Bea", location="Berlin")
    post = (await comms.post("/api/announcements", json={"body": "Berlin canteen closed", "audience": {"locations": ["Berlin"]}})).json()
    assert (await moderator.get(f"/api/posts/{post['id']}")).status_code == 200
    assert (await member.get(f"/api/posts/{post['id']}")).status_code == 404
    # Not in their feed: a moderator's feed is a member's feed.
    assert "Berlin canteen closed" not in [p["body"] for p in (await moderator.get("/api/feed")).json()["items"]]
