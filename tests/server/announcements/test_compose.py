"""Composing announcements: who may, what is checked, and what publishing now does."""

from datetime import datetime, timedelta, timezone

from tests.server.announcements.conftest import announce, feed_bodies, later


async def test_a_member_cannot_announce(member_client, admin_client, sent):
    response = await member_client.post("/api/announcements", json={"body": "I am the boss now"})
    assert response.status_code == 403
    assert "moderator" in response.json()["detail"]
    assert sent.calls == []
    assert "I am the boss now" not in await feed_bodies(admin_client)


async def test_moderator_publishes_now_pinned_must_read_and_everyone_is_notified(clients, users, sent):
    mod = await users.create("moderator", "Mo Derator")
    staff = [await users.create(name=f"Staff {i}") for i in range(3)]
    gone = await users.create(name="Left us")
    from server.accounts.tables import User

    await User.update({User.disabled: True}).where(User.id == gone["id"])
    client = await clients.signed_in(mod)
    post = await announce(client, "Internal first: we open a new site\nDetails inside", pinned=True, must_read=True)
    assert post["status"] == "published" and post["pinned"] and post["must_read"] and post["announcement"]
    assert post["can_see_stats"] is True and post["acknowledged"] is False
    [call] = sent.calls
    # Every active person but the author; urgent because must-read (quiet hours do not hold it).
    assert call["user_ids"] == sorted(p["id"] for p in staff)
    assert call["kind"] == "must_read" and call["urgent"] is True and call["post_id"] == post["id"]
    assert call["title"] == "Must-read from Mo Derator"
    assert call["message"].render("de") == "Pflichtlektüre von Mo Derator"
    assert call["body"] == "Internal first: we open a new site"
    assert call["url"] == f"/#/post/{post['id']}"


async def test_a_plain_announcement_is_not_urgent(admin_client, users, sent):
    await users.create(name="Reader")
    post = await announce(admin_client, "Canteen closed on Friday")
    [call] = sent.calls
    assert call["kind"] == "announcement" and call["urgent"] is False and post["pinned"] is False


async def test_an_ordinary_post_notifies_nobody_through_announcements(member_client, sent):
    response = await member_client.post("/api/posts", json={"body": "lunch?"})
    assert response.status_code == 201
    assert sent.calls == []


async def test_bad_input_is_refused_in_words_and_nothing_is_made(admin_client, users, sent):
    await users.create(name="Someone", department="Sales")
    cases = [
        ({"body": ""}, "cannot be empty"),
        ({"body": "x" * 10_000}, "at most 5,000 characters"),
        ({"body": "hi", "publish_at": (datetime.now(timezone.utc) - timedelta(hours=1)).isoformat()}, "already passed"),
        ({"body": "hi", "publish_at": "2031-03-02T08:00:00"}, "time zone"),
        ({"body": "hi", "publish_at": later(days=400)}, "at most a year ahead"),
        ({"body": "hi", "pinned_until": later(days=1)}, "Only a pinned announcement"),
        ({"body": "hi", "pinned": True, "pinned_until": later(hours=1), "publish_at": later(hours=2)}, "after the announcement is published"),
        ({"body": "hi", "audience": {"departments": ["Sales"], "locations": ["Berlin"]}}, "not several"),
        ({"body": "hi", "audience": {}}, "Choose who should see"),
        ({"body": "hi", "audience": {"departments": ["  "]}}, "at least one"),
        ({"body": "hi", "audience": {"departments": ["Astronauts"]}}, "Nobody is in this audience"),
        ({"body": "hi", "audience": {"everyone": True, "teams": ["x"]}}, "teams"),
        ({"body": "hi", "must_read": "yes"}, "must_read"),
    ]
    for payload, words in cases:
        response = await admin_client.post("/api/announcements", json=payload)
        assert response.status_code == 400, (payload, response.text)
        assert words in response.json()["detail"], (payload, response.json())
    from server.posts.tables import Post

    assert await Post.count() == 0
    assert sent.calls == []


async def test_a_time_just_past_publishes_now(admin_client, users, sent):
    await users.create(name="Reader")
    post = await announce(admin_client, publish_at=(datetime.now(timezone.utc) - timedelta(seconds=20)).isoformat())
    assert post["status"] == "published" and post["publish_at"] is None
    assert len(sent.calls) == 1


async def test_audiences_lists_departments_and_locations_for_moderators(admin_client, member_client, users):
    await users.create(name="A", department="Sales", location="Berlin")
    await users.create(name="B", department="sales ", location="Hamburg")
    response = await admin_client.get("/api/announcements/audiences")
    assert response.status_code == 200
    data = response.json()
    assert {"name": "Sales", "people": 2} in data["departments"]
    assert [d["name"] for d in data["locations"]] == ["Berlin", "Hamburg"]
    assert (await member_client.get("/api/announcements/audiences")).status_code == 403
