"""Who may fetch a post's media: whoever may see the post (posts/visibility.py), nobody else, even with the URL.

A URL travels (a screenshot, a forwarded link, a shared device's history); the file behind it
is served only to someone who may open its post now.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.server.posts.helpers import run_jobs, upload

MISSING = "This file does not exist."


@pytest.fixture(scope="module")
def photo(tmp_path_factory):
    from PIL import Image

    path = tmp_path_factory.mktemp("media-access") / "whiteboard.png"
    Image.new("RGB", (400, 300), (20, 20, 200)).save(path)
    return path


def _urls(post: dict) -> list[str]:
    return [v["url"] for m in post["media"] for v in m["variants"]]


async def _announce(client, photo, **fields) -> dict:
    response = await client.post("/api/announcements", json={
        "body": "Floor plan", "upload_ids": [await upload(client, photo)], **fields,
    })
    assert response.status_code == 201, response.text
    await run_jobs()
    return (await client.get(f"/api/posts/{response.json()['id']}")).json()


async def test_the_photo_of_an_announcement_for_another_office_is_not_served(clients, users, photo):
    comms = await clients.signed_in(await users.create("admin", name="Comms", location="Berlin"))
    bea = await clients.signed_in(await users.create(name="Bea", location="Berlin"))
    hal = await clients.signed_in(await users.create(name="Hal", location="Hamburg"))
    mod = await clients.signed_in(await users.create("moderator", name="Mo", location="Hamburg"))
    post = await _announce(comms, photo, audience={"locations": ["Berlin"]})
    [url, *_] = _urls(post)
    assert (await bea.get(url)).status_code == 200
    assert (await mod.get(url)).status_code == 200  # moderators may open every published post
    # Hal has the link (someone forwarded it) but not the post: the file does not exist for him.
    for method in ("GET", "HEAD"):
        refused = await hal.request(method, url, headers={"Range": "bytes=0-1"})
        assert refused.status_code == 404 and "etag" not in refused.headers and "content-range" not in refused.headers
    assert (await hal.get(url)).json()["detail"] == MISSING


async def test_a_scheduled_announcements_photo_is_its_authors_until_it_is_out(clients, users, photo):
    from server.announcements.jobs import publish_due_posts
    from server.posts.tables import Post

    comms = await clients.signed_in(await users.create("admin", name="Comms"))
    colleague = await clients.signed_in(await users.create(name="Colleague"))
    mod = await clients.signed_in(await users.create("moderator", name="Mo"))
    later = (datetime.now(timezone.utc) + timedelta(hours=2)).isoformat()
    post = await _announce(comms, photo, publish_at=later)
    assert post["status"] == "scheduled"
    [url, *_] = _urls(post)
    assert (await comms.get(url)).status_code == 200
    assert (await colleague.get(url)).status_code == 404
    assert (await mod.get(url)).status_code == 404
    await Post.update({Post.publish_at: datetime.now(timezone.utc) - timedelta(seconds=1)}).where(Post.id == post["id"])
    assert await publish_due_posts() == 1
    assert (await colleague.get(url)).status_code == 200


async def test_the_same_photo_posted_twice_has_two_urls_each_as_private_as_its_post(clients, users, photo):
    comms = await clients.signed_in(await users.create("admin", name="Comms", location="Berlin"))
    hal = await clients.signed_in(await users.create(name="Hal", location="Hamburg"))
    await users.create(name="Bea", location="Berlin")
    private = await _announce(comms, photo, audience={"locations": ["Berlin"]})
    response = await hal.post("/api/posts", json={"body": "Same plan", "upload_ids": [await upload(hal, photo)]})
    await run_jobs()
    public = (await hal.get(f"/api/posts/{response.json()['id']}")).json()
    assert public["status"] == "published"
    assert not set(_urls(private)) & set(_urls(public))
    assert [(await hal.get(url)).status_code for url in _urls(public)] == [200] * len(_urls(public))
    assert [(await hal.get(url)).status_code for url in _urls(private)] == [404] * len(_urls(private))


async def test_a_deleted_posts_files_are_gone_for_everyone(clients, users, photo):
    author = await clients.signed_in(await users.create(name="Ann"))
    response = await author.post("/api/posts", json={"upload_ids": [await upload(author, photo)]})
    await run_jobs()
    [url, *_] = _urls((await author.get(f"/api/posts/{response.json()['id']}")).json())
    assert (await author.get(url)).status_code == 200
    assert (await author.delete(f"/api/posts/{response.json()['id']}")).status_code == 204
    assert (await author.get(url)).status_code == 404


async def test_a_key_naming_no_possible_post_is_404(member_client):
    for key in ("p/99999999999999999999999/aa-720p.mp4", "p/" + "9" * 5000 + "/aa-720p.mp4", "q/1/aa-720p.mp4"):
        response = await member_client.get(f"/media/{key}")
        assert (response.status_code, response.json()["detail"]) == (404, MISSING), key[:30]
