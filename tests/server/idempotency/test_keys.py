"""Idempotency-Key on post and comment creation: a retry of the same request never makes a second one."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta, timezone

from tests.server.posts.helpers import upload

REPLAYED = "Idempotent-Replayed"


def _key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


async def _age(hours: float = 0, seconds: float = 0) -> None:
    """Make every stored record look this much older (as if the clock moved on)."""
    from server.idempotency.tables import IdempotencyKey

    for row in await IdempotencyKey.select(IdempotencyKey.id, IdempotencyKey.created_at):
        await IdempotencyKey.update({IdempotencyKey.created_at: row["created_at"] - timedelta(hours=hours, seconds=seconds)}).where(
            IdempotencyKey.id == row["id"]
        )


async def test_a_retried_post_is_made_once_and_answered_the_same(member_client):
    """The phone lost the first answer and sent the post again: one post, the same answer twice."""
    from server.posts.tables import Post

    key = _key()
    first = await member_client.post("/api/posts", json={"body": "Lunch at noon"}, headers=key)
    again = await member_client.post("/api/posts", json={"body": "Lunch at noon"}, headers=key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json() and again.content == first.content
    assert REPLAYED not in first.headers and again.headers[REPLAYED] == "true"
    assert await Post.count() == 1
    # Without a key, as before, each request is a post of its own.
    for _ in range(2):
        assert (await member_client.post("/api/posts", json={"body": "Lunch at noon"})).status_code == 201
    assert await Post.count() == 3


async def test_a_retried_media_post_does_not_say_its_upload_is_gone(member_client):
    """The first request took the upload; the retry gets that post, not "This upload does not exist"."""
    import io

    from PIL import Image

    from server.posts.tables import Post

    png = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 20, 200)).save(png, "PNG")
    key, payload = _key(), {"body": "team photo", "upload_ids": [await upload(member_client, png.getvalue(), "team.png")]}
    first = await member_client.post("/api/posts", json=payload, headers=key)
    again = await member_client.post("/api/posts", json=payload, headers=key)
    assert (first.status_code, again.status_code) == (201, 201), again.text
    assert again.json()["id"] == first.json()["id"] and again.json()["status"] == "processing"
    assert await Post.count() == 1


async def test_the_same_key_with_another_request_is_422(member_client):
    key = _key()
    assert (await member_client.post("/api/posts", json={"body": "Lunch at noon"}, headers=key)).status_code == 201
    other = await member_client.post("/api/posts", json={"body": "Lunch at one"}, headers=key)
    assert (other.status_code, other.json()["detail"]) == (
        422, "This Idempotency-Key was already used for a different request. Send a new key for a new request.")
    post_id = (await member_client.get("/api/feed")).json()["items"][0]["id"]
    comment = await member_client.post(f"/api/posts/{post_id}/comments", json={"body": "Lunch at noon"}, headers=key)
    assert comment.status_code == 422  # another route is another request


async def test_a_key_belongs_to_its_sender(clients, users):
    from server.posts.tables import Post

    key = _key()
    for name in ("Ann", "Bob"):
        client = await clients.signed_in(await users.create(name=name))
        response = await client.post("/api/posts", json={"body": "Lunch at noon"}, headers=key)
        assert response.status_code == 201 and REPLAYED not in response.headers
    assert await Post.count() == 2


async def test_a_refused_request_leaves_the_key_for_the_corrected_one(member_client):
    """Nothing was made, so nothing is replayed: the person fixes the text and sends with the same key."""
    key = _key()
    refused = await member_client.post("/api/posts", json={"body": "   "}, headers=key)
    assert (refused.status_code, refused.json()["detail"]) == (400, "Write something before posting.")
    fixed = await member_client.post("/api/posts", json={"body": "Lunch at noon"}, headers=key)
    assert fixed.status_code == 201 and REPLAYED not in fixed.headers


async def test_two_copies_at_once_make_one_post(member_client):
    """A double tap with one key: one post; the other copy is the same answer or asked to wait (409)."""
    from server.posts.tables import Post

    key = _key()
    responses = await asyncio.gather(*(
        member_client.post("/api/posts", json={"body": "Lunch at noon"}, headers=key) for _ in range(3)
    ))
    assert {r.status_code for r in responses} <= {201, 409}
    for waiting in (r for r in responses if r.status_code == 409):
        assert waiting.headers["retry-after"] == "1"
        assert waiting.json()["detail"] == (
            "A request with this Idempotency-Key is still being processed; try again in a moment.")
    assert await Post.count() == 1


async def test_keys_are_kept_24_hours_then_swept(member_client):
    from server.idempotency.tables import IdempotencyKey
    from server.posts.tables import Post
    from server.worker import sweep

    key = _key()
    await member_client.post("/api/posts", json={"body": "Lunch at noon"}, headers=key)
    await _age(hours=23)
    assert (await member_client.post("/api/posts", json={"body": "Lunch at noon"}, headers=key)).headers[REPLAYED] == "true"
    await _age(hours=2)
    # A day later the key means nothing any more: this is a new post (its old record is gone as it is written).
    again = await member_client.post("/api/posts", json={"body": "Lunch at noon"}, headers=key)
    assert again.status_code == 201 and REPLAYED not in again.headers
    assert await Post.count() == 2
    # The worker's sweep removes what nobody sends again.
    await _age(hours=25)
    await sweep()
    assert await IdempotencyKey.count() == 0


async def test_a_crash_after_the_post_was_made_answers_the_retry_with_that_post(member_client, monkeypatch):
    """The web process committed the post and died before answering: the retry gets the post, not a second one."""
    from server.posts import services
    from server.posts.tables import Post

    loaded = services._load

    async def crash(post_id):
        raise RuntimeError("killed before answering")

    key = _key()
    monkeypatch.setattr(services, "_load", crash)
    lost = await member_client.post("/api/posts", json={"body": "Lunch at noon"}, headers=key)
    assert lost.status_code == 500
    monkeypatch.setattr(services, "_load", loaded)
    # While the first request may still be running, a retry is asked to wait.
    assert (await member_client.post("/api/posts", json={"body": "Lunch at noon"}, headers=key)).status_code == 409
    await _age(seconds=120)
    retried = await member_client.post("/api/posts", json={"body": "Lunch at noon"}, headers=key)
    assert retried.status_code == 201 and retried.headers[REPLAYED] == "true"
    assert await Post.count() == 1 and retried.json()["body"] == "Lunch at noon"


async def test_a_request_that_died_before_making_anything_runs_again(member_client):
    from server.idempotency.tables import IdempotencyKey
    from server.posts.tables import Post

    key = _key()
    me = (await member_client.get("/api/me")).json()["id"]
    from server.idempotency.keys import fingerprint
    from server.posts.schemas import NewPost

    # A claim with no answer and nothing made, as a killed request leaves it.
    await IdempotencyKey.insert(IdempotencyKey(
        person=me, key=key["Idempotency-Key"], fingerprint=fingerprint("POST", "/api/posts", NewPost(body="Lunch at noon")),
        created_at=datetime.now(timezone.utc) - timedelta(minutes=5),
    ))
    response = await member_client.post("/api/posts", json={"body": "Lunch at noon"}, headers=key)
    assert response.status_code == 201 and REPLAYED not in response.headers
    assert await Post.count() == 1


async def test_a_retried_comment_is_made_once(member_client):
    from server.social.tables import Comment

    post_id = (await member_client.post("/api/posts", json={"body": "Lunch?"})).json()["id"]
    key = _key()
    first = await member_client.post(f"/api/posts/{post_id}/comments", json={"body": "Yes!"}, headers=key)
    again = await member_client.post(f"/api/posts/{post_id}/comments", json={"body": "Yes!"}, headers=key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json() and again.headers[REPLAYED] == "true"
    assert await Comment.count() == 1


async def test_a_key_must_be_visible_ascii(member_client):
    from server.posts.tables import Post

    for bad in (b"", "ключ".encode(), b"x" * 256, b"two words"):
        response = await member_client.post("/api/posts", json={"body": "Lunch"}, headers={"Idempotency-Key": bad})
        assert response.status_code == 400, (bad, response.text)
    assert await Post.count() == 0


async def test_a_first_request_that_outlives_its_claim_changes_nothing_of_the_retry_that_took_over(member_client, monkeypatch):
    """A first request stuck past the claim's minute, a retry took over: the retry's answer is the one kept."""
    from server.posts import services

    real, release, stuck = services.create_post, asyncio.Event(), asyncio.Event()
    calls = 0

    async def first_one_hangs(*args, **kwargs):
        nonlocal calls
        calls += 1
        if calls == 1:
            stuck.set()
            await release.wait()
        return await real(*args, **kwargs)

    monkeypatch.setattr(services, "create_post", first_one_hangs)
    key = _key()
    first = asyncio.create_task(member_client.post("/api/posts", json={"body": "Lunch at noon"}, headers=key))
    await stuck.wait()
    await _age(seconds=120)
    took_over = await member_client.post("/api/posts", json={"body": "Lunch at noon"}, headers=key)
    assert took_over.status_code == 201 and REPLAYED not in took_over.headers
    release.set()
    assert (await first).status_code == 201
    again = await member_client.post("/api/posts", json={"body": "Lunch at noon"}, headers=key)
    assert again.headers[REPLAYED] == "true" and again.json()["id"] == took_over.json()["id"]
