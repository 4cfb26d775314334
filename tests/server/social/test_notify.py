"""The bridge to server.notifications: kinds it does not know go out as the nearest it does."""

from tests.server.social.helpers import Notified, comment, post, stand_in


async def test_replies_and_kudos_use_known_kinds_and_comments_are_not_deduplicated(clients, users, monkeypatch):
    recorder = Notified()
    monkeypatch.setattr("server.social.notify.notifications", stand_in(recorder, {"post", "comment", "mention"}))
    ann, bob = await users.create(name="Ann"), await users.create(name="Bob")
    a, b = await clients.signed_in(ann), await clients.signed_in(bob)
    p = await post(a, "Thanks team")
    top = await comment(a, p["id"], "question")
    await comment(b, p["id"], "answer", parent_id=top["id"])
    await a.put(f"/api/posts/{p['id']}/kudos", json={"user_ids": [bob["id"]]})
    assert [kind for _, kind, _ in recorder.calls] == ["comment", "mention"]
    assert recorder.titles == ["Bob replied to your comment", "Ann gave you kudos"]
    assert recorder.options[0] == {"once": False}


async def test_a_failing_notifier_does_not_fail_the_comment(member_client, users, clients, monkeypatch):
    async def broken(*args, **kwargs):
        raise RuntimeError("push service down")

    monkeypatch.setattr("server.social.notify.notifications", stand_in(broken))
    other = await clients.signed_in(await users.create(name="Other"))
    p = await post(member_client, "post")
    await comment(other, p["id"], "still saved")
    assert (await member_client.get(f"/api/posts/{p['id']}")).json()["comment_count"] == 1


async def test_the_real_notifications_receive_comments_mentions_and_kudos(clients, users):
    from server.notifications.tables import Notification

    ann, bob, cay = await users.create(name="Ann"), await users.create(name="Bob"), await users.create(name="Cay")
    a, b = await clients.signed_in(ann), await clients.signed_in(bob)
    p = await post(a, "Launch day")
    await comment(b, p["id"], "congrats")
    await comment(b, p["id"], f"and thanks @[Cay](user:{cay['id']})")
    await a.put(f"/api/posts/{p['id']}/kudos", json={"user_ids": [bob["id"]]})
    rows = await Notification.select(Notification.user, Notification.kind, Notification.title, Notification.url).order_by(Notification.id)
    assert [(r["user"], r["kind"], r["title"]) for r in rows] == [
        (ann["id"], "comment", "Bob commented on your post"),
        (cay["id"], "mention", "Bob mentioned you"),
        (ann["id"], "comment", "Bob commented on your post"),  # every comment is news
        (bob["id"], "mention", "Ann gave you kudos"),
    ]
    assert {r["url"] for r in rows} == {f"/#/post/{p['id']}"}
