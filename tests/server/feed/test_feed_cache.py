"""The per-process caches of sessions and feed pages: a change of content shows on the next request.

On SQLite the caches are on (the default), and each test checks both that a page really was
served from the cache and that a change committed since is seen, or, for the busy bookkeeping
writes (views, jobs, uploads), that the page is still served from the cache after them; on
PostgreSQL there is no cache and the same requests must give the same answers.
"""

from datetime import datetime, timedelta, timezone

import pytest

from server.accounts.sessions import COOKIE
from server.lib import caches


def _pages(engine):
    return caches.cache_for(engine, "feed-pages")


async def _feed(client) -> dict:
    response = await client.get("/api/feed")
    assert response.status_code == 200, response.text
    return response.json()


async def _served_twice(engine, client) -> dict:
    """The feed, asked twice with nothing committed between: the second answer is a cache hit."""
    first = await _feed(client)
    cache = _pages(engine)
    hits = cache.hits if cache else 0
    second = await _feed(client)
    assert second == first
    if cache is not None:
        assert cache.hits == hits + 1
    return second


async def test_a_new_post_shows_on_the_next_request(engine, clients, users):
    ann, bob = await clients.signed_in(await users.create()), await clients.signed_in(await users.create())
    await ann.post("/api/posts", json={"body": "first"})
    assert [p["body"] for p in (await _served_twice(engine, ann))["items"]] == ["first"]
    await bob.post("/api/posts", json={"body": "second"})
    assert [p["body"] for p in (await _feed(ann))["items"]] == ["second", "first"]


async def test_reactions_show_at_once_and_stay_with_who_reacted(engine, clients, users):
    ann, bob = await clients.signed_in(await users.create()), await clients.signed_in(await users.create())
    post = (await ann.post("/api/posts", json={"body": "hello"})).json()
    await _served_twice(engine, ann)
    await _served_twice(engine, bob)
    assert (await bob.put(f"/api/posts/{post['id']}/reactions/clap")).status_code == 200
    mine, theirs = (await _feed(bob))["items"][0], (await _feed(ann))["items"][0]
    assert mine["my_reactions"] == ["clap"] and mine["reactions"]["clap"] == 1
    # Ann's page counts Bob's clap but never shows it as her own.
    assert theirs["my_reactions"] == [] and theirs["reactions"]["clap"] == 1


async def test_pages_of_different_people_never_mix(engine, clients, users):
    boss = await clients.signed_in(await users.create("admin"))
    sales = await clients.signed_in(await users.create(department="Sales"))
    ops = await clients.signed_in(await users.create(department="Ops"))
    response = await boss.post(
        "/api/announcements", json={"body": "Sales only", "must_read": True, "audience": {"departments": ["Sales"]}}
    )
    assert response.status_code == 201, response.text
    for _ in range(2):  # the second round is served from the cache where there is one
        assert [p["body"] for p in (await _feed(sales))["items"]] == ["Sales only"]
        assert (await _feed(ops))["items"] == []
        boss_items = (await _feed(boss))["items"]
        assert boss_items[0]["can_see_stats"] is True and boss_items[0]["can_delete"] is True
    post_id = boss_items[0]["id"]
    assert (await sales.post(f"/api/announcements/{post_id}/ack")).status_code == 200
    assert (await _feed(sales))["items"][0]["acknowledged"] is True


async def test_sign_out_ends_the_session_at_once(engine, clients, users):
    client = await clients.signed_in(await users.create())
    token = client.cookies.get(COOKIE)
    await _served_twice(engine, client)
    assert (await client.delete("/api/session")).status_code == 204
    client.cookies.set(COOKIE, token, domain="hallway.test")  # the old cookie, replayed
    assert (await client.get("/api/feed")).status_code == 401


async def test_a_disabled_account_is_out_on_the_next_request(engine, clients, users):
    from server.accounts.tables import User

    person = await users.create()
    client = await clients.signed_in(person)
    await _served_twice(engine, client)
    await User.update({User.disabled: True}).where(User.id == person["id"])
    assert (await client.get("/api/feed")).status_code == 401


