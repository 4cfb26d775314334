"""The web process killed (SIGKILL) mid-publish and mid-fan-out: after a restart every post and reminder is whole.

Six authors post at once, again and again, each post with a #tag and an @mention of a colleague
who follows them all; `hallway serve` is killed in the middle of it and started again. A text
post is written and published in one transaction together with everything publishing sets off
(server/posts/services.py create_post, server/wiring.py): its tags, its mentions and the
mentioned person's notification, the followers' `push-fanout` job. What people see after the
restart: every post that exists is published and complete — none stuck in `processing` (nothing
would ever publish it), none published without its tag, its mention or its followers being told.

The one fan-out the web process makes itself is a must-read reminder (everyone in the audience
who has not confirmed, thousands at once, in one transaction with its once-an-hour claim). Killed
in the middle, it is all or nothing: the admin sees the request fail and reminds again, and each
colleague gets one reminder — not none, not two.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3

import httpx
import pytest

from tests.faults.support import Processes, free_port, until

pytestmark = pytest.mark.faults

AUTHORS = 6
# Posts made before the kill: enough that several are in flight when it lands.
BEFORE_KILL = 24


async def _healthy(url: str, procs: Processes, proc) -> None:
    async def answers():
        if proc.poll() is not None:
            raise AssertionError(f"hallway serve exited:\n{procs.logs()}")
        try:
            async with httpx.AsyncClient(timeout=2) as http:
                return (await http.get(f"{url}/api/health")).status_code == 200
        except httpx.HTTPError:
            return False

    await until(answers, 60, f"{url} to answer", every=0.2)


async def _signed_in(url: str, user: dict) -> httpx.AsyncClient:
    http = httpx.AsyncClient(base_url=url, timeout=30)
    (await http.get("/api/health")).raise_for_status()  # hands out the csrftoken cookie
    http.headers["x-csrftoken"] = http.cookies.get("csrftoken", "")
    response = await http.post("/api/session", json={"email": user["email"], "password": user["password"]})
    assert response.status_code == 200, response.text
    http.headers["x-csrftoken"] = http.cookies.get("csrftoken", "")
    return http


async def test_posts_being_published_when_the_web_process_is_killed_are_whole_or_absent(
    engine, database_url, users, tmp_path,
):
    from server.jobs.tables import Job
    from server.notifications.tables import Notification
    from server.posts.tables import Post
    from server.social.tables import Follow, Mention, PostTag

    reader = await users.create("member", "Rui Reader")
    authors = [await users.create("member", f"Author {i}") for i in range(AUTHORS)]
    await Follow.insert(*[Follow(follower=reader["id"], followee=a["id"]) for a in authors])
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    procs = Processes(tmp_path, {
        **os.environ, "HALLWAY_DATA": str(tmp_path / "data"), "DATABASE_URL": database_url,
        "HALLWAY_LOG_LEVEL": "WARNING",
        # This test posts more in a few seconds than a person may in an hour.
        "HALLWAY_POSTS_PER_HOUR": "100000", "HALLWAY_MENTIONS_PER_HOUR": "100000",
    })
    clients: list[httpx.AsyncClient] = []
    created: list[int] = []
    failed = True
    try:
        web = procs.start("web-1", "serve", "--host", "127.0.0.1", "--port", str(port))
        await _healthy(url, procs, web)
        clients = [await _signed_in(url, author) for author in authors]

        async def keep_posting(i: int, http: httpx.AsyncClient) -> None:
            for n in range(10_000):
                body = f"Update {n} from the #lab{i}x{n} team, for @[Rui Reader](user:{reader['id']})"
                try:
                    response = await http.post("/api/posts", json={"body": body})
                except httpx.HTTPError:
                    return  # the server is gone: this post may or may not exist
                assert response.status_code == 201, response.text
                created.append(response.json()["id"])

        posting = [asyncio.ensure_future(keep_posting(i, http)) for i, http in enumerate(clients)]
        await until(lambda: asyncio.sleep(0, len(created) >= BEFORE_KILL), 60, f"{BEFORE_KILL} posts")
        procs.kill(web)
        await asyncio.gather(*posting)

        web = procs.start("web-2", "serve", "--host", "127.0.0.1", "--port", str(port))
        await _healthy(url, procs, web)

        posts = await Post.select(Post.id, Post.status, Post.author).order_by(Post.id)
        assert set(created) <= {p["id"] for p in posts}, "a post the author was shown is gone"
        assert {p["status"] for p in posts} == {"published"}, [p for p in posts if p["status"] != "published"]
        ids = [p["id"] for p in posts]
        tagged = {r["post"] for r in await PostTag.select(PostTag.post).where(PostTag.post.is_in(ids))}
        mentioned = {r["post"] for r in await Mention.select(Mention.post).where(
            Mention.post.is_in(ids) & (Mention.person == reader["id"]))}
        told = {r["post"] for r in await Notification.select(Notification.post).where(
            Notification.post.is_in(ids) & (Notification.user == reader["id"]) & (Notification.kind == "mention"))}
        fanouts = {r["payload"]["post_id"] for r in await Job.select(Job.payload).where(
            Job.kind == "push-fanout").output(load_json=True)}
        assert (tagged, mentioned, told, fanouts) == (set(ids),) * 4

        # And the restarted server shows each of them to the colleague who follows their authors.
        reading = await _signed_in(url, reader)
        clients.append(reading)
        for post_id in ids:
            response = await reading.get(f"/api/posts/{post_id}")
            assert (response.status_code, response.json()["status"]) == (200, "published")
        failed = False
    finally:
        for http in clients:
            await http.aclose()
        procs.stop()
        if failed:
            print(procs.logs())


AUDIENCE = 4000


async def _writing(database_url: str) -> bool:
    """Whether some connection holds a transaction that has written, uncommitted (the reminder in flight)."""
    if database_url.startswith("sqlite:///"):
        conn = sqlite3.connect(database_url.removeprefix("sqlite:///"), timeout=0, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True  # the write lock is held
        finally:
            conn.close()
    import asyncpg

    conn = await asyncpg.connect(database_url)
    try:
        return bool(await conn.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND backend_xid IS NOT NULL "
            "AND pid <> pg_backend_pid()"
        ))
    finally:
        await conn.close()


async def test_a_reminder_cut_short_by_a_killed_web_process_reaches_everyone_once(engine, database_url, users, tmp_path):
    from server.accounts.tables import User
    from server.announcements.tables import Announcement
    from server.notifications.tables import Notification

    admin = await users.create("admin", "Comms Team")
    for start in range(0, AUDIENCE, 500):
        await User.insert(*[
            User(email=f"staff{i}@example.com", name=f"Colleague {i}", password_hash="-", role="member")
            for i in range(start, min(AUDIENCE, start + 500))
        ])
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    procs = Processes(tmp_path, {
        **os.environ, "HALLWAY_DATA": str(tmp_path / "data"), "DATABASE_URL": database_url, "HALLWAY_LOG_LEVEL": "WARNING",
    })
    clients: list[httpx.AsyncClient] = []
    failed = True
    try:
        web = procs.start("web-1", "serve", "--host", "127.0.0.1", "--port", str(port))
        await _healthy(url, procs, web)
        comms = await _signed_in(url, admin)
        clients.append(comms)
        created = await comms.post("/api/announcements", json={"body": "New travel policy: please confirm", "must_read": True})
        assert created.status_code == 201, created.text
        post_id = created.json()["id"]

        reminding = asyncio.ensure_future(comms.post(f"/api/announcements/{post_id}/remind"))
        await until(lambda: _writing(database_url), 60, "the reminder's transaction to be under way", every=0.005)
        procs.kill(web)
        first = await asyncio.gather(reminding, return_exceptions=True)
        assert isinstance(first[0], httpx.HTTPError), f"the request ended before the kill: {first[0]!r}"

        reminders = Notification.count().where((Notification.post == post_id) & (Notification.kind == "reminder"))
        claimed = await Announcement.select(Announcement.reminded_at).where(Announcement.post == post_id).first()
        assert (claimed["reminded_at"], await reminders) == (None, 0), "a half-sent reminder survived the kill"

        web = procs.start("web-2", "serve", "--host", "127.0.0.1", "--port", str(port))
        await _healthy(url, procs, web)
        again = await comms.post(f"/api/announcements/{post_id}/remind")  # the admin tries again
        assert again.status_code == 200, again.text
        assert again.json()["reminded"] == AUDIENCE
        per_person = await Notification.select(Notification.user).where(
            (Notification.post == post_id) & (Notification.kind == "reminder"))
        assert len(per_person) == len({r["user"] for r in per_person}) == AUDIENCE
        failed = False
    finally:
        for http in clients:
            await http.aclose()
        procs.stop()
        if failed:
            print(procs.logs())
