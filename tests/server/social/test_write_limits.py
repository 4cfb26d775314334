"""Per-person limits on posts, comments and @mentions: past them a 429 in words with Retry-After, and nothing written."""

from __future__ import annotations

import uuid

import pytest

from tests.support import need, redis_up


@pytest.fixture
def limits(monkeypatch):
    """Set this test's hourly limits (HALLWAY_*_PER_HOUR); the settings are read again after."""
    from server.settings import reset_settings

    def set_limits(**values: int) -> None:
        for name, value in values.items():
            monkeypatch.setenv(f"HALLWAY_{name.upper()}_PER_HOUR", str(value))
        reset_settings()

    yield set_limits
    monkeypatch.undo()
    reset_settings()


def _refused(response, detail_start: str) -> None:
    assert response.status_code == 429, response.text
    assert response.json()["detail"].startswith(detail_start), response.json()["detail"]
    assert 0 < int(response.headers["retry-after"]) <= 3600


async def test_a_flood_of_posts_is_refused_past_the_hourly_limit(clients, users, limits):
    from server.posts.tables import Post

    limits(posts=3)
    flooder = await clients.signed_in(await users.create(name="Flooder"))
    for n in range(3):
        assert (await flooder.post("/api/posts", json={"body": f"post {n}"})).status_code == 201
    refused = await flooder.post("/api/posts", json={"body": "post 4"})
    _refused(refused, "You can write at most 3 posts an hour. Please wait 60 minutes and try again.")
    assert await Post.count() == 3
    # Only the flooder waits; a retry of a post already made is still answered (it makes nothing).
    other = await clients.signed_in(await users.create(name="Other"))
    assert (await other.post("/api/posts", json={"body": "hello"})).status_code == 201


async def test_a_replayed_post_costs_nothing_from_the_budget(member_client, limits):
    limits(posts=1)
    key = {"Idempotency-Key": str(uuid.uuid4())}
    assert (await member_client.post("/api/posts", json={"body": "once"}, headers=key)).status_code == 201
    replay = await member_client.post("/api/posts", json={"body": "once"}, headers=key)
    assert (replay.status_code, replay.headers["idempotent-replayed"]) == (201, "true")
    _refused(await member_client.post("/api/posts", json={"body": "twice"}), "You can write at most 1 post an hour.")


async def test_a_flood_of_comments_is_refused_past_the_hourly_limit(member_client, limits):
    from server.social.tables import Comment

    limits(comments=2)
    post_id = (await member_client.post("/api/posts", json={"body": "Lunch?"})).json()["id"]
    for n in range(2):
        assert (await member_client.post(f"/api/posts/{post_id}/comments", json={"body": f"yes {n}"})).status_code == 201
    refused = await member_client.post(f"/api/posts/{post_id}/comments", json={"body": "yes 3"})
    _refused(refused, "You can write at most 2 comments an hour.")
    assert await Comment.count() == 2


async def test_mentions_past_the_hourly_limit_are_refused_and_nobody_is_pinged(clients, users, limits, notified):
    from server.posts.tables import Post
    from server.social.tables import Comment, Mention

    limits(mentions=3)
    author = await clients.signed_in(await users.create(name="Author"))
    named = [await users.create(name=name) for name in ("Ann Able", "Bob Baker", "Cy Cole", "Di Dunn")]
    tokens = [f"@[{p['name']}](user:{p['id']})" for p in named]
    made = await author.post("/api/posts", json={"body": f"Thanks {tokens[0]} and {tokens[1]}"})
    assert made.status_code == 201
    assert len(notified.of("mention")) == 1
    # Two more people would make four: the comment and the post are refused whole.
    refused = await author.post(f"/api/posts/{made.json()['id']}/comments", json={"body": f"{tokens[2]} {tokens[3]}"})
    _refused(refused, "You can mention at most 3 colleagues an hour.")
    refused = await author.post("/api/posts", json={"body": f"And {tokens[2]} {tokens[3]}"})
    _refused(refused, "You can mention at most 3 colleagues an hour.")
    assert (await Post.count(), await Comment.count(), await Mention.count()) == (1, 0, 2)
    assert len(notified.of("mention")) == 1
    # More people than the whole budget can never go through: that is said plainly, without a wait.
    limits(mentions=1)
    too_many = await author.post("/api/posts", json={"body": f"{tokens[2]} {tokens[3]}"})
    assert (too_many.status_code, too_many.json()["detail"]) == (400, "You can mention at most 1 colleague an hour.")
    limits(mentions=3)
    # One more person is within the budget; text without mentions costs nothing from it.
    comment = await author.post(f"/api/posts/{made.json()['id']}/comments", json={"body": tokens[2]})
    assert comment.status_code == 201
    assert (await author.post("/api/posts", json={"body": "no names here"})).status_code == 201
    # Editing the comment to name yet another colleague is the same ping: refused, the comment unchanged.
    edited = await author.patch(f"/api/comments/{comment.json()['id']}", json={"body": f"{tokens[2]} {tokens[3]}"})
    _refused(edited, "You can mention at most 3 colleagues an hour.")
    assert (await Comment.select(Comment.body).first())["body"] == tokens[2]
    assert len(notified.of("mention")) == 2


async def test_a_media_post_past_the_mention_limit_keeps_its_upload(member_client, users, limits):
    """Refused before anything is kept: the upload stays usable for the post without the mentions."""
    import io

    from PIL import Image

    from server.posts.tables import Post
    from tests.server.posts.helpers import upload

    limits(mentions=2)
    named = [await users.create(name=name) for name in ("Ann Able", "Bob Baker")]
    earlier = await member_client.post("/api/posts", json={"body": f"Hi @[Ann Able](user:{named[0]['id']})"})
    assert earlier.status_code == 201
    png = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 20, 200)).save(png, "PNG")
    upload_id = await upload(member_client, png.getvalue(), "team.png")
    body = " ".join(f"@[{p['name']}](user:{p['id']})" for p in named)
    refused = await member_client.post("/api/posts", json={"body": body, "upload_ids": [upload_id]})
    _refused(refused, "You can mention at most 2 colleagues an hour.")
    assert await Post.count() == 1
    posted = await member_client.post("/api/posts", json={"body": "the team", "upload_ids": [upload_id]})
    assert posted.status_code == 201, posted.text



async def test_the_budgets_are_shared_through_redis():
    """Several web processes: a budget spent in one is spent in all."""
    need(redis_up(), "Redis at 127.0.0.1:6379")
    from server.lib.budgets import RedisStore

    key = f"test:{uuid.uuid4().hex}"
    one, two = RedisStore("redis://127.0.0.1:6379/0"), RedisStore("redis://127.0.0.1:6379/0")
    assert await one.take(key, 2, 3, 60) == 0
    assert 0 < await two.take(key, 2, 3, 60) <= 60  # 2 + 2 > 3: refused, nothing taken
    assert await two.take(key, 1, 3, 60) == 0
    assert 0 < await one.take(key, 1, 3, 60) <= 60
