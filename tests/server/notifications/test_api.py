"""The in-app list, preferences and notify() on both databases: who gets what, and when pushes are queued."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from server.jobs.tables import Job
from server.notifications import services
from server.notifications.tables import Notification
from server.posts.tables import Post
from server.push.tables import PushSubscription

# 21:00 in Berlin in winter: inside the default quiet hours (20:00–07:00).
BERLIN_EVENING = datetime(2026, 1, 15, 20, 0, tzinfo=timezone.utc)
BERLIN_NOON = datetime(2026, 1, 15, 11, 0, tzinfo=timezone.utc)


async def a_post(author_id: int) -> int:
    rows = await Post.insert(Post(author=author_id, body="Hello", status="published")).returning(Post.id)
    return rows[0]["id"]


async def a_device(user_id: int, name: str = "phone") -> None:
    await PushSubscription.insert(PushSubscription(
        user=user_id, endpoint=f"https://push.example.com/{user_id}/{name}", p256dh="x", auth="y",
    ))


async def jobs(kind: str) -> list[dict]:
    rows = await Job.select(Job.kind, Job.payload, Job.run_at).where(Job.kind == kind)
    return [{**r, "payload": json.loads(r["payload"]) if isinstance(r["payload"], str) else r["payload"]} for r in rows]


async def test_preferences_have_defaults_and_change_one_at_a_time(member_client):
    response = await member_client.get("/api/notifications/preferences")
    assert response.status_code == 200
    assert response.json() == {
        "follows": True, "comments_mentions": True, "announcements": True, "quiet_hours": True,
        "quiet_start": "20:00", "quiet_end": "07:00", "time_zone": "",
    }
    response = await member_client.patch(
        "/api/notifications/preferences", json={"follows": False, "time_zone": "Europe/Berlin"}
    )
    assert response.status_code == 200
    assert response.json()["follows"] is False
    response = await member_client.patch("/api/notifications/preferences", json={"quiet_start": "22:30"})
    assert response.json() == {
        "follows": False, "comments_mentions": True, "announcements": True, "quiet_hours": True,
        "quiet_start": "22:30", "quiet_end": "07:00", "time_zone": "Europe/Berlin",
    }
    assert (await member_client.get("/api/notifications/preferences")).json()["quiet_start"] == "22:30"


@pytest.mark.parametrize(
    "change, words",
    [
        ({"quiet_start": "25:00"}, "a time like 07:30"),
        ({"quiet_end": "7am"}, "a time like 07:30"),
        ({"time_zone": "Mars/Olympus_Mons"}, "not a time zone this server knows"),
        ({"time_zone": "../../etc/passwd"}, "not a time zone this server knows"),
        ({"follows": "yes"}, "follows"),
        ({"loud": True}, "loud"),
    ],
)
async def test_bad_preferences_are_refused_in_words(member_client, change, words):
    response = await member_client.patch("/api/notifications/preferences", json=change)
    assert response.status_code == 400
    assert words in response.json()["detail"]
    assert (await member_client.get("/api/notifications/preferences")).json()["quiet_start"] == "20:00"


async def test_the_list_is_newest_first_paginated_and_counts_unread(member, member_client, users):
    other = await users.create("member", "Otto Other")
    post_id = await a_post(other["id"])
    for n in range(5):
        await services.notify([member["id"]], "mention", post_id, f"Mention {n}", "@Mia look", once=False)
    await services.notify([other["id"]], "comment", post_id, "Not for Mia")

    first = (await member_client.get("/api/notifications?limit=2")).json()
    assert [item["title"] for item in first["items"]] == ["Mention 4", "Mention 3"]
    assert first["unread"] == 5
    assert first["items"][0]["url"] == f"/#/post/{post_id}"
    assert first["items"][0]["read"] is False
    second = (await member_client.get(f"/api/notifications?limit=2&cursor={first['next_cursor']}")).json()
    third = (await member_client.get(f"/api/notifications?limit=2&cursor={second['next_cursor']}")).json()
    assert [item["title"] for item in second["items"] + third["items"]] == ["Mention 2", "Mention 1", "Mention 0"]
    assert third["next_cursor"] is None

    response = await member_client.post("/api/notifications/read", json={"up_to": second["items"][0]["id"]})
    assert response.json() == {"unread": 2}
    page = (await member_client.get("/api/notifications")).json()
    assert [item["read"] for item in page["items"]] == [False, False, True, True, True]
    assert (await member_client.post("/api/notifications/read", json={})).json() == {"unread": 0}
    # Otto's notification is his alone, and still unread.
    assert await services.unread_count(other["id"]) == 1


async def test_a_tampered_cursor_is_a_400(member_client):
    response = await member_client.get("/api/notifications?cursor=WzFd.0000000000000000")
    assert response.status_code == 400
    assert "not valid any more" in response.json()["detail"]


async def test_anonymous_cannot_read_notifications(clients):
    anonymous = await clients.anonymous()
    assert (await anonymous.get("/api/notifications")).status_code == 401
    assert (await anonymous.get("/api/notifications/preferences")).status_code == 401


async def test_notify_records_once_per_person_kind_and_post(member, users):
    author = await users.create("member", "Ana Author")
    post_id = await a_post(author["id"])
    first = await services.notify([member["id"], member["id"]], "post", post_id, "Ana posted")
    again = await services.notify([member["id"]], "post", post_id, "Ana posted")
    assert len(first) == 1 and again == []
    assert await Notification.count().where(Notification.user == member["id"]) == 1
    with pytest.raises(ValueError):
        await services.notify([member["id"]], "gossip", post_id, "?")


async def test_disabled_people_get_nothing(users):
    gone = await users.create("member", "Gone")
    from server.accounts.tables import User

    await User.update({User.disabled: True}).where(User.id == gone["id"])
    assert await services.notify([gone["id"]], "reminder", None, "Please read") == []


async def test_a_push_is_queued_only_for_people_with_a_device(member, users):
    without = await users.create("member", "No Phone")
    await a_device(member["id"])
    post_id = await a_post(without["id"])
    await services.notify([member["id"], without["id"]], "comment", post_id, "New comment", now=BERLIN_NOON)
    (deliver,) = await jobs("push-deliver")
    mine = await Notification.select(Notification.id).where(Notification.user == member["id"]).first()
    assert deliver["payload"] == {"notification_ids": [mine["id"]], "urgent": False}


async def test_a_switched_off_kind_stays_in_the_list_without_a_push(member, member_client):
    await a_device(member["id"])
    await member_client.patch("/api/notifications/preferences", json={"comments_mentions": False})
    post_id = await a_post(member["id"])
    await services.notify([member["id"]], "comment", post_id, "New comment", now=BERLIN_NOON)
    assert await jobs("push-deliver") == []
    assert (await member_client.get("/api/notifications")).json()["unread"] == 1
    # Must-reads and reminders ignore the switches.
    await member_client.patch("/api/notifications/preferences", json={"announcements": False})
    await services.notify([member["id"]], "must_read", post_id, "Please read", now=BERLIN_NOON)
    assert len(await jobs("push-deliver")) == 1


async def test_quiet_hours_hold_pushes_back_until_they_end_in_the_persons_time_zone(member, member_client):
    await a_device(member["id"])
    await member_client.patch("/api/notifications/preferences", json={"time_zone": "Europe/Berlin"})
    post_id = await a_post(member["id"])
    await services.notify([member["id"]], "mention", post_id, "You were mentioned", now=BERLIN_EVENING)
    await services.notify([member["id"]], "comment", post_id, "New comment", now=BERLIN_EVENING)
    assert await jobs("push-deliver") == []
    (digest,) = await jobs("push-digest")  # one per person, however many are held
    assert digest["payload"] == {"user_id": member["id"]}
    # 07:00 in Berlin the next morning.
    assert digest["run_at"] == datetime(2026, 1, 16, 6, 0, tzinfo=timezone.utc)
    held = await Notification.select(Notification.held).where(Notification.user == member["id"])
    assert [row["held"] for row in held] == [True, True]
    # Held back from the phone, not from the app.
    assert (await member_client.get("/api/notifications")).json()["unread"] == 2


async def test_urgent_announcements_skip_quiet_hours(member, member_client):
    await a_device(member["id"])
    await member_client.patch("/api/notifications/preferences", json={"time_zone": "Europe/Berlin"})
    post_id = await a_post(member["id"])
    await services.notify([member["id"]], "announcement", post_id, "Press release at 9", urgent=True, now=BERLIN_EVENING)
    (deliver,) = await jobs("push-deliver")
    assert deliver["payload"]["urgent"] is True
    assert await jobs("push-digest") == []


async def test_quiet_hours_switched_off_push_at_once(member, member_client):
    await a_device(member["id"])
    await member_client.patch(
        "/api/notifications/preferences", json={"time_zone": "Europe/Berlin", "quiet_hours": False}
    )
    post_id = await a_post(member["id"])
    await services.notify([member["id"]], "mention", post_id, "You were mentioned", now=BERLIN_EVENING)
    assert len(await jobs("push-deliver")) == 1
