"""From publishing to a decrypted push: the followers' job, delivery jobs, gone and busy push services, quiet hours."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone

from server.jobs.tables import Job
from server.notifications import services as notifications
from server.notifications.tables import Notification
from server.notifications import delivery
from server.push import delivery as push_delivery
from server.social import jobs as social_jobs
from server.push.sender import MAX_PLAINTEXT
from server.push.tables import PushSubscription
from server.worker import run_one
from tests.support_push import LocalPushService, make_subscription


async def drain() -> int:
    """Run every job that is due now, as the worker would."""
    ran = 0
    while await run_one():
        ran += 1
    return ran


async def with_device(clients, user: dict, service: LocalPushService, sid: str, **prefs):
    """Sign in, subscribe a browser at `service` and set preferences (quiet hours off unless given)."""
    client = await clients.signed_in(user)
    response = await client.post("/api/push/subscriptions", json=make_subscription(service, sid))
    assert response.status_code == 201, response.text
    response = await client.patch("/api/notifications/preferences", json={"quiet_hours": False, **prefs})
    assert response.status_code == 200, response.text
    return client


async def queued(kind: str) -> list[dict]:
    rows = await Job.select(Job.payload, Job.run_at, Job.status).where((Job.kind == kind) & (Job.status == "queued"))
    return [{**r, "payload": json.loads(r["payload"]) if isinstance(r["payload"], str) else r["payload"]} for r in rows]


async def test_a_followed_colleagues_post_arrives_as_a_decryptable_push(users, clients, push_service, allow_loopback, follows):
    author = await users.create("member", "Ana Lopez")
    reader = await users.create("member", "Ben Reader")
    stranger = await users.create("member", "Cy Stranger")
    await follows(reader, author)
    await follows(author, author)  # nobody is notified of their own post (a row the Follow button refuses)
    author_client = await with_device(clients, author, push_service, "author")
    reader_client = await with_device(clients, reader, push_service, "reader")
    await with_device(clients, stranger, push_service, "stranger")

    response = await author_client.post("/api/posts", json={"body": "\nOur new lab tour\nwith the whole team"})
    assert response.status_code == 201
    post_id = response.json()["id"]
    # Publishing only queued a job: nothing was sent inside the request.
    assert push_service.messages == []
    assert [j["payload"]["post_id"] for j in await queued("push-fanout")] == [post_id]

    await drain()
    assert push_service.errors == []
    (message,) = push_service.messages
    assert message.subscription_id == "reader"
    assert json.loads(message.plaintext) == {
        "title": "Ana Lopez posted", "body": "Our new lab tour", "url": f"/#/post/{post_id}",
        "icon": "/icons/icon-192.png", "tag": f"post-{post_id}",
    }
    assert (message.urgency, message.topic) == ("normal", f"post-{post_id}")
    assert 24 * 3600 - 60 <= message.ttl <= 24 * 3600
    page = (await reader_client.get("/api/notifications")).json()
    assert page["unread"] == 1
    assert page["items"][0]["title"] == "Ana Lopez posted"
    stamped = await PushSubscription.select(PushSubscription.last_success_at).where(
        PushSubscription.user == reader["id"]).first()
    assert stamped["last_success_at"] is not None

    # The fan-out again (a retried job): nobody is told twice.
    await social_jobs.notify_followers({"post_id": post_id})
    await drain()
    assert len(push_service.messages) == 1


async def test_announcements_are_left_to_their_audience(users, clients, push_service, allow_loopback, follows):
    from server.posts.tables import Post

    author = await users.create("admin", "Comms Team")
    reader = await users.create("member", "Ben Reader")
    await follows(reader, author)
    await with_device(clients, reader, push_service, "reader")
    rows = await Post.insert(
        Post(author=author["id"], body="Town hall", status="published", audience=json.dumps({"department": ["Sales"]})),
        Post(author=author["id"], body="Read this", status="published", must_read=True),
    ).returning(Post.id)
    for row in rows:
        await social_jobs.notify_followers({"post_id": row["id"]})
    assert await Notification.count() == 0


async def test_a_gone_subscription_is_deleted_and_the_list_keeps_the_notification(users, clients, push_service, allow_loopback):
    reader = await users.create("member", "Ben Reader")
    client = await with_device(clients, reader, push_service, "old-phone")
    await with_device(clients, reader, push_service, "new-phone")
    push_service.answer("old-phone", 410)
    await notifications.notify([reader["id"]], "reminder", None, "Please confirm the safety briefing")
    await drain()
    remaining = await PushSubscription.select(PushSubscription.endpoint).where(PushSubscription.user == reader["id"])
    assert [r["endpoint"].rsplit("/", 1)[1] for r in remaining] == ["new-phone"]
    assert [m.subscription_id for m in push_service.messages] == ["new-phone"]
    assert json.loads(push_service.messages[0].plaintext)["url"] == "/#/notifications"
    assert (await client.get("/api/notifications")).json()["unread"] == 1


async def test_a_busy_push_service_is_retried_after_its_retry_after(users, clients, push_service, allow_loopback):
    reader = await users.create("member", "Ben Reader")
    await with_device(clients, reader, push_service, "busy")
    push_service.answer("busy", 503, {"Retry-After": "120"})
    before = datetime.now(timezone.utc)
    await notifications.notify([reader["id"]], "must_read", None, "New travel policy", urgent=True)
    await drain()
    assert push_service.messages == []
    (retry,) = await queued("push-resend")
    assert retry["run_at"] >= before + timedelta(seconds=120)
    assert retry["payload"]["attempt"] == 1
    assert retry["payload"]["message"]["title"] == "New travel policy"
    assert await PushSubscription.count() == 1  # kept: busy is not gone

    # Two minutes later the service answers again.
    push_service._answers.clear()
    await Job.update({Job.run_at: datetime.now(timezone.utc)}).where(Job.status == "queued")
    await drain()
    (message,) = push_service.messages
    assert (json.loads(message.plaintext)["title"], message.urgency) == ("New travel policy", "high")
    assert 7 * 24 * 3600 - 300 <= message.ttl <= 7 * 24 * 3600


async def test_a_slow_push_service_does_not_delay_the_others(users, clients, allow_loopback):
    async with LocalPushService() as slow, LocalPushService() as fast:
        people = [await users.create("member", f"Reader {i}") for i in range(4)]
        await with_device(clients, people[0], slow, "slow")
        slow.delay("slow", 3.0)
        for i, person in enumerate(people[1:]):
            await with_device(clients, person, fast, f"fast{i}")
        await notifications.notify([p["id"] for p in people], "reminder", None, "Fire drill at 11")
        started = time.monotonic()
        await drain()
        assert len(fast.messages) == 3 and len(slow.messages) == 1
        assert max(m.at for m in fast.messages) - started < 2.0
        assert slow.messages[0].at - started >= 3.0


async def test_quiet_hours_end_with_one_digest_push(users, clients, push_service, allow_loopback):
    reader = await users.create("member", "Ben Reader")
    now = datetime.now(timezone.utc)
    quiet = {
        "quiet_hours": True, "time_zone": "UTC",
        "quiet_start": (now - timedelta(hours=1)).strftime("%H:%M"), "quiet_end": (now + timedelta(hours=1)).strftime("%H:%M"),
    }
    client = await with_device(clients, reader, push_service, "phone", **quiet)
    await notifications.notify([reader["id"]], "mention", None, "Ana mentioned you")
    await notifications.notify([reader["id"]], "comment", None, "Ben commented")
    await drain()
    assert push_service.messages == []
    (digest,) = await queued("push-digest")
    assert now + timedelta(minutes=58) <= digest["run_at"] <= now + timedelta(hours=1)

    await delivery.digest(digest["payload"])  # what the worker runs when quiet hours end
    (message,) = push_service.messages
    assert json.loads(message.plaintext) == {
        "title": "2 new notifications", "body": "Ben commented; Ana mentioned you", "url": "/#/notifications",
        "icon": "/icons/icon-192.png", "tag": "digest",
    }
    assert await Notification.count().where(Notification.held == True) == 0  # noqa: E712
    # A digest of what was already read in the app sends nothing.
    await notifications.notify([reader["id"]], "mention", None, "Seen already")
    await client.post("/api/notifications/read", json={})
    await delivery.digest({"user_id": reader["id"]})
    assert len(push_service.messages) == 1


async def test_a_long_body_is_cut_to_fit_one_message(users, clients, push_service, allow_loopback):
    reader = await users.create("member", "Ben Reader")
    await with_device(clients, reader, push_service, "phone")
    await notifications.notify([reader["id"]], "reminder", None, "Emoji " * 40, "😀" * 5000)
    await drain()
    assert push_service.errors == []
    (message,) = push_service.messages
    assert len(message.plaintext) <= MAX_PLAINTEXT
    assert json.loads(message.plaintext)["body"].endswith("😀…")


def test_the_image_is_the_poster_or_a_phone_sized_photo():
    assert social_jobs.image_of([{"poster": "/media/p.webp", "variants": []}]) == "/media/p.webp"
    variants = [{"url": "/media/a-320.webp", "width": 320}, {"url": "/media/a-2048.webp", "width": 2048},
                {"url": "/media/a-1080.webp", "width": 1080}]
    assert social_jobs.image_of([{"poster": None, "variants": variants}]) == "/media/a-1080.webp"
    assert social_jobs.image_of([]) == ""


async def test_push_jobs_share_one_open_sender_until_the_worker_stops(engine, allow_loopback):
    """Connections (and TLS sessions) to the push services outlive a job; the worker closes them when it stops."""
    from server import wiring

    sender = await push_delivery._sender()
    assert await push_delivery._sender() is sender
    assert push_delivery.close_senders in wiring.WORKER_STOP
    await push_delivery.close_senders()
    assert sender._session is None
    assert await push_delivery._sender() is not sender