async def _still_served_after(engine, client, write) -> None:
    """A page cached before `write` is served again from the cache after it, unchanged.

    On SQLite the write must really have committed (the raw data_version moved): only the
    content counter stood still.
    """
    page = await _served_twice(engine, client)
    cache = _pages(engine)
    before = (cache.hits, cache.misses, engine.data_version()) if cache else None
    await write()
    assert await _feed(client) == page
    if cache is not None:
        hits, misses, raw = before
        assert engine.data_version() != raw
        assert (cache.hits, cache.misses) == (hits + 1, misses)


async def test_recording_views_keeps_the_feed_cached(engine, clients, users):
    ann, bob = await clients.signed_in(await users.create()), await clients.signed_in(await users.create())
    post = (await ann.post("/api/posts", json={"body": "seen by many"})).json()

    async def view():
        batch = {"items": [{"post_id": post["id"], "watched_seconds": 3.0, "duration": 10.0}]}
        assert (await bob.post("/api/views", json=batch)).status_code == 204

    await _still_served_after(engine, bob, view)
    await _still_served_after(engine, ann, view)  # the author's page too


async def test_the_job_queue_keeps_the_feed_cached(engine, clients, users):
    from server.jobs import queue

    client = await clients.signed_in(await users.create())
    await client.post("/api/posts", json={"body": "hello"})

    async def worker_turn():
        # What a worker does around every job: enqueue, claim, renew the lease, complete.
        await queue.enqueue("cache-test", {})
        job = await queue.claim(lease=30)
        assert job is not None
        assert await queue.renew(job, lease=30)
        await queue.complete(job)

    await _still_served_after(engine, client, worker_turn)


async def test_uploading_keeps_the_feed_cached(engine, clients, users):
    client = await clients.signed_in(await users.create())
    await client.post("/api/posts", json={"body": "hello"})
    tus = {"Tus-Resumable": "1.0.0"}

    async def upload():
        created = await client.post("/api/uploads", headers={**tus, "Upload-Length": "2000"})
        assert created.status_code == 201, created.text
        for offset in (0, 1000):
            response = await client.patch(
                created.headers["location"], content=b"x" * 1000,
                headers={**tus, "Content-Type": "application/offset+octet-stream", "Upload-Offset": str(offset)},
            )
            assert response.status_code == 204, response.text

    await _still_served_after(engine, client, upload)


async def test_a_comment_shows_on_the_next_request(engine, clients, users):
    ann, bob = await clients.signed_in(await users.create()), await clients.signed_in(await users.create())
    post = (await ann.post("/api/posts", json={"body": "hello"})).json()
    await _served_twice(engine, ann)
    assert (await bob.post(f"/api/posts/{post['id']}/comments", json={"body": "welcome"})).status_code == 201
    assert (await _feed(ann))["items"][0]["comment_count"] == 1


async def test_a_follow_shows_on_the_next_request(engine, clients, users):
    ann_user, bob_user = await users.create(), await users.create()
    ann, bob = await clients.signed_in(ann_user), await clients.signed_in(bob_user)
    await bob.post("/api/posts", json={"body": "from bob"})

    async def following() -> list[str]:
        response = await ann.get("/api/feed", params={"scope": "following"})
        assert response.status_code == 200, response.text
        return [p["body"] for p in response.json()["items"]]

    assert await following() == [] and await following() == []  # the second one cached on SQLite
    assert (await ann.put(f"/api/people/{bob_user['id']}/follow")).status_code == 200
    assert await following() == ["from bob"]


async def test_a_new_name_shows_on_the_next_request(engine, clients, users):
    ann, bob = await clients.signed_in(await users.create()), await clients.signed_in(await users.create())
    await ann.post("/api/posts", json={"body": "hello"})
    await _served_twice(engine, bob)
    assert (await ann.patch("/api/me", json={"name": "Ann Renamed"})).status_code == 200
    assert (await _feed(bob))["items"][0]["author"]["name"] == "Ann Renamed"


