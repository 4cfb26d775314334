"""Text posts and the feed: order, pins, pagination and bad input."""

from datetime import datetime, timedelta, timezone

import pytest


async def _post(client, body: str) -> dict:
    response = await client.post("/api/posts", json={"body": body})
    assert response.status_code == 201, response.text
    return response.json()


async def test_colleagues_see_each_others_posts_newest_first(clients, users):
    ann, bob = await users.create(name="Ann"), await users.create(name="Bob")
    a, b = await clients.signed_in(ann), await clients.signed_in(bob)
    await _post(a, "first from Ann")
    await _post(b, "then Bob")
    feed = (await a.get("/api/feed")).json()
    assert [p["body"] for p in feed["items"]] == ["then Bob", "first from Ann"]
    assert feed["items"][0]["author"]["name"] == "Bob"
    assert feed["items"][0]["can_delete"] is False and feed["items"][1]["can_delete"] is True


async def test_pinned_posts_come_first_until_their_end(admin_client, member_client):
    old = await _post(admin_client, "company announcement")
    await _post(member_client, "newer chatter")
    until = (datetime.now(timezone.utc) + timedelta(days=1)).isoformat()
    pinned = await admin_client.put(f"/api/posts/{old['id']}/pin", json={"until": until})
    assert pinned.json()["pinned"] is True
    items = (await member_client.get("/api/feed")).json()["items"]
    assert [p["body"] for p in items] == ["company announcement", "newer chatter"]
    assert items[0]["pinned"] and not items[1]["pinned"]
    # Unpinned, it goes back to its place in time.
    await admin_client.delete(f"/api/posts/{old['id']}/pin")
    items = (await member_client.get("/api/feed")).json()["items"]
    assert [p["body"] for p in items] == ["newer chatter", "company announcement"]


async def test_an_expired_pin_no_longer_counts(admin_client, member_client):
    from server.posts.tables import Post

    post = await _post(admin_client, "last week's news")
    await _post(member_client, "today")
    await Post.update({Post.pinned_at: datetime.now(timezone.utc) - timedelta(days=2),
                       Post.pinned_until: datetime.now(timezone.utc) - timedelta(days=1)}).where(Post.id == post["id"])
    items = (await member_client.get("/api/feed")).json()["items"]
    assert [p["body"] for p in items] == ["today", "last week's news"]
    assert not any(p["pinned"] for p in items)


async def test_keyset_pages_cover_every_post_once(member_client):
    for i in range(7):
        await _post(member_client, f"post {i}")
    seen, cursor = [], None
    while True:
        page = (await member_client.get("/api/feed", params={"limit": 3, **({"cursor": cursor} if cursor else {})})).json()
        seen += [p["body"] for p in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"post {i}" for i in reversed(range(7))]


@pytest.mark.parametrize("cursor", ["garbage", "eyJhIjoxfQ.0000000000000000", "W10." + "a" * 16])
async def test_garbage_or_tampered_cursor_is_a_400(member_client, cursor):
    response = await member_client.get("/api/feed", params={"cursor": cursor})
    assert response.status_code == 400
    assert "not valid" in response.json()["detail"]


async def test_tampering_with_a_real_cursor_is_detected(member_client):
    for i in range(3):
        await _post(member_client, f"p{i}")
    cursor = (await member_client.get("/api/feed", params={"limit": 1})).json()["next_cursor"]
    payload, sig = cursor.split(".")
    forged = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + "." + sig
    assert (await member_client.get("/api/feed", params={"cursor": forged})).status_code == 400


@pytest.mark.parametrize("limit", [0, -1, 10**9])
async def test_bad_page_sizes_are_refused(member_client, limit):
    response = await member_client.get("/api/feed", params={"limit": limit})
    assert response.status_code == 400
    assert "limit" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "words"),
    [("", "Write something"), ("   \n ", "Write something"), ("x" * 5001, "at most 5,000"), ("a\x00b", "control characters")],
)
async def test_bad_post_bodies_get_a_sentence_and_write_nothing(member_client, body, words):
    response = await member_client.post("/api/posts", json={"body": body})
    assert response.status_code == 400
    assert words in response.json()["detail"]
    assert (await member_client.get("/api/feed")).json()["items"] == []


async def test_a_2mb_body_is_refused_clearly(member_client):
    response = await member_client.post("/api/posts", json={"body": "y" * 2_000_000})
    assert response.status_code == 400
    assert "at most 5,000 characters" in response.json()["detail"]


async def test_html_is_stored_as_plain_text(member_client):
    post = await _post(member_client, "<img src=x onerror=alert(1)> & <b>hi</b>")
    assert (await member_client.get(f"/api/posts/{post['id']}")).json()["body"] == "<img src=x onerror=alert(1)> & <b>hi</b>"


async def test_delete_by_author_or_moderator_only(clients, users):
    author, other, mod = await users.create(), await users.create(), await users.create("moderator")
    a, o, m = await clients.signed_in(author), await clients.signed_in(other), await clients.signed_in(mod)
    first, second = await _post(a, "mine"), await _post(a, "also mine")
    assert (await o.delete(f"/api/posts/{first['id']}")).status_code == 403
    assert (await a.delete(f"/api/posts/{first['id']}")).status_code == 204
    assert (await m.delete(f"/api/posts/{second['id']}")).status_code == 204
    assert (await a.get(f"/api/posts/{first['id']}")).status_code == 404


async def test_pinning_a_deleted_post_is_404_and_members_cannot_pin(admin_client, member_client):
    post = await _post(member_client, "pin me")
    assert (await member_client.put(f"/api/posts/{post['id']}/pin", json={})).status_code == 403
    await member_client.delete(f"/api/posts/{post['id']}")
    response = await admin_client.put(f"/api/posts/{post['id']}/pin", json={})
    assert response.status_code == 404
    assert "does not exist" in response.json()["detail"]


async def test_a_pin_end_in_the_past_is_refused(admin_client):
    post = await _post(admin_client, "x")
    past = (datetime.now(timezone.utc) - timedelta(hours=1)).isoformat()
    response = await admin_client.put(f"/api/posts/{post['id']}/pin", json={"until": past})
    assert response.status_code == 400
    assert "future" in response.json()["detail"]


async def test_people_directory_finds_by_name_department_and_expertise(member_client, users):
    await users.create(name="Zoe Zhang", department="Logistics", expertise=["forklifts"])
    await users.create(name="Carl Chen", department="Finance")
    async def names(q):
        return [p["name"] for p in (await member_client.get("/api/people", params={"q": q})).json()["items"]]
    assert await names("zoe") == ["Zoe Zhang"]
    assert await names("logist") == ["Zoe Zhang"]
    assert await names("FORKLIFT") == ["Zoe Zhang"]
    assert await names("100%_") == []
