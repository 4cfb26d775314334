"""Pushes in each recipient's language: the catalogue, and German and English readers of one post."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from server.accounts.tables import User
from server.notifications import services as notifications
from server.notifications.messages import CATALOGUE, Message, render
from server.notifications.tables import Notification
from server.notifications import delivery
from tests.server.push.test_delivery import drain, queued, with_device


def test_every_message_exists_in_every_language_with_the_same_placeholders():
    import string

    fields = lambda text: {name for _, name, _, _ in string.Formatter().parse(text) if name}  # noqa: E731
    for key, english in CATALOGUE["en"].items():
        assert fields(CATALOGUE["de"][key]) == fields(english), key
    assert Message("post.video", {"name": "Ana"}).render("de") == "Ana hat ein Video gepostet"
    # Nobody told us their language (or one we do not speak): English.
    assert Message("post.video", {"name": "Ana"}).render(None) == "Ana posted a video"
    assert Message("comment", {"name": "Ana"}).render("fr") == "Ana commented on your post"
    assert render("digest", "de", count=1200) == "1.200 neue Mitteilungen"
    # A name is a value, never a template.
    assert Message("mention", {"name": "{count} {0}"}).render("de") == "{count} {0} hat Sie erwähnt"
    with pytest.raises(ValueError):
        Message("no such message")


async def test_a_followed_post_reaches_each_reader_in_their_language(users, clients, push_service, allow_loopback, follows):
    author = await users.create("member", "Ana Lopez")
    readers = {
        "de": await users.create("member", "Dora Deutsch", language="de"),
        "en": await users.create("member", "Ed English", language="en"),
        "none": await users.create("member", "Nie Told"),
    }
    author_client = await clients.signed_in(author)
    for sid, reader in readers.items():
        await follows(reader, author)
        await with_device(clients, reader, push_service, sid)

    response = await author_client.post("/api/posts", json={"body": "Our new lab tour"})
    assert response.status_code == 201
    post_id = response.json()["id"]
    await drain()
    assert push_service.errors == []
    titles = {m.subscription_id: json.loads(m.plaintext)["title"] for m in push_service.messages}
    assert titles == {"de": "Ana Lopez hat etwas gepostet", "en": "Ana Lopez posted", "none": "Ana Lopez posted"}
    # Everything else in the message is the same for everyone.
    bodies = {json.loads(m.plaintext)["body"] for m in push_service.messages}
    assert bodies == {"Our new lab tour"}
    listed = await Notification.select(Notification.user, Notification.title).where(Notification.post == post_id)
    assert {r["user"]: r["title"] for r in listed}[readers["de"]["id"]] == "Ana Lopez hat etwas gepostet"


async def test_a_must_read_announcement_and_its_reminder_arrive_in_german(users, clients, push_service, allow_loopback):
    moderator = await users.create("moderator", "Mo Derator")
    german = await users.create("member", "Dora Deutsch", language="de")
    english = await users.create("member", "Ed English", language="en")
    await with_device(clients, german, push_service, "de")
    await with_device(clients, english, push_service, "en")
    client = await clients.signed_in(moderator)
    response = await client.post("/api/announcements", json={"body": "Neuer Standort\nDetails", "must_read": True})
    assert response.status_code == 201, response.text
    post_id = response.json()["id"]
    await drain()
    titles = {m.subscription_id: json.loads(m.plaintext)["title"] for m in push_service.messages}
    assert titles == {"de": "Pflichtlektüre von Mo Derator", "en": "Must-read from Mo Derator"}

    push_service.messages.clear()
    assert (await client.post(f"/api/announcements/{post_id}/remind")).status_code in (200, 201)
    await drain()
    titles = {m.subscription_id: json.loads(m.plaintext)["title"] for m in push_service.messages}
    assert titles == {"de": "Erinnerung von Mo Derator: bitte bestätigen", "en": "Reminder from Mo Derator: please confirm"}


async def test_a_comment_and_the_quiet_hours_digest_speak_german(users, clients, push_service, allow_loopback):
    author = await users.create("member", "Dora Deutsch", language="de")
    commenter = await users.create("member", "Ed English", language="en")
    now = datetime.now(timezone.utc)
    quiet = {
        "quiet_hours": True, "time_zone": "UTC",
        "quiet_start": (now - timedelta(hours=1)).strftime("%H:%M"), "quiet_end": (now + timedelta(hours=1)).strftime("%H:%M"),
    }
    author_client = await with_device(clients, author, push_service, "de", **quiet)
    post_id = (await author_client.post("/api/posts", json={"body": "Hallo"})).json()["id"]
    commenting = await clients.signed_in(commenter)
    for text in ("Great", "Really great"):
        response = await commenting.post(f"/api/posts/{post_id}/comments", json={"body": text})
        assert response.status_code == 201, response.text
    await drain()
    assert push_service.messages == []  # held back by quiet hours
    listed = (await author_client.get("/api/notifications")).json()["items"]
    assert [item["title"] for item in listed] == ["Ed English hat Ihren Beitrag kommentiert"] * 2
    (digest,) = await queued("push-digest")
    await delivery.digest(digest["payload"])
    (message,) = push_service.messages
    assert json.loads(message.plaintext)["title"] == "2 neue Mitteilungen"


async def test_switching_the_language_changes_later_notifications(users, member_client, member):
    assert (await member_client.patch("/api/me", json={"language": "de"})).json()["language"] == "de"
    other = await users.create("member", "Ana Lopez")
    await notifications.notify([member["id"]], "mention", None, Message("mention", {"name": "Ana Lopez"}))
    assert (await member_client.patch("/api/me", json={"language": "en"})).json()["language"] == "en"
    await notifications.notify([member["id"], other["id"]], "mention", None, Message("kudos", {"name": "Ana Lopez"}))
    titles = [r["title"] for r in await Notification.select(Notification.title).where(
        Notification.user == member["id"]).order_by(Notification.id)]
    assert titles == ["Ana Lopez hat Sie erwähnt", "Ana Lopez gave you kudos"]
    assert (await User.select(User.language).where(User.id == member["id"]).first())["language"] == "en"
