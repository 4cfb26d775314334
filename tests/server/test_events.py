"""Domain events: in-transaction listeners commit with the event or roll it back; after-commit ones see committed data."""

from __future__ import annotations

import asyncio

import pytest

from server.lib import events
from server.posts import states
from server.posts.tables import Post


@pytest.fixture
def listening():
    """Listeners added for one test, removed after it."""
    added: list = []

    def add(listener, after_commit: bool = False):
        events.listen(events.POST_PUBLISHED, listener, after_commit=after_commit)
        added.append(listener)

    yield add
    for listener in added:
        events.unlisten(events.POST_PUBLISHED, listener)


async def _processing_post(users) -> int:
    author = await users.create("member", "Ana")
    rows = await Post.insert(Post(author=author["id"], body="hello", kind="text", status=states.PROCESSING)).returning(Post.id)
    return rows[0]["id"]


async def test_a_failing_listener_rolls_publishing_back_so_the_publisher_tries_again(users, listening):
    post_id = await _processing_post(users)
    calls = []

    async def broken(post_id: int) -> None:
        calls.append(post_id)
        if len(calls) == 1:
            raise RuntimeError("database hiccup")

    listening(broken)
    with pytest.raises(RuntimeError):
        await states.publish(post_id)
    assert (await Post.select(Post.status).where(Post.id == post_id).first())["status"] == states.PROCESSING
    # The job that published retries: now it goes through, and the listener ran in its transaction.
    assert await states.publish(post_id) is True
    assert calls == [post_id, post_id]


async def test_after_commit_listeners_see_the_committed_post_and_nothing_on_rollback(users, listening):
    post_id = await _processing_post(users)
    seen = asyncio.Queue()

    async def after(post_id: int) -> None:
        # A fresh read (on SQLite a reader connection): only committed data is visible here.
        row = await Post.select(Post.status).where(Post.id == post_id).first()
        await seen.put(row["status"])

    listening(after, after_commit=True)
    try:
        async with events.transaction(Post._meta.db):
            assert await states.publish(post_id)
            assert seen.empty()  # nested: the outer transaction has not committed yet
            raise LookupError("the request failed after publishing")
    except LookupError:
        pass
    await asyncio.sleep(0.05)
    assert seen.empty()
    assert (await Post.select(Post.status).where(Post.id == post_id).first())["status"] == states.PROCESSING

    async with events.transaction(Post._meta.db):
        assert await states.publish(post_id)
    assert await asyncio.wait_for(seen.get(), 5) == states.PUBLISHED


async def test_listen_refuses_an_unknown_event():
    with pytest.raises(ValueError):
        events.listen("post_publishd", lambda **_: None)