async def test_a_cached_page_ends_with_its_pin(engine, admin_client, monkeypatch):
    post = (await admin_client.post("/api/posts", json={"body": "notice"})).json()
    until = datetime.now(timezone.utc) + timedelta(hours=1)
    assert (await admin_client.put(f"/api/posts/{post['id']}/pin", json={"until": until.isoformat()})).status_code == 200
    await _served_twice(engine, admin_client)
    cache = _pages(engine)
    if cache is None:
        # By design, not a missing component (so no need()): the requests above ran on it all the same.
        pytest.skip("PostgreSQL has no feed page cache, so there is no cached page for the pin's end to expire")
    misses = cache.misses
    monkeypatch.setattr(caches, "clock", lambda: until.timestamp() + 1)
    await _feed(admin_client)
    assert cache.misses == misses + 1


class _Engine:
    """A stand-in engine whose content counter the test moves by hand."""

    def __init__(self) -> None:
        self.counter = 1

    def content_version(self) -> int:
        return self.counter


def test_a_value_made_across_a_commit_is_not_kept():
    engine = _Engine()
    cache = caches.VersionedCache(engine, max_bytes=10_000)
    version = cache.version()
    engine.counter += 1  # someone commits while the value is being made
    cache.put("page", b"old", version, caches.clock() + 60)
    assert cache.get("page") is None
    cache.put("page", b"new", cache.version(), caches.clock() + 60)
    assert cache.get("page") == b"new"
    # A request that began before the next commit still sees its own moment; later ones do not.
    engine.counter += 1
    assert cache.get("page") is None



def test_the_cache_is_bounded_in_bytes_and_drops_the_least_recently_used():
    cache = caches.VersionedCache(_Engine(), max_bytes=3 * caches.size_of(b"x" * 1000) + 3 * caches.size_of("page-0"))
    now = cache.version()
    for n in range(3):
        cache.put(f"page-{n}", b"x" * 1000, now, caches.clock() + 60)
    assert cache.get("page-0") is not None  # read lately: kept over page-1
    cache.put("page-3", b"x" * 1000, now, caches.clock() + 60)
    assert cache.get("page-1") is None and cache.get("page-0") is not None and cache.get("page-3") is not None
    assert cache.bytes <= cache.max_bytes
    cache.put("huge", b"x" * cache.max_bytes, now, caches.clock() + 60)  # larger than it all: not kept
    assert cache.get("huge") is None and len(cache) == 3


async def test_one_member_asking_for_many_distinct_pages_stays_within_the_budget(engine, clients, users, monkeypatch):
    """The attack: every filter, author and limit is a page of its own; the cache keeps at most HALLWAY_CACHE_MB."""
    if not hasattr(engine, "content_version"):
        pytest.skip("PostgreSQL has no feed page cache to bound")
    monkeypatch.setenv("HALLWAY_CACHE_MB", "1")
    from server.settings import reset_settings

    reset_settings()
    author = await clients.signed_in(await users.create())
    for n in range(20):
        assert (await author.post("/api/posts", json={"body": f"{n} " + "long words " * 450})).status_code == 201
    reader = await clients.signed_in(await users.create())
    engine_caches = caches._caches.pop(engine, None)  # a cache made with this test's budget
    try:
        sizes = 0
        for limit in range(1, 101):
            for scope in ("company", "following"):
                response = await reader.get(f"/api/feed?limit={limit}&scope={scope}")
                assert response.status_code == 200
                sizes += len(response.content)
        cache = _pages(engine)
        assert sizes > 5 * 1024 * 1024  # five times the budget was asked for
        assert 0 < cache.bytes <= 1024 * 1024
        assert sum(len(entry[0]) for entry in cache._entries.values()) <= 1024 * 1024
    finally:
        caches._caches.pop(engine, None)
        if engine_caches is not None:
            caches._caches[engine] = engine_caches
        monkeypatch.delenv("HALLWAY_CACHE_MB")
        reset_settings()
